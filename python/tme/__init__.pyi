"""TME, the task engine, as a Python library (type information)."""

import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Literal, TypeAlias, TypedDict, final

__version__: str

_Kind: TypeAlias = Literal[
    "add", "modify", "start", "stop", "complete", "delete", "annotate", "spawn", "revert"
]

__all__ = [
    "Blocked",
    "Conflict",
    "Error",
    "Event",
    "HistoryEntry",
    "InputError",
    "NotFound",
    "Point",
    "StoreError",
    "Task",
    "TaskLike",
    "TaskManager",
    "Undone",
    "__version__",
]

TaskLike: TypeAlias = Task | int | str
"""A task, its id, or its exact title."""

Point: TypeAlias = date | datetime | str
"""A whole day, a moment, or a phrase (`"eom"`, `"friday 17:00"`)."""

class Error(Exception):
    """The base of every error TME raises."""

    token: str | None

class InputError(Error, ValueError):
    """A value that does not fit; `token` is the capture token refused, when there is one."""

class NotFound(Error, LookupError):
    """No task has that id or title."""

class Blocked(Error):
    """Dependencies or open subtasks hold the task back from this step."""

class Conflict(Error):
    """The change conflicts with the task's state, a hook refused it, or undo would
    overwrite a later change."""

class StoreError(Error, RuntimeError):
    """The database could not be read or written."""

class HistoryEntry(TypedDict):
    """One change in a task's history."""

    at: datetime
    op: str
    actor: str
    changes: list[str]

class Undone(TypedDict):
    """What `TaskManager.undo` took back."""

    undid: str
    command: int
    tasks: list[int]

@final
class Task:
    """One task as it was when it was read."""

    @property
    def id(self) -> int: ...
    @property
    def uuid(self) -> uuid.UUID: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def tags(self) -> list[str]: ...
    @property
    def status(
        self,
    ) -> Literal["pending", "started", "waiting", "recurring", "completed", "deleted"]: ...
    @property
    def priority(self) -> Literal["H", "M", "L"] | None: ...
    @property
    def created(self) -> datetime: ...
    @property
    def modified(self) -> datetime: ...
    @property
    def started(self) -> datetime | None: ...
    @property
    def completed(self) -> datetime | None: ...
    @property
    def due(self) -> date | datetime | None: ...
    @property
    def scheduled(self) -> date | datetime | None: ...
    @property
    def wait(self) -> date | datetime | None: ...
    @property
    def until(self) -> date | datetime | None: ...
    @property
    def estimate(self) -> timedelta | None: ...
    @property
    def spent(self) -> timedelta: ...
    @property
    def depends(self) -> list[tuple[int, Literal["fs", "ss", "ff", "relates"]]]: ...
    @property
    def parent(self) -> int | None: ...
    @property
    def recurrence(self) -> str | None: ...
    @property
    def template(self) -> int | None: ...
    @property
    def annotations(self) -> list[tuple[datetime, str]]: ...
    @property
    def type(self) -> str | None: ...
    @property
    def attrs(self) -> dict[str, str | float | bool | date | datetime | timedelta]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Event:
    """One committed change, as an `on` callback hears it."""

    @property
    def kind(self) -> _Kind: ...
    @property
    def task(self) -> Task: ...

@final
class TaskManager:
    """A task list: a TME database with everything a change sets off."""

    def __new__(
        cls, database: str | os.PathLike[str] | None = None, *, config: str | os.PathLike[str] | None = None
    ) -> TaskManager: ...
    @property
    def database(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> TaskManager: ...
    def __exit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> bool: ...
    def add_task(self, title: str, category: str | None = None) -> Task: ...
    def create(
        self,
        title: str,
        category: str | None = None,
        description: str | None = None,
        recurrence: str | None = None,
        due_date: Point | None = None,
        **fields: Any,
    ) -> Task: ...
    def capture(self, text: str) -> Task: ...
    def update(
        self, task: TaskLike, changes: Mapping[str, Any] | None = None, **more: Any
    ) -> Task: ...
    def delete(self, task: TaskLike) -> Task: ...
    def mark_completed(self, task: TaskLike) -> Task: ...
    def start(self, task: TaskLike) -> Task: ...
    def stop(self, task: TaskLike) -> Task: ...
    def annotate(self, task: TaskLike, text: str) -> Task: ...
    def assign_dependency(
        self,
        task: TaskLike,
        depends_on: TaskLike,
        kind: Literal["fs", "ss", "ff", "rel", "relates"] = "fs",
    ) -> Task: ...
    def get_task(self, task: TaskLike) -> Task: ...
    def get_tasks(
        self,
        category: str | None = None,
        date_range: tuple[Point | None, Point | None] | None = None,
        status: str | Iterable[str] | None = None,
        tags: str | Iterable[str] | None = None,
        text: str | None = None,
        filter: str | None = None,
    ) -> list[Task]: ...
    def get_tasks_by_category(self, category: str) -> list[Task]: ...
    def get_tasks_by_type(self, task_type: str) -> list[Task]: ...
    def undo(self) -> Undone: ...
    def history(self, task: TaskLike) -> list[HistoryEntry]: ...
    def report(self, name: str, range: str = "30d", filter: str | None = None) -> Any: ...
    def on(self, kind: _Kind, callback: Callable[[Event], object]) -> Callable[[Event], object]: ...
    def off(self, kind: _Kind, callback: Callable[[Event], object]) -> bool: ...
