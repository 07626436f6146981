//! The working directory is not trusted: a `conf/config.yaml` or `.env` found there may change
//! only what the user sees (types, keys, theme, contexts, urgency, week start, zone); hooks,
//! plugins, the webhook, the calendar file, backups, logs, rules and the database come from it
//! only when the user trusts it (`TME_TRUSTED_DIRS`). Nothing found there hangs or fails a
//! command.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use crate::support::{Sandbox, TestResult};

/// A project directory someone else prepared: its config sets a hooks directory with an
/// `on-launch` hook that leaves a mark, a calendar file, a plugin and a database; its `.env`
/// a webhook and another database.
fn planted(s: &Sandbox) -> TestResult {
    let work = s.work();
    let hooks = work.join("evil-hooks");
    std::fs::create_dir_all(&hooks)?;
    let hook = hooks.join("on-launch.mark");
    std::fs::write(
        &hook,
        format!("#!/bin/sh\ntouch {}\n", work.join("ran").display()),
    )?;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))?;
    s.config(&format!(
        "hooks_dir: {}\ncalendar_file: {}\nplugins:\n  external: [./plugin]\ndatabase_url: {}\ntypes:\n  experiment:\n    samples: {{ kind: number }}\n",
        hooks.display(),
        work.join("overwritten.ics").display(),
        work.join("theirs.redb").display()
    ));
    std::fs::write(
        work.join(".env"),
        format!(
            "TME_WEBHOOK_URL=http://127.0.0.1:9/steal\nTME_DATABASE_URL={}\nTME_SCHEDULE_ENABLED=false\n",
            work.join("dotenv.redb").display()
        ),
    )?;
    Ok(())
}

/// `tme ARGS` in the sandbox with its working directory not trusted.
fn untrusted(s: &Sandbox, args: &[&str]) -> Result<(bool, String), Box<dyn std::error::Error>> {
    let out = s
        .process("tme")
        .env_remove("TME_TRUSTED_DIRS")
        .args(args)
        .output()?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn an_untrusted_directory_runs_nothing_sends_nothing_and_writes_nothing() -> TestResult {
    let s = Sandbox::new();
    planted(&s)?;
    let (ok, err) = untrusted(
        &s,
        &["add", "Run ablation", "type:experiment", "samples:30"],
    )?;
    assert!(ok, "{err}");
    assert!(!s.work().join("ran").exists(), "its hook did not run");
    assert!(
        !s.work().join("overwritten.ics").exists(),
        "its calendar file was not written"
    );
    assert!(
        !s.work().join("theirs.redb").exists(),
        "its database was not used"
    );
    assert!(!s.work().join("dotenv.redb").exists(), "nor its .env's");
    assert!(
        err.contains("sets database_url, hooks_dir, calendar_file, plugins, which only a trusted directory may; not used"),
        "{err}"
    );
    assert!(
        err.contains("sets TME_WEBHOOK_URL, TME_DATABASE_URL, which only a trusted directory may"),
        "{err}"
    );
    assert!(
        err.contains("export TME_TRUSTED_DIRS="),
        "it says how to trust it: {err}"
    );
    let listed = s
        .process("tme")
        .env_remove("TME_TRUSTED_DIRS")
        .args(["list", "--all", "--json"])
        .output()?;
    let tasks: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout)?;
    assert_eq!(tasks.len(), 1, "the task went to the user's own database");
    assert!(s.db().exists(), "which is the sandbox's");
    assert_eq!(
        tasks[0]["attrs"]["samples"], 30.0,
        "its task types are used"
    );
    Ok(())
}

#[test]
fn a_trusted_directory_sets_everything() -> TestResult {
    let s = Sandbox::new();
    planted(&s)?;
    let out = s.cmd().args(["list"]).output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        s.work().join("ran").exists(),
        "a trusted directory's hook runs"
    );
    assert!(
        s.work().join("dotenv.redb").exists(),
        "and its .env chooses the database"
    );
    Ok(())
}

#[test]
fn nothing_in_the_working_directory_hangs_or_fails_a_command() -> TestResult {
    let s = Sandbox::new();
    // A Python virtualenv is a directory called .env.
    std::fs::create_dir_all(s.work().join(".env/bin"))?;
    let started = Instant::now();
    let (ok, err) = untrusted(&s, &["add", "Water plants"])?;
    assert!(ok, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    std::fs::remove_dir_all(s.work().join(".env"))?;

    // A FIFO nobody writes to would block whoever opens it.
    let fifo = s.work().join(".env");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
    assert!(made.success());
    std::fs::create_dir_all(s.work().join("conf"))?;
    let made = std::process::Command::new("mkfifo")
        .arg(s.work().join("conf/config.yaml"))
        .status()?;
    assert!(made.success());
    let started = Instant::now();
    let (ok, err) = untrusted(&s, &["list"])?;
    assert!(ok, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    std::fs::remove_file(&fifo)?;
    std::fs::remove_file(s.work().join("conf/config.yaml"))?;

    // A broken config file there is passed over with a warning.
    s.config("week_start: someday\n");
    let (ok, err) = untrusted(&s, &["list"])?;
    assert!(ok, "{err}");
    assert!(
        err.contains("config.yaml is not used:") && err.contains("week_start"),
        "{err}"
    );
    Ok(())
}
