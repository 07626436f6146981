//! Bad input gets a clear message naming what was wrong, exit code 2, and changes nothing.

use std::ffi::OsStr;

use crate::support::{Sandbox, TestResult};

fn assert_nothing_stored(s: &Sandbox) {
    assert_eq!(s.all_json().len(), 0, "bad input must not store anything");
}

#[test]
fn bad_field_values_name_the_token() -> TestResult {
    let s = Sandbox::new();
    let cases: [(&[&str], &str); 9] = [
        (
            &["add", "Pay", "due:fryday"],
            "due:fryday: the due date 'fryday' is not a date; did you mean 'friday' (2026-11-27)?",
        ),
        (
            &["add", "Pay", "pri:X"],
            "pri:X: 'X' is not a priority; use pri:H, pri:M or pri:L",
        ),
        (
            &["add", "x", "est:soon"],
            "est:soon: 'soon' is not a duration",
        ),
        (
            &["add", "x", "every:sometimes"],
            "every:sometimes: 'sometimes' is not a recurrence",
        ),
        (&["add", "x", "dep:abc"], "dep:abc:"),
        (
            &["add", "x", "wait:2026-02-30"],
            "wait:2026-02-30: the wait date '2026-02-30' is not a date",
        ),
        (
            &["add", "x", "status:done"],
            "status:done: 'status:' only works in filters",
        ),
        (
            &["list", "status:finished"],
            "status:finished: 'finished' is not a status",
        ),
        (
            &["list", "every:daily"],
            "every:daily: 'every:' cannot be used in a filter",
        ),
    ];
    for (args, message) in cases {
        let stderr = s.fails(args, 2);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_nothing_stored(&s);
    Ok(())
}

#[test]
fn empty_and_missing_input() -> TestResult {
    let s = Sandbox::new();
    assert!(s.fails(&["add"], 2).contains("required"));
    assert!(s.fails(&["add", ""], 2).contains("a task needs a title"));
    assert!(s.fails(&["add", "   "], 2).contains("a task needs a title"));
    assert!(
        s.fails(&["add", "due:today", "+x"], 2)
            .contains("a task needs a title")
    );
    assert!(s.fails(&["done"], 2).contains("required"));
    assert!(s.fails(&["done", ""], 2).contains("say which tasks"));
    assert!(s.fails(&["modify", "1"], 2).contains("required"));
    assert!(
        s.fails(&["frobnicate"], 2)
            .contains("'frobnicate' is not a tme command")
    );
    assert!(
        s.fails(&["list", "--limit", "lots"], 2)
            .contains("invalid value 'lots'")
    );
    assert!(
        s.fails(&["completions", "cmd.exe"], 2)
            .contains("invalid value")
    );
    assert_nothing_stored(&s);
    Ok(())
}

#[test]
fn huge_and_hostile_titles_are_refused() -> TestResult {
    let s = Sandbox::new();
    let huge = "x".repeat(100 * 1024);
    let stderr = s.fails(&["add", &huge], 2);
    assert!(
        stderr.contains("the title is 102400 characters long; the limit is 1000"),
        "{}",
        &stderr[..200.min(stderr.len())]
    );
    assert!(
        stderr.len() < 500,
        "the message must not echo the whole title"
    );
    assert!(
        s.fails(&["add", "red \u{1b}[31m text"], 2)
            .contains("control character (U+001B)")
    );
    assert!(
        s.fails(&["add", "bell \u{7} rings"], 2)
            .contains("control character (U+0007)")
    );
    assert_nothing_stored(&s);
    Ok(())
}

#[cfg(unix)]
#[test]
fn invalid_utf8_arguments_are_refused() -> TestResult {
    use std::os::unix::ffi::OsStrExt;
    let s = Sandbox::new();
    let bad = OsStr::from_bytes(&[b'P', b'a', b'y', 0xff, 0xfe]);
    let out = s.cmd().arg("add").arg(bad).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");
    assert_nothing_stored(&s);
    Ok(())
}

#[test]
fn unknown_ids_and_empty_matches() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Pay rent"]);
    assert_eq!(s.fails(&["done", "99"], 2), "tme: task 99 does not exist\n");
    assert_eq!(
        s.fails(&["done", "1", "99"], 2),
        "tme: task 99 does not exist\n"
    );
    assert_eq!(s.fails(&["show", "42"], 2), "tme: task 42 does not exist\n");
    assert_eq!(
        s.fails(&["modify", "7", "pri:H"], 2),
        "tme: task 7 does not exist\n"
    );
    assert_eq!(
        s.fails(&["done", "Walk the dog"], 2),
        "tme: no task matches 'Walk the dog'\n"
    );
    assert!(s.fails(&["done", "0"], 2).contains("no task matches"));
    // Nothing was completed by the failed command that named 1 and 99.
    assert_eq!(s.all_json()[0]["status"], "pending");
    Ok(())
}

#[test]
fn state_errors_are_runtime_errors() -> TestResult {
    let s = Sandbox::new();
    assert_eq!(s.fails(&["undo"], 1), "tme: nothing to undo\n");
    s.ok(&["add", "x"]);
    s.ok(&["done", "1"]);
    assert_eq!(
        s.fails(&["done", "1"], 1),
        "tme: task 1 is already completed\n"
    );
    assert_eq!(s.fails(&["stop", "1"], 1), "tme: task 1 is not started\n");
    Ok(())
}

#[test]
fn bad_environment_values_are_named() -> TestResult {
    let s = Sandbox::new();
    let out = s.cmd().env("TME_NOW", "noon").arg("list").assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("environment TME_NOW: 'noon' is not an RFC 3339 time"),
        "{stderr}"
    );
    let out = s
        .cmd()
        .env("TME_DATABASE_URL", "mongodb://ann:s3cret@db/tasks")
        .arg("list")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "environment TME_DATABASE_URL: database URL 'mongodb://ann:***@db/tasks' is not understood"
        ),
        "{stderr}"
    );
    // A PostgreSQL server that does not answer: named, its password hidden, nothing hangs.
    let out = s
        .cmd()
        .env(
            "TME_DATABASE_URL",
            "postgres://ann:s3cret@127.0.0.1:1/tasks",
        )
        .arg("list")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("cannot connect to postgres://ann:***@127.0.0.1:1/tasks")
            && !stderr.contains("s3cret"),
        "{stderr}"
    );
    Ok(())
}
