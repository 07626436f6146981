"""The example of TME's origin document, verbatim."""

import tme


def test_the_origin_example_runs_as_written(db, capsys):
    tm = tme.TaskManager(db)
    task1 = tm.add_task("Grocery Shopping", "Shopping")
    task2 = tm.add_task("Pay Bills", "Finance")
    tm.assign_dependency(task1, task2)
    for task in tm.get_tasks_by_category("Finance"):
        print(task)
    tm.mark_completed("Pay Bills")

    assert capsys.readouterr().out == "2 Pay Bills #Finance\n"
    assert tm.get_task(task2).status == "completed"
    assert tm.get_task(task1).depends == [(2, "fs")]
    tm.close()
