//! `tme dep`, `tme tree`, and `done`/`start` held to dependencies and subtasks.

use crate::support::{Sandbox, TestResult};

/// Release (1) has subtasks 2 and 3; 3 waits on 4 (fs); 5 waits for 3 to start (ss); 1 can
/// only finish after 5 (ff); 6 stands alone.
fn release(s: &Sandbox) {
    s.ok(&["add", "Release 1.0 #Work est:1h"]);
    s.ok(&["add", "Write changelog parent:1 est:2h"]);
    s.ok(&["add", "Fix crash parent:1 est:3h"]);
    s.ok(&["add", "Reproduce crash est:1h"]);
    s.ok(&["dep", "add", "3", "4"]);
    s.ok(&["add", "Tag the release dep:ss:3 #Work"]);
    s.ok(&["dep", "add", "1", "5", "--kind", "ff"]);
    s.ok(&["add", "Buy milk #Home"]);
}

#[test]
fn the_forest_of_open_work() -> TestResult {
    let s = Sandbox::new();
    release(&s);
    let out = s.ok(&["tree"]);
    let expected = "\
○ 1 Release 1.0 [0/2]  #Work
├─ ○ 2 Write changelog  subtask
├─ ⊘ 3 Fix crash  subtask
│  └─ ○ 4 Reproduce crash  fs
└─ ⊘ 5 Tag the release  ff
   └─ ⊘ 3 Fix crash  ss · shown above
○ 6 Buy milk  #Home
";
    assert_eq!(out, expected);
    Ok(())
}

#[test]
fn up_down_and_json_from_one_task() -> TestResult {
    let s = Sandbox::new();
    release(&s);
    s.ok(&["done", "4"]);
    let up = s.ok(&["tree", "3", "--up"]);
    assert_eq!(up, "○ 3 Fix crash\n└─ ✓ 4 Reproduce crash  fs\n");
    let down = s.ok(&["tree", "3", "--down"]);
    assert_eq!(
        down,
        "\
○ 3 Fix crash
├─ ⊘ 5 Tag the release  ss
│  └─ ○ 1 Release 1.0 [0/2]  ff
└─ ○ 1 Release 1.0 [0/2]  part of
"
    );
    let both = s.ok(&["tree", "3"]);
    assert!(
        both.starts_with("What it waits on\n") && both.contains("\n\nWhat waits on it\n"),
        "{both}"
    );
    let json = s.json(&["tree", "3", "--json"]);
    assert_eq!(json.len(), 2);
    let root = &json[1]["roots"][0];
    assert_eq!(json[1]["direction"], "down");
    assert_eq!(root["id"], 3);
    assert_eq!(root["children"][0]["id"], 5);
    assert_eq!(root["children"][0]["link"], "ss");
    assert_eq!(root["children"][0]["children"][0]["title"], "Release 1.0");
    assert_eq!(root["children"][1]["link"], "part of");
    let forest: serde_json::Value = serde_json::from_str(&s.ok(&["tree", "--json"]))?;
    assert_eq!(forest["direction"], "up");
    assert_eq!(forest["roots"][0]["progress"]["total"], 2);
    assert_eq!(forest["roots"].as_array().map(Vec::len), Some(2));
    Ok(())
}

#[test]
fn blocked_steps_are_refused_or_forced() -> TestResult {
    let s = Sandbox::new();
    release(&s);
    let err = s.fails(&["start", "3"], 1);
    assert_eq!(
        err,
        "tme: task 3 cannot start yet: it waits on task 4 'Reproduce crash' (finish-to-start); finish it first, or start it anyway (--force)\n"
    );
    let err = s.fails(&["start", "5"], 1);
    assert!(err.contains("(start-to-start); start it first"), "{err}");
    let out = s.ok(&["done", "4"]);
    assert_eq!(
        out,
        "Completed task 4 'Reproduce crash'.\nTask 3 'Fix crash' can start now.\n"
    );
    s.ok(&["start", "3"]);
    s.ok(&["start", "5"]);
    let err = s.fails(&["done", "1", "--with-subtasks"], 1);
    assert!(
        err.contains(
            "task 1 cannot complete yet: it waits on task 5 'Tag the release' (finish-to-finish)"
        ),
        "{err}"
    );
    let out = s.ok(&["done", "1", "--with-subtasks", "--force"]);
    assert_eq!(
        out,
        "Completed task 1 'Release 1.0'.\nWith task 1: 2 subtask(s) completed (2, 3).\n"
    );
    let show = s.ok(&["show", "1"]);
    assert!(
        show.contains(
            "Completed while waiting on task 5 'Tag the release' (finish-to-finish) (forced)"
        ),
        "{show}"
    );
    assert!(show.contains("Subtasks     2/2 done"), "{show}");
    s.ok(&["undo"]);
    assert!(s.ok(&["list"]).contains("Release 1.0 [0/2]"));
    Ok(())
}

#[test]
fn open_subtasks_need_a_flag_without_a_terminal() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Trip"]);
    s.ok(&["add", "Book hotel parent:1"]);
    let err = s.fails(&["done", "1"], 2);
    assert_eq!(
        err,
        "tme: task 1 has open subtasks (2); complete them first, or complete it with them (--with-subtasks)\n"
    );
    s.ok(&["done", "2"]);
    s.ok(&["done", "1"]);
    Ok(())
}

#[test]
fn dep_add_and_rm_with_cycles_and_bad_input() -> TestResult {
    let s = Sandbox::new();
    for title in ["a", "b", "c"] {
        s.ok(&["add", title]);
    }
    assert_eq!(
        s.ok(&["dep", "add", "1", "2"]),
        "Task 1 'a' now depends on task 2 'b' (finish-to-start) (blocked now).\n"
    );
    s.ok(&["dep", "add", "2", "3", "--kind", "ss"]);
    let err = s.fails(&["dep", "add", "3", "1"], 2);
    assert_eq!(err, "tme: that would make a cycle: 3 → 1 → 2 → 3\n");
    s.ok(&["dep", "add", "3", "1", "--kind", "relates"]);
    assert!(
        s.fails(&["dep", "add", "1", "x"], 2)
            .contains("'x' is not a task id")
    );
    assert!(
        s.fails(&["dep", "add", "1", "2", "--kind", "later"], 2)
            .contains("'later' is not a kind")
    );
    assert!(
        s.fails(&["dep", "add", "1", "99"], 1)
            .contains("dependency 99 does not exist")
    );
    assert!(
        s.fails(&["dep", "rm", "2", "1"], 2)
            .contains("task 2 does not depend on task 1")
    );
    assert_eq!(
        s.ok(&["dep", "rm", "1", "2"]),
        "Task 1 'a' no longer depends on task 2.\n"
    );
    let list = s.json(&["list", "--json"]);
    let blocked: Vec<&serde_json::Value> = list
        .iter()
        .filter(|t| t["blocked"] == true)
        .map(|t| &t["id"])
        .collect();
    assert_eq!(blocked, [2], "only b waits (for c to start): {list:?}");
    Ok(())
}
