//! A day with TME, across many commands, and the log it leaves.

use crate::support::{Sandbox, TestResult, field};

#[test]
fn a_day_of_work() -> TestResult {
    let mut s = Sandbox::new();
    s.ok(&["add", "Draft proposal #Work pri:H due:today"]);
    s.ok(&["add", "Review budget #Work due:tomorrow dep:1"]);
    s.ok(&["add", "Gym +health"]);
    s.ok(&["start", "1"]);
    s.set_now("2026-11-26T11:00:00+01:00");
    s.ok(&["done", "Draft proposal"]);
    s.ok(&["annotate", "2", "numbers from finance"]);
    s.set_now("2026-11-26T18:00:00+01:00");
    s.ok(&["modify", "Gym", "due:tomorrow"]);
    let tasks = s.json(&["list", "--all", "--sort", "id", "--json"]);
    let draft = &tasks[0];
    assert_eq!(field(draft, "status"), "completed");
    assert_eq!(draft["spent"], 7200);
    assert_eq!(
        tasks[1]["blocked"], false,
        "completing the blocker unblocks"
    );
    assert_eq!(field(&tasks[2], "due"), "2026-11-27");
    s.ok(&["undo"]);
    assert!(s.json(&["list", "3", "--json"])[0].get("due").is_none());
    Ok(())
}

#[test]
fn every_action_and_error_is_logged_to_a_file_not_the_terminal() -> TestResult {
    let s = Sandbox::new();
    let out = s.run(&["add", "Logged task"]).success();
    assert!(
        out.get_output().stderr.is_empty(),
        "nothing on stderr without -v"
    );
    s.fails(&["done", "77"], 2);
    s.fails(&["list", "--limit", "lots"], 2);
    let log_dir = s.path().join("home/.local/state/tme/log");
    let mut text = String::new();
    for entry in std::fs::read_dir(&log_dir)? {
        text.push_str(&std::fs::read_to_string(entry?.path())?);
    }
    assert!(text.contains("tme add 'Logged task'"), "{text}");
    assert!(
        text.contains("op=\"add\"") || text.contains("op=add"),
        "{text}"
    );
    assert!(text.contains("task 77 does not exist"), "{text}");
    assert!(
        text.contains("usage"),
        "usage errors are logged too: {text}"
    );
    let verbose = s.run(&["-v", "list"]).success();
    assert!(String::from_utf8_lossy(&verbose.get_output().stderr).contains("run"));
    Ok(())
}

#[cfg(unix)]
#[test]
fn the_database_is_private() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.ok(&["add", "secret plans"]);
    let mode = std::fs::metadata(s.db())?.permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let logs = s.path().join("home/.local/state/tme/log");
    let mut files = 0;
    for entry in std::fs::read_dir(&logs)? {
        let mode = entry?.metadata()?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "log files are private too");
        files += 1;
    }
    assert_eq!(files, 1);
    Ok(())
}
