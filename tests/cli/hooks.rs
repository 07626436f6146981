//! Taskwarrior-style hook scripts: classic shell hooks that refuse tasks without a project,
//! add a tag, see modifications and veto a launch.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{Sandbox, TestResult};

fn script(dir: &Path, name: &str, body: &str, mode: u32) -> TestResult {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}"))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

fn hooks(s: &Sandbox) -> Result<std::path::PathBuf, Box<dyn std::error::Error>> {
    let dir = s.path().join("hooks");
    std::fs::create_dir_all(&dir)?;
    // As in Taskwarrior's documentation: no project, no task.
    script(
        &dir,
        "on-add.10-require-project",
        "read task\ncase \"$task\" in\n  *'\"project\":'*) echo \"$task\" ;;\n  *) echo 'Tasks must have a project'; exit 1 ;;\nesac\n",
        0o755,
    )?;
    // Tags every new task (it gets the task the first hook returned).
    script(
        &dir,
        "on-add.20-tag",
        "read task\necho 'tagged by hook'\necho \"$task\" | sed 's/}$/,\"tags\":[\"hooked\"]}/'\n",
        0o755,
    )?;
    // Sees the old and the new task, changes nothing.
    script(
        &dir,
        "on-modify.10-log",
        "read old\nread new\necho \"$old\" >> \"$(dirname \"$0\")/seen.log\"\necho \"$new\"\n",
        0o755,
    )?;
    Ok(dir)
}

#[test]
fn classic_hooks_refuse_and_change_tasks() -> TestResult {
    let s = Sandbox::new();
    let dir = hooks(&s)?;
    let tme = |args: &[&str]| s.cmd().env("TME_HOOKS_DIR", &dir).args(args).assert();
    let refused = tme(&["add", "No project here"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(err.contains("Tasks must have a project"), "{err}");
    assert!(
        err.contains(
            "tme: hook on-add.10-require-project refused the change: Tasks must have a project"
        ),
        "{err}"
    );
    assert!(s.all_json().is_empty(), "nothing was added");

    let added = tme(&["add", "Pay rent #Finance"]).success();
    let err = String::from_utf8_lossy(&added.get_output().stderr).into_owned();
    assert!(err.contains("tagged by hook"), "feedback is shown: {err}");
    let tasks = s.all_json();
    assert_eq!(tasks[0]["tags"], serde_json::json!(["hooked"]));
    assert_eq!(tasks[0]["category"], "Finance");

    tme(&["modify", "1", "pri:H"]).success();
    let seen = std::fs::read_to_string(dir.join("seen.log"))?;
    assert!(
        seen.contains("\"description\":\"Pay rent\"") && !seen.contains("\"priority\""),
        "the task before: {seen}"
    );
    assert_eq!(s.all_json()[0]["priority"], "H");
    Ok(())
}

#[test]
fn a_launch_hook_vetoes_and_unsafe_hooks_are_skipped() -> TestResult {
    let s = Sandbox::new();
    let dir = s.path().join("hooks");
    std::fs::create_dir_all(&dir)?;
    script(
        &dir,
        "on-launch.lock",
        "echo 'the database is locked for the audit'\nexit 3\n",
        0o755,
    )?;
    let out = s
        .cmd()
        .env("TME_HOOKS_DIR", &dir)
        .args(["add", "Anything"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("refused the change: the database is locked for the audit"),
        "{err}"
    );

    std::fs::remove_file(dir.join("on-launch.lock"))?;
    script(&dir, "on-add.evil", "echo '{\"uuid\":\"x\"}'\n", 0o777)?;
    let out = s
        .cmd()
        .env("TME_HOOKS_DIR", &dir)
        .args(["add", "Anything"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("is writable by anyone, so it is not run"),
        "{err}"
    );

    std::fs::set_permissions(
        dir.join("on-add.evil"),
        std::fs::Permissions::from_mode(0o755),
    )?;
    let out = s
        .cmd()
        .env("TME_HOOKS_DIR", &dir)
        .args(["add", "Other"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("came back with uuid 'x'"),
        "a hook cannot swap the task: {err}"
    );
    assert_eq!(s.all_json().len(), 1);
    Ok(())
}

#[test]
fn the_calendar_file_follows_every_change() -> TestResult {
    let s = Sandbox::new();
    let ics = s.path().join("tasks.ics");
    let tme = |args: &[&str]| {
        s.cmd()
            .env("TME_CALENDAR_FILE", &ics)
            .args(args)
            .assert()
            .success()
    };
    tme(&["add", "Pay rent #Finance due:eom every:monthly pri:H"]);
    tme(&["add", "Dentist, at last due:2026-12-03T14:30"]);
    let text = std::fs::read_to_string(&ics)?;
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert_eq!(
        text.matches("BEGIN:VTODO").count(),
        2,
        "the series (its open instance is one of its RRULE's occurrences), the dentist"
    );
    assert!(
        text.contains("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1\r\n"),
        "{text}"
    );
    assert!(text.contains("SUMMARY:Dentist\\, at last\r\n"), "{text}");
    assert!(
        text.contains("DUE:20261203T133000Z\r\n"),
        "14:30 in Berlin: {text}"
    );
    assert!(text.contains("PRIORITY:1\r\n"));
    let modified = std::fs::metadata(&ics)?.modified()?;
    tme(&["list"]);
    assert_eq!(
        std::fs::metadata(&ics)?.modified()?,
        modified,
        "reading changes nothing"
    );
    tme(&["done", "3"]);
    let text = std::fs::read_to_string(&ics)?;
    assert_eq!(
        text.matches("BEGIN:VTODO").count(),
        1,
        "the dentist is done"
    );
    assert!(!text.contains("Dentist"), "{text}");
    Ok(())
}
