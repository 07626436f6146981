//! Commands that take ids or a filter: modify, done, delete, start, stop, annotate.

use crate::support::{Sandbox, TestResult, field};

fn shopping() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["add", "Buy milk #Shopping"]);
    s.ok(&["add", "Buy bread #Shopping"]);
    s.ok(&["add", "Pay bills #Finance"]);
    s
}

#[test]
fn modify_by_id_changes_fields() -> TestResult {
    let s = shopping();
    assert_eq!(
        s.ok(&["modify", "1", "due:fri", "+dairy", "pri:L"]),
        "Modified task 1 'Buy milk'.\n"
    );
    assert_eq!(
        s.ok(&["modify", "1", "Buy oat milk", "-dairy", "due:"]),
        "Modified task 1 'Buy oat milk'.\n"
    );
    let task = &s.json(&["list", "1", "--json"])[0];
    assert_eq!(field(task, "title"), "Buy oat milk");
    assert!(task.get("due").is_none());
    assert!(task.get("tags").is_none());
    assert_eq!(field(task, "priority"), "L");
    assert!(
        s.fails(&["modify", "1", "due:someday"], 2)
            .contains("due:someday")
    );
    Ok(())
}

#[test]
fn a_filter_matching_one_task_acts_on_it() -> TestResult {
    let s = shopping();
    assert_eq!(
        s.ok(&["done", "Pay bills"]),
        "Completed task 3 'Pay bills'.\n"
    );
    assert_eq!(
        s.ok(&["modify", "milk", "+errand"]),
        "Modified task 1 'Buy milk'.\n"
    );
    Ok(())
}

#[test]
fn a_filter_matching_several_needs_yes_without_a_terminal() -> TestResult {
    let s = shopping();
    let stderr = s.fails(&["modify", "#Shopping", "+errand"], 2);
    assert_eq!(
        stderr,
        "tme: 2 tasks match '#Shopping'; add --yes to modify all of them, or give ids\n"
    );
    assert_eq!(
        s.ok(&["modify", "#Shopping", "+errand", "--yes"]),
        "Modified task 1 'Buy milk'.\nModified task 2 'Buy bread'.\n"
    );
    assert_eq!(s.json(&["list", "+errand", "--json"]).len(), 2);
    assert!(s.fails(&["done", "Buy"], 2).contains("2 tasks match 'Buy'"));
    assert_eq!(
        s.ok(&["done", "1", "2"]),
        "Completed task 1 'Buy milk'.\nCompleted task 2 'Buy bread'.\n"
    );
    Ok(())
}

#[test]
fn delete_without_a_terminal_does_not_ask_and_undo_restores() -> TestResult {
    let s = shopping();
    assert_eq!(s.ok(&["delete", "3"]), "Deleted task 3 'Pay bills'.\n");
    assert_eq!(s.json(&["list", "status:deleted", "--json"]).len(), 1);
    assert_eq!(s.ok(&["undo"]), "Undid: tme delete 3 (1 task: 3).\n");
    assert_eq!(s.json(&["list", "--json"]).len(), 3);
    Ok(())
}

#[test]
fn start_and_stop_track_time() -> TestResult {
    let mut s = shopping();
    assert_eq!(s.ok(&["start", "3"]), "Started task 3 'Pay bills'.\n");
    assert!(s.ok(&["list"]).contains("started"));
    s.set_now("2026-11-26T09:45:00+01:00");
    assert_eq!(
        s.ok(&["stop", "3"]),
        "Stopped task 3 'Pay bills'.\nTask 3 has 45m tracked in all.\n"
    );
    let task = &s.json(&["list", "3", "--json"])[0];
    assert_eq!(task["spent"], 2700);
    assert_eq!(field(task, "started"), "2026-11-26T09:00:00+01:00");
    Ok(())
}

#[test]
fn annotate_adds_a_note() -> TestResult {
    let s = shopping();
    assert_eq!(
        s.ok(&["annotate", "2", "get", "the", "rye", "one"]),
        "Annotated task 2 'Buy bread'.\n"
    );
    let task = &s.json(&["list", "2", "--json"])[0];
    assert_eq!(task["annotations"][0]["text"], "get the rye one");
    assert_eq!(task["annotations"][0]["at"], "2026-11-26T09:00:00+01:00");
    Ok(())
}

#[test]
fn undo_reverts_a_bulk_command_as_one() -> TestResult {
    let s = shopping();
    s.ok(&["done", "1-3"]);
    assert_eq!(s.ok(&["list"]), "No matching tasks.\n");
    assert_eq!(s.ok(&["undo"]), "Undid: tme done 1-3 (3 tasks: 3, 2, 1).\n");
    assert_eq!(s.json(&["list", "--json"]).len(), 3);
    assert_eq!(
        s.ok(&["undo"]),
        "Undid: tme add 'Pay bills #Finance' (1 task: 3).\n"
    );
    Ok(())
}

#[test]
fn undo_names_the_first_tasks_of_a_big_command_and_counts_the_rest() -> TestResult {
    let s = Sandbox::new();
    let records: Vec<String> = (1..=12)
        .map(|i| format!(r#"{{"title":"Task {i}"}}"#))
        .collect();
    let file = s.file("twelve.json", format!("[{}]", records.join(",")));
    s.ok(&["import", &file]);
    assert_eq!(
        s.ok(&["undo"]),
        "Undid: import 12 records (12 tasks: 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, and 2 more).\n"
    );
    Ok(())
}
