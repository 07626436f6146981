"""`tm.on(kind, callback)`: called after each committed change made through that manager."""

import sys

import pytest

import tme


def test_callbacks_hear_each_kind_of_change_after_it_is_committed(tm, db):
    heard = []

    def listen(event):
        # The change is committed: another manager on the file already sees it.
        with tme.TaskManager(db) as other:
            seen = other.get_task(event.task.id)
        heard.append((event.kind, event.task.title, event.task.status, seen.status))

    for kind in ["add", "modify", "start", "stop", "annotate", "complete", "delete", "revert"]:
        assert tm.on(kind, listen) is listen
    task = tm.add_task("Pay rent")
    tm.update(task, priority="H")
    tm.start(task)
    tm.stop(task)
    tm.annotate(task, "paid by card")
    tm.mark_completed(task)
    tm.delete(tm.add_task("Obsolete"))
    tm.undo()
    assert heard == [
        ("add", "Pay rent", "pending", "pending"),
        ("modify", "Pay rent", "pending", "pending"),
        ("start", "Pay rent", "started", "started"),
        ("stop", "Pay rent", "pending", "pending"),
        ("annotate", "Pay rent", "pending", "pending"),
        ("complete", "Pay rent", "completed", "completed"),
        ("add", "Obsolete", "pending", "pending"),
        ("delete", "Obsolete", "deleted", "deleted"),
        ("revert", "Obsolete", "pending", "pending"),
    ]


def test_a_series_spawning_its_next_occurrence_is_heard(tm):
    spawned = []
    tm.on("spawn", lambda event: spawned.append(event.task))
    series = tm.capture("Water plants every:+3d")
    first = tm.get_tasks(text="Water plants")
    assert [t.template for t in first] == [series.id]
    assert spawned == first, "the first occurrence is spawned with the series"
    tm.mark_completed(first[0])
    assert [t.template for t in spawned] == [series.id, series.id]
    assert spawned[1] != first[0] and spawned[1].due is not None


def test_off_stops_a_callback(tm):
    heard = []
    tm.on("add", heard.append)
    tm.add_task("One")
    assert tm.off("add", heard.append) is True, "an equal bound method is the same callback"
    assert tm.off("add", heard.append) is False
    tm.add_task("Two")
    assert [e.task.title for e in heard] == ["One"]
    assert repr(heard[0]).startswith("Event(kind='add', task=Task(id=1, title='One'")


def test_an_exception_in_a_callback_is_reported_and_changes_nothing(tm, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    after = []

    def broken(event):
        raise RuntimeError(f"listener broke on {event.task.title}")

    tm.on("add", broken)
    tm.on("add", lambda event: after.append(event.task.title))
    task = tm.add_task("Still added")
    assert task.title == "Still added"
    assert after == ["Still added"], "the other callbacks still run"
    assert [str(r.exc_value) for r in reported] == ["listener broke on Still added"]
    assert reported[0].object is broken
    assert [t.title for t in tm.get_tasks()] == ["Still added"]


def test_a_callback_may_change_tasks_itself(tm):
    def follow_up(event):
        if event.task.title == "Ship it":
            tm.add_task("Write release notes")

    tm.on("complete", follow_up)
    tm.mark_completed(tm.add_task("Ship it"))
    assert [t.title for t in tm.get_tasks()] == ["Write release notes"]


def test_changes_made_elsewhere_are_not_heard(tm, db):
    heard = []
    tm.on("add", heard.append)
    with tme.TaskManager(db) as other:
        other.add_task("From another manager")
    assert tm.get_tasks()[0].title == "From another manager"
    assert heard == []


def test_hooks_and_rules_speak_on_stderr(tmp_path, monkeypatch, capsys):
    hooks = tmp_path / "hooks"
    hooks.mkdir(mode=0o700)
    hook = hooks / "on-add-say"
    hook.write_text('#!/bin/sh\nread task\necho "$task"\necho "checked by the hook"\n')
    hook.chmod(0o700)
    monkeypatch.setenv("TME_HOOKS_DIR", str(hooks))
    with tme.TaskManager(tmp_path / "t.redb") as tm:
        tm.add_task("Pay rent")
    assert "checked by the hook" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["add", "spawn", "revert"])
def test_every_kind_the_engine_has_can_be_listened_for(tm, kind):
    assert tm.on(kind, print) is print
    assert tm.off(kind, print) is True
