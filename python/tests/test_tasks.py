"""Every method of TaskManager, with the values it gives back."""

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

import tme


def test_add_task_gives_a_task_with_typed_attributes(tm):
    task = tm.add_task("Pay rent", "Finance")
    assert task.id == 1
    assert isinstance(task.uuid, uuid.UUID)
    assert task.title == "Pay rent"
    assert task.category == "Finance"
    assert task.status == "pending"
    assert task.created == datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    assert task.created.utcoffset() == timedelta(0)
    assert task.tags == [] and task.depends == [] and task.annotations == []
    assert task.spent == timedelta(0) and task.estimate is None and task.due is None
    assert tm.add_task("Buy milk").category is None


def test_create_takes_every_field(tm):
    blocker = tm.add_task("Book the room")
    parent = tm.add_task("Conference")
    task = tm.create(
        "Write paper",
        category="Research.ML",
        description="Two pages\non the results",
        due_date=date(2026, 12, 24),
        priority="H",
        tags=["writing", "+deep"],
        scheduled="2026-12-10",
        wait=datetime(2026, 12, 5, 8, 30, tzinfo=timezone.utc),
        estimate=timedelta(hours=1, minutes=30),
        depends=[blocker, (parent.id, "relates")],
        parent="Conference",
    )
    assert task.category == "Research.ML"
    assert task.description == "Two pages\non the results"
    assert task.due == date(2026, 12, 24)
    assert task.priority == "H"
    assert task.tags == ["deep", "writing"]
    assert task.scheduled == date(2026, 12, 10)
    assert task.wait == datetime(2026, 12, 5, 8, 30, tzinfo=timezone.utc)
    assert task.status == "waiting"
    assert task.estimate == timedelta(minutes=90)
    assert task.depends == [(blocker.id, "fs"), (parent.id, "relates")]
    assert task.parent == parent.id


@pytest.mark.parametrize(
    ("given", "rule", "due"),
    [
        ("monthly", "eom", date(2026, 12, 31)),
        ("+2w", "+2w", date(2026, 12, 31)),
        ("FREQ=WEEKLY;BYDAY=FR", "FREQ=WEEKLY;BYDAY=FR", date(2026, 12, 31)),
    ],
)
def test_create_takes_the_recurrence_forms_of_capture(tm, given, rule, due):
    series = tm.create("Review", recurrence=given, due_date="eom")
    assert series.status == "recurring"
    assert series.recurrence == rule
    assert series.due == due
    occurrences = tm.get_tasks(text="Review")
    assert [t.template for t in occurrences] == [series.id]


def test_due_dates_as_phrases_dates_and_moments(tm):
    assert tm.create("A", due_date="eom").due == date(2026, 12, 31)
    assert tm.create("B", due_date="tomorrow").due == date(2026, 12, 2)
    moment = tm.create("C", due_date=datetime(2026, 12, 3, 17, 0)).due
    assert moment == datetime(2026, 12, 3, 17, 0, tzinfo=timezone.utc)
    offset = timezone(timedelta(hours=2))
    aware = tm.create("D", due_date=datetime(2026, 12, 3, 17, 0, tzinfo=offset)).due
    assert aware == datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc)


def test_capture_reads_the_grammar_of_tme_add(tm):
    task = tm.capture("Pay rent #Finance due:eom every:monthly +home pri:M")
    assert task.title == "Pay rent"
    assert task.status == "recurring"
    assert task.recurrence == "eom"
    assert task.category == "Finance"
    assert task.tags == ["home"]
    assert task.priority == "M"


def test_update_by_keywords_or_by_dict_and_none_clears(tm):
    task = tm.create("Draft", due_date="eom", priority="L", tags=["a", "b"])
    task = tm.update(task, title="Final draft", priority="H", due=None)
    assert (task.title, task.priority, task.due) == ("Final draft", "H", None)
    task = tm.update(task.id, {"tags": ["b", "c"], "category": "Work"})
    assert task.tags == ["b", "c"] and task.category == "Work"
    task = tm.update("Final draft", add_tags=["d"], remove_tags=["b"], description="notes")
    assert task.tags == ["c", "d"] and task.description == "notes"
    task = tm.update(task, tags=None, category=None)
    assert task.tags == [] and task.category is None


def test_lifecycle_start_stop_annotate_complete_delete(tm):
    task = tm.add_task("Run the experiment")
    assert tm.start(task).status == "started"
    stopped = tm.stop(task)
    assert stopped.status == "pending" and stopped.started is not None
    noted = tm.annotate(task, "seed 42 diverged")
    assert noted.annotations == [(noted.annotations[0][0], "seed 42 diverged")]
    assert isinstance(noted.annotations[0][0], datetime)
    done = tm.mark_completed(task)
    assert done.status == "completed" and done.completed is not None
    other = tm.add_task("Obsolete")
    assert tm.delete(other).status == "deleted"
    assert tm.get_tasks() == []
    assert len(tm.get_tasks(status="all")) == 2


def test_get_tasks_narrows_by_each_condition(tm):
    tm.create("Rent", category="Finance", tags=["home"], due_date="2026-12-03")
    tm.create("Taxes", category="Finance.Tax", due_date="2026-12-20")
    tm.create("Milk", category="Shopping", tags=["home"])
    done = tm.add_task("Old bill", "Finance")
    tm.mark_completed(done)

    def titles(**conditions):
        return [t.title for t in tm.get_tasks(**conditions)]

    assert titles() == ["Rent", "Taxes", "Milk"]
    assert titles(category="Finance") == ["Rent", "Taxes"]
    assert titles(tags=["home"]) == ["Rent", "Milk"]
    assert titles(tags="home", category="Shopping") == ["Milk"]
    assert titles(text="tax") == ["Taxes"]
    assert titles(status="completed") == ["Old bill"]
    assert titles(status=["pending", "completed"]) == ["Rent", "Taxes", "Milk", "Old bill"]
    assert titles(date_range=(date(2026, 12, 3), date(2026, 12, 19))) == ["Rent"]
    assert titles(date_range=("2026-12-04", "2026-12-20")) == ["Taxes"]
    assert titles(date_range=(None, "eow")) == ["Rent"]
    assert titles(filter="+home due.before:2026-12-10") == ["Rent"]
    assert [t.title for t in tm.get_tasks_by_category("finance")] == ["Rent", "Taxes", "Old bill"]


def test_get_tasks_by_type_uses_the_configured_types(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        "types:\n  experiment:\n    samples: {kind: number}\n    ran: {kind: date}\n"
    )
    with tme.TaskManager(tmp_path / "t.redb", config=config) as tm:
        run = tm.create("Sweep", type="experiment", samples=30, ran=date(2026, 11, 30))
        tm.add_task("Plain")
        assert run.type == "experiment"
        assert run.attrs == {"samples": 30.0, "ran": date(2026, 11, 30)}
        assert [t.title for t in tm.get_tasks_by_type("experiment")] == ["Sweep"]
        assert tm.update(run, samples=40).attrs["samples"] == 40.0
        assert [t.title for t in tm.get_tasks(filter="samples.gt:35")] == ["Sweep"]
        with pytest.raises(tme.InputError, match="samples"):
            tm.update(run, samples="many")


def test_undo_takes_back_the_last_command(tm):
    tm.add_task("Keep")
    gone = tm.add_task("Mistake")
    undone = tm.undo()
    assert undone == {"undid": "add 'Mistake'", "command": undone["command"], "tasks": [gone.id]}
    assert [t.title for t in tm.get_tasks()] == ["Keep"]


def test_history_says_who_changed_what(tm):
    task = tm.add_task("Pay rent")
    tm.update(task, priority="H")
    tm.mark_completed(task)
    entries = tm.history(task)
    assert [e["op"] for e in entries] == ["add", "modify", "complete"]
    assert all(e["actor"] == "tester via python" for e in entries)
    assert entries[1]["changes"] == ["priority: (none) → H"]
    assert isinstance(entries[0]["at"], datetime)


def test_report_is_plain_python_data(tm):
    for title in ["One", "Two", "Three"]:
        tm.add_task(title, "Work")
    tm.mark_completed("Two")
    summary = tm.report("summary")
    assert summary["open"] == 2 and summary["done"] == 1
    assert summary["range"]["asked"] == "30d"
    throughput = tm.report("throughput", range="7d", filter="#Work")
    assert throughput["total"] == 1
    assert isinstance(throughput, dict)


def test_task_values_compare_by_uuid_and_show_themselves(tm):
    task = tm.create("Pay 'rent'", category="Finance", due_date="2026-12-24")
    again = tm.get_task(task.id)
    changed = tm.update(task, priority="H")
    assert task == again == changed and len({task, again, changed}) == 1
    assert task != tm.add_task("Other") and task != task.id
    assert repr(task) == (
        "Task(id=1, title=\"Pay 'rent'\", status='pending', category='Finance', due='2026-12-24')"
    )
    assert str(task) == "1 Pay 'rent' #Finance due:2026-12-24"
    data = task.to_dict()
    assert data["title"] == "Pay 'rent'" and data["due"] == date(2026, 12, 24)
    assert list(data)[:3] == ["id", "uuid", "title"] and "attrs" in data


def test_a_task_is_found_by_task_id_or_unique_title(tm):
    first = tm.add_task("Same")
    tm.mark_completed(first)
    second = tm.add_task("Same")
    assert tm.get_task("Same") == second, "the open one wins"
    tm.add_task("Same")
    with pytest.raises(tme.InputError, match="tasks 2, 3"):
        tm.get_task("Same")
    assert tm.get_task(first) == tm.get_task(first.id) == first


def test_the_default_database_is_the_one_the_cli_uses(scratch_env, db):
    with tme.TaskManager() as tm:
        tm.add_task("Where?")
        assert tm.database.endswith("/.local/share/tme/tme.redb")
        assert tm.database.startswith(str(scratch_env))


def test_close_ends_the_run_and_the_manager(db):
    tm = tme.TaskManager(db)
    assert not tm.closed
    with tm as same:
        assert same is tm
    assert tm.closed
    tm.close()
    with pytest.raises(tme.Error, match="closed"):
        tm.add_task("Too late")
    assert repr(tm) == f"TaskManager(database='{db}')"
