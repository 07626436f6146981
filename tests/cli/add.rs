//! `tme add` and `tme log`.

use crate::support::{Sandbox, TestResult, field};

#[test]
fn add_parses_every_field() -> TestResult {
    let s = Sandbox::new();
    assert_eq!(
        s.ok(&[
            "add", "Pay", "rent", "#Finance", "due:eom", "pri:H", "+bills", "est:30m"
        ]),
        "Created task 1.\n"
    );
    s.ok(&[
        "add",
        "Write paper #Research.ML due:fri sched:tomorrow wait:today est:1h30m type:paper dep:1",
    ]);
    s.ok(&["add", "Call", "Bob", "due:next monday", "14:00"]);
    let tasks = s.all_json();
    let rent = &tasks[0];
    assert_eq!(field(rent, "title"), "Pay rent");
    assert_eq!(field(rent, "category"), "Finance");
    assert_eq!(field(rent, "due"), "2026-11-30");
    assert_eq!(field(rent, "priority"), "H");
    assert_eq!(rent["tags"], serde_json::json!(["bills"]));
    assert_eq!(rent["estimate"], 1800);
    let paper = tasks.iter().find(|t| t["id"] == 2).ok_or("task 2")?;
    assert_eq!(field(paper, "due"), "2026-11-27");
    assert_eq!(field(paper, "scheduled"), "2026-11-27");
    assert_eq!(field(paper, "type"), "paper");
    assert_eq!(paper["depends"][0]["id"], 1);
    assert_eq!(paper["depends"][0]["kind"], "fs");
    assert_eq!(paper["depends"][0]["uuid"], rent["uuid"]);
    assert_eq!(paper["blocked"], true);
    let call = tasks.iter().find(|t| t["id"] == 3).ok_or("task 3")?;
    assert_eq!(field(call, "title"), "Call Bob");
    assert_eq!(field(call, "due"), "2026-11-30T14:00:00+01:00");
    Ok(())
}

#[test]
fn unrecognised_words_and_quotes_stay_in_the_title() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Meet at 10:30 re:budget about issue #42 and +1"]);
    s.ok(&["add", "Say", "\"due:tomorrow\"", "literally"]);
    let tasks = s.all_json();
    assert_eq!(
        field(&tasks[0], "title"),
        "Meet at 10:30 re:budget about issue #42 and +1"
    );
    assert_eq!(field(&tasks[1], "title"), "Say due:tomorrow literally");
    assert!(tasks[1].get("due").is_none());
    Ok(())
}

#[test]
fn log_records_a_finished_task() -> TestResult {
    let s = Sandbox::new();
    assert_eq!(s.ok(&["log", "Filed taxes #Finance"]), "Logged task 1.\n");
    let tasks = s.all_json();
    assert_eq!(field(&tasks[0], "status"), "completed");
    assert_eq!(field(&tasks[0], "completed"), "2026-11-26T09:00:00+01:00");
    assert_eq!(s.ok(&["list"]), "No matching tasks.\n");
    Ok(())
}
