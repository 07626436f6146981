"""TME, the task engine: tasks with dependencies, recurrence, a journal with undo, and
reports, in one database shared with the ``tme`` command line and TUI.

>>> import tme
>>> with tme.TaskManager("/tmp/tasks.redb") as tm:  # doctest: +SKIP
...     tm.add_task("Pay rent", "Finance")
"""

from datetime import date, datetime
from typing import TypedDict

from ._tme import (
    Blocked,
    Conflict,
    Error,
    Event,
    InputError,
    NotFound,
    StoreError,
    Task,
    TaskManager,
    __version__,
)

TaskLike = Task | int | str
"""A task, its id, or its exact title."""

Point = date | datetime | str
"""A whole day, a moment, or a phrase (``"eom"``, ``"friday 17:00"``)."""


class HistoryEntry(TypedDict):
    """One change in a task's history: when, what kind, who, and one line per field."""

    at: datetime
    op: str
    actor: str
    changes: list[str]


class Undone(TypedDict):
    """What ``TaskManager.undo`` took back: its summary, its number, the tasks it touched."""

    undid: str
    command: int
    tasks: list[int]


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
