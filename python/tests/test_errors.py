"""Every error is a `tme` exception that says what was wrong; bad input never crashes the
interpreter, never shows a Rust panic, and never changes the database."""

import string
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tme


def test_the_hierarchy_and_the_builtin_each_also_is():
    for name in ["InputError", "NotFound", "Blocked", "Conflict", "StoreError"]:
        assert issubclass(getattr(tme, name), tme.Error)
        assert getattr(tme, name).__module__ == "tme"
    assert issubclass(tme.Error, Exception)
    assert issubclass(tme.InputError, ValueError)
    assert issubclass(tme.NotFound, LookupError)
    assert issubclass(tme.StoreError, RuntimeError)
    assert tme.InputError.__doc__ and "token" in tme.InputError.__doc__


def test_input_errors_name_the_argument_and_keep_the_token(tm):
    with pytest.raises(tme.InputError) as bad_date:
        tm.create("Pay rent", due_date="fryday")
    assert str(bad_date.value).startswith("due_date='fryday': ")
    assert "did you mean 'friday'" in str(bad_date.value)
    assert bad_date.value.token == "due:fryday"
    with pytest.raises(tme.InputError, match="priority='X'") as bad_priority:
        tm.create("Pay rent", priority="X")
    assert bad_priority.value.token == "pri:X"
    with pytest.raises(tme.InputError, match="every:sometimes") as bad_rule:
        tm.capture("Water plants every:sometimes")
    assert bad_rule.value.token == "every:sometimes"
    with pytest.raises(tme.InputError, match="category"):
        tm.add_task("Pay rent", "not a category!")
    with pytest.raises(tme.InputError, match="title"):
        tm.add_task("   ")
    with pytest.raises(tme.InputError, match="negative"):
        tm.create("Pay rent", estimate=timedelta(hours=-1))
    with pytest.raises(tme.InputError, match="unknown field colour='red'"):
        tm.create("Pay rent", colour="red")
    with pytest.raises(tme.InputError, match="due_date and due set the same field"):
        tm.create("Pay rent", due_date="eom", due="eow")
    with pytest.raises(tme.InputError, match="not a kind of change"):
        tm.on("finish", print)
    with pytest.raises(tme.InputError, match="dependency kind"):
        tm.assign_dependency(1, 2, kind="later")
    with pytest.raises(tme.InputError, match="range"):
        tm.report("summary", range="forever")
    with pytest.raises(tme.InputError, match="no report 'velocity'"):
        tm.report("velocity")
    with pytest.raises(tme.InputError, match="status"):
        tm.get_tasks(status="finished")
    with pytest.raises(tme.InputError, match="0 is not a task id"):
        tm.get_task(0)
    with pytest.raises(tme.InputError, match="say what to change"):
        tm.update(1)
    assert tm.get_tasks(status="all") == [], "nothing was made by a refused call"


def test_type_errors_for_values_of_the_wrong_kind(tm):
    with pytest.raises(TypeError, match="expected a Task, a task id or a title"):
        tm.get_task(1.5)
    with pytest.raises(TypeError, match="due_date"):
        tm.create("Pay rent", due_date=["eom"])
    with pytest.raises(TypeError):
        tm.add_task(None)
    with pytest.raises(TypeError, match="callable"):
        tm.on("add", "not a function")


def test_not_found_blocked_and_conflict(tm):
    with pytest.raises(tme.NotFound, match="task 99 does not exist"):
        tm.mark_completed(99)
    with pytest.raises(tme.NotFound, match="no task has the title 'Nothing'"):
        tm.delete("Nothing")
    paper = tm.add_task("Write paper")
    data = tm.add_task("Collect data")
    tm.assign_dependency(paper, data)
    with pytest.raises(tme.Blocked, match="waits on task 2 'Collect data'"):
        tm.mark_completed(paper)
    with pytest.raises(tme.Conflict, match="cycle"):
        tm.assign_dependency(data, paper)
    tm.mark_completed(data)
    with pytest.raises(tme.Conflict, match="already"):
        tm.mark_completed(data)
    tm.mark_completed(paper)


def test_undo_conflicts_and_nothing_to_undo(db):
    with tme.TaskManager(db) as tm:
        with pytest.raises(tme.Conflict, match="nothing to undo"):
            tm.undo()


def test_a_missing_database_directory_is_a_store_error(tmp_path):
    with pytest.raises(tme.StoreError, match="does not exist"):
        tme.TaskManager(tmp_path / "gone" / "tasks.redb")


def test_a_damaged_database_is_a_store_error(tmp_path):
    damaged = tmp_path / "damaged.redb"
    damaged.write_bytes(b"not a database at all" * 100)
    with pytest.raises(tme.StoreError):
        tme.TaskManager(damaged)
    assert damaged.read_bytes() == b"not a database at all" * 100, "left as it was"


def test_a_bad_config_file_is_an_input_error_naming_the_line(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("week_start: someday\n")
    with pytest.raises(tme.InputError, match="line 1"):
        tme.TaskManager(tmp_path / "t.redb", config=config)


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(string.punctuation),
    max_size=60,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, due=TEXT, priority=TEXT, every=TEXT, filter_text=TEXT)
def test_hostile_text_is_refused_or_taken_never_more(tm, text, due, priority, every, filter_text):
    """Whatever the text, each call either works or raises a `tme` exception (or TypeError);
    and what `tm` holds still reads back."""
    for call in (
        lambda: tm.capture(text),
        lambda: tm.create(text or "t", due_date=due, priority=priority, recurrence=every),
        lambda: tm.get_tasks(filter=filter_text),
        lambda: tm.get_tasks(text=text, category=due or None),
        lambda: tm.update(1, title=text, description=due),
        lambda: tm.get_task(text),
        lambda: tm.report("summary", range=due or "30d", filter=filter_text),
    ):
        try:
            call()
        except tme.Error:
            pass
    for task in tm.get_tasks(status="all"):
        assert task.to_dict()["id"] == task.id
