"""The package as a user meets it: its help, its type information, and the README's examples."""

import pydoc
import re
import subprocess
import sys
from pathlib import Path

import tme

README = Path(__file__).resolve().parents[2] / "README.md"


def test_help_documents_every_method():
    text = pydoc.render_doc(tme.TaskManager, renderer=pydoc.plaintext)
    for method in [
        "add_task", "create", "capture", "update", "delete", "mark_completed", "start", "stop",
        "annotate", "assign_dependency", "get_task", "get_tasks", "get_tasks_by_category",
        "get_tasks_by_type", "undo", "history", "report", "on", "off", "close",
    ]:
        doc = getattr(tme.TaskManager, method).__doc__
        assert doc and len(doc.split()) > 4, method
        assert method in text
    assert "A task list" in text
    assert "create(self, /, title, category=None, description=None" in text
    assert tme.Task.__doc__ and tme.Task.due.__doc__
    assert tme.__version__ == "0.1.0"


def test_the_package_carries_its_type_information():
    package = Path(tme.__file__).parent
    assert (package / "py.typed").exists()
    stubs = (package / "__init__.pyi").read_text()
    assert "class TaskManager" in stubs and "def get_tasks(" in stubs


def python_blocks() -> list[str]:
    text = README.read_text()
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def expected_output(block: str) -> list[str]:
    """What the block says its prints show: the comment after each `print(`."""
    shown = []
    for line in block.splitlines():
        if "  # " not in line:
            continue
        comment = line.split("  # ", 1)[1]
        match = re.fullmatch(r'prints "(.*)"', comment)
        if match:
            shown.append(match.group(1))
        elif "print(" in line:
            shown.append(comment)
    return shown


def test_the_readme_examples_run_and_print_what_they_say(tmp_path):
    blocks = python_blocks()
    assert len(blocks) == 2
    for n, block in enumerate(blocks):
        workdir = tmp_path / f"example{n}"
        workdir.mkdir()
        out = subprocess.run(
            [sys.executable, "-c", block], cwd=workdir, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines() == expected_output(block), block
