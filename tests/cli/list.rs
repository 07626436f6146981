//! `tme list` and `tme next`.

use crate::support::{Sandbox, TestResult, field};

fn ids(tasks: &[serde_json::Value]) -> Vec<u64> {
    tasks.iter().filter_map(|t| t["id"].as_u64()).collect()
}

fn sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["add", "Write report #Work.Docs +urgent due:tomorrow pri:M"]);
    s.ok(&["add", "Fix build #Work.Backend due:+10d"]);
    s.ok(&["add", "Buy milk #Shopping +errand"]);
    s.ok(&["add", "Renew passport due:-3d"]);
    s.ok(&["add", "Plan trip wait:+5d"]);
    s.ok(&["log", "Old report #Work"]);
    s
}

#[test]
fn the_table_is_aligned_with_relative_dates() -> TestResult {
    let s = sample();
    let out = s.ok(&["list"]);
    let expected = "\
ID P Title          Category     Tags   Due         Urg
 1 M Write report   Work.Docs    urgent tomorrow   14.0
 4   Renew passport                     3d overdue  9.9
 2   Fix build      Work.Backend        in 10d      4.9
 3   Buy milk       Shopping     errand             2.0

4 tasks
";
    assert_eq!(out, expected);
    Ok(())
}

#[test]
fn filters_narrow_the_list() -> TestResult {
    let s = sample();
    assert_eq!(ids(&s.json(&["list", "#Work", "--json"])), [1, 2]);
    assert_eq!(
        ids(&s.json(&["list", "#Work", "--all", "--json"])),
        [1, 2, 6]
    );
    assert_eq!(ids(&s.json(&["list", "+urgent", "--json"])), [1]);
    assert_eq!(ids(&s.json(&["list", "-urgent", "#Work", "--json"])), [2]);
    assert_eq!(ids(&s.json(&["list", "report", "--json"])), [1]);
    assert_eq!(ids(&s.json(&["list", "due.before:today", "--json"])), [4]);
    assert_eq!(ids(&s.json(&["list", "due.after:+2d", "--json"])), [2]);
    assert_eq!(ids(&s.json(&["list", "status:waiting", "--json"])), [5]);
    assert_eq!(ids(&s.json(&["list", "status:completed", "--json"])), [6]);
    assert_eq!(ids(&s.json(&["list", "pri:M", "--json"])), [1]);
    assert_eq!(
        ids(&s.json(&["list", "3,4", "--json"])),
        [4, 3],
        "most urgent first"
    );
    assert_eq!(s.ok(&["list", "nothing-like-this"]), "No matching tasks.\n");
    Ok(())
}

#[test]
fn sorting_and_limits() -> TestResult {
    let s = sample();
    assert_eq!(
        ids(&s.json(&["list", "--sort", "id", "--json"])),
        [1, 2, 3, 4]
    );
    assert_eq!(
        ids(&s.json(&["list", "--sort", "due", "--json"])),
        [4, 1, 2, 3]
    );
    assert_eq!(
        ids(&s.json(&["list", "--sort", "title", "--reverse", "--json"])),
        [1, 4, 2, 3]
    );
    assert_eq!(ids(&s.json(&["list", "--limit", "2", "--json"])), [1, 4]);
    assert!(
        s.ok(&["list", "--limit", "2"])
            .ends_with("\n2 of 4 tasks\n")
    );
    Ok(())
}

#[test]
fn next_ranks_by_urgency() -> TestResult {
    let s = sample();
    s.ok(&["add", "Unblock everyone +next"]);
    s.ok(&["modify", "2", "dep:7"]);
    let next = s.json(&["next", "--json", "--limit", "3"]);
    assert_eq!(ids(&next), [7, 1, 4]);
    assert_eq!(
        next[0]["urgency"], 24.0,
        "next tag 15 + blocking 8 + tags 1"
    );
    let blocked = s.json(&["list", "2", "--json"]);
    assert_eq!(blocked[0]["blocked"], true);
    assert!(s.ok(&["next", "--limit", "1"]).contains("Unblock everyone"));
    Ok(())
}

#[test]
fn json_has_the_documented_fields() -> TestResult {
    let s = sample();
    let tasks = s.all_json();
    let report = &tasks[0];
    let keys: Vec<&str> = report
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for key in [
        "id", "uuid", "title", "category", "tags", "status", "priority", "due", "created",
        "modified", "blocked", "urgency",
    ] {
        assert!(keys.contains(&key), "missing {key} in {keys:?}");
    }
    assert!(!keys.contains(&"wait"), "absent fields are left out");
    assert_eq!(field(report, "created"), "2026-11-26T09:00:00+01:00");
    let waiting = tasks.iter().find(|t| t["id"] == 5).ok_or("task 5")?;
    assert_eq!(field(waiting, "status"), "waiting");
    assert_eq!(field(waiting, "wait"), "2026-12-01");
    Ok(())
}

#[test]
fn output_to_a_pipe_has_no_colour() -> TestResult {
    let s = sample();
    assert!(!s.ok(&["list"]).contains('\u{1b}'));
    Ok(())
}

#[test]
fn taskwarrior_virtual_tags_filter_or_say_what_to_use() {
    let s = Sandbox::new();
    s.ok(&["add", "Renew passport due:2026-11-20"]);
    s.ok(&["add", "Call the bank due:today"]);
    s.ok(&["add", "Review pull request +review"]);
    s.ok(&["start", "3"]);
    let titles = |filter: &str| -> Vec<String> {
        s.json(&["list", filter, "--json"])
            .iter()
            .map(|t| t["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(titles("+OVERDUE"), ["Renew passport"]);
    assert_eq!(titles("+TODAY"), ["Call the bank"]);
    assert_eq!(titles("+ACTIVE"), ["Review pull request"]);
    assert_eq!(
        titles("+review"),
        ["Review pull request"],
        "a tag of one's own"
    );
    let err = s.fails(&["list", "+BLOCKED"], 2);
    assert!(
        err.contains("+BLOCKED: Taskwarrior's virtual tag +BLOCKED has no counterpart here"),
        "{err}"
    );
    let err = s.fails(&["list", "-OVERDUE"], 2);
    assert!(err.contains("-OVERDUE"), "{err}");
}
