"""Fixtures: every test gets a database and a home of its own, never the user's, at a fixed
moment (TME_NOW), so that no test depends on today's date."""

import os
import subprocess
from pathlib import Path

import pytest

import tme

#: The moment the tests run at: a Tuesday.
NOW = "2026-12-01T09:00:00Z"


@pytest.fixture(autouse=True)
def scratch_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home, config and data directory of the test's own, and a pinned clock."""
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith("TME_") and name not in ("TME_TEST_BIN", "TME_TEST_POSTGRES_URL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("TME_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("USER", "tester")
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database file that does not exist yet."""
    return tmp_path / "tasks.redb"


@pytest.fixture
def tm(db: Path):
    """A TaskManager on a fresh database, closed after the test."""
    with tme.TaskManager(db) as manager:
        yield manager


def run_tme(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The real `tme` binary on the same database."""
    binary = os.environ["TME_TEST_BIN"]
    return subprocess.run(
        [binary, "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=60,
    )
