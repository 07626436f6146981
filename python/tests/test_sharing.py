"""Safe beside everything else: threads share one manager, engine work lets the interpreter
go, and the `tme` CLI, a running TUI and Python use one database at once."""

import os
import shutil
import subprocess
import threading
import time
from datetime import date

import pytest

import tme
from conftest import run_tme


def test_threads_share_one_manager(tm):
    heard = []
    tm.on("add", lambda event: heard.append((threading.get_ident(), event.task.title)))
    made = {}

    def add_many(n):
        made[n] = [tm.add_task(f"thread {n} task {i}").id for i in range(25)]
        tm.get_tasks()

    threads = [threading.Thread(target=add_many, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = sorted(i for each in made.values() for i in each)
    assert ids == list(range(1, 201)), "every task added once, no id given twice"
    assert len(tm.get_tasks()) == 200
    assert len(heard) == 200
    by_thread = {}
    for ident, title in heard:
        by_thread.setdefault(ident, set()).add(title.split(" task ")[0])
    assert all(len(names) == 1 for names in by_thread.values()), (
        "each thread hears its own changes"
    )


def test_engine_work_lets_other_threads_run(tmp_path, monkeypatch, db):
    """A hook holds `add_task` until another Python thread has run: it can only run if the
    adding thread let go of the interpreter while the engine worked."""
    hooks = tmp_path / "hooks"
    hooks.mkdir(mode=0o700)
    started, go = tmp_path / "started", tmp_path / "go"
    hook = hooks / "on-add-wait"
    hook.write_text(
        "#!/bin/sh\nread task\n"
        f"touch {started}\n"
        "i=0\n"
        f"while [ ! -e {go} ] && [ $i -lt 80 ]; do sleep 0.05; i=$((i+1)); done\n"
        f'[ -e {go} ] || {{ echo "no other thread ran"; exit 1; }}\n'
        'echo "$task"\n'
    )
    hook.chmod(0o700)
    monkeypatch.setenv("TME_HOOKS_DIR", str(hooks))
    with tme.TaskManager(db) as tm:
        outcome = {}

        def add():
            try:
                outcome["task"] = tm.add_task("Slow")
            except tme.Error as e:
                outcome["error"] = e

        adding = threading.Thread(target=add)
        adding.start()
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        go.touch()
        adding.join(30)
        assert "error" not in outcome, outcome.get("error")
        assert outcome["task"].title == "Slow"


def test_the_cli_and_python_see_each_others_changes_at_once(tm, db):
    tm.add_task("From Python", "Home")
    assert "From Python" in run_tme(db, "list").stdout
    run_tme(db, "add", "From the CLI", "#Work", "due:eom")
    task = tm.get_task("From the CLI")
    assert (task.category, task.due) == ("Work", date(2026, 12, 31))
    run_tme(db, "done", str(task.id))
    assert tm.get_task(task.id).status == "completed"
    tm.update(task.id, priority="H")
    assert "priority: (none) → H" in run_tme(db, "history", str(task.id)).stdout
    assert "tester via python" in run_tme(db, "history", str(task.id)).stdout


def test_the_cli_and_python_write_one_file_at_the_same_time(tm, db):
    script = "; ".join(
        f'"{os.environ["TME_TEST_BIN"]}" --db "{db}" add "cli {i}" >/dev/null' for i in range(20)
    )
    cli = subprocess.Popen(["bash", "-c", script])
    for i in range(20):
        tm.add_task(f"python {i}")
    assert cli.wait(timeout=120) == 0
    tasks = tm.get_tasks()
    assert len(tasks) == 40
    assert sorted(t.id for t in tasks) == list(range(1, 41))
    listed = run_tme(db, "list", "--json").stdout
    assert listed.count('"title"') == 40
    assert "is sound: 40 tasks" in run_tme(db, "check").stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_running_tui_shows_what_python_adds(tm, db):
    socket = f"tme-python-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    command = f'"{os.environ["TME_TEST_BIN"]}" --db "{db}"'
    subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "35", command], check=True)
    try:

        def screen():
            return subprocess.run(
                tmux + ["capture-pane", "-p"], capture_output=True, text=True
            ).stdout

        def shows(text):
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                if text in screen():
                    return True
                time.sleep(0.1)
            return False

        assert shows("No tasks") or shows("tasks"), screen()
        tm.add_task("Added from Python while the TUI runs")
        assert shows("Added from Python while the TUI runs"), screen()
        assert tm.get_tasks()[0].title == "Added from Python while the TUI runs"
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)


@pytest.mark.skipif("TME_TEST_POSTGRES_URL" not in os.environ, reason="no PostgreSQL to try")
def test_a_postgresql_url_is_a_database_too():
    url = os.environ["TME_TEST_POSTGRES_URL"]
    with tme.TaskManager(url) as tm:
        assert tm.database.startswith("postgres")
        first = tm.add_task("Shared with the team", "Team")
        assert "Shared with the team" in run_tme(url, "list").stdout
        run_tme(url, "done", str(first.id))
        assert tm.get_task(first.id).status == "completed"


def test_the_recurrence_ticker_catches_up_as_the_cli_does(db, monkeypatch):
    with tme.TaskManager(db) as tm:
        series = tm.capture("Water plants every:daily")
        assert len(tm.get_tasks(text="Water plants")) == 1
    monkeypatch.setenv("TME_NOW", "2026-12-03T09:00:00Z")
    with tme.TaskManager(db) as tm:
        due = sorted(t.due for t in tm.get_tasks(text="Water plants", status="open"))
        assert [t for t in tm.get_tasks(status="recurring")] == [tm.get_task(series)]
        assert due[-1] == date(2026, 12, 3), "today's occurrence is there"
