//! Hostile hooks and plugins: a grandchild that hangs or holds the pipes, a script that never
//! reads its (large) input, one that floods its output, one that prints garbage, one that
//! fails; and another process writing while a hook runs. Each is stopped at its limit, with
//! everything it started, and nobody else waits on it.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{Sandbox, TestResult};

fn script(dir: &Path, name: &str, body: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}"))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}

/// A sandbox whose hooks may run for two seconds, with one hook `name` running `body`.
fn with_hook(name: &str, body: &str) -> Result<(Sandbox, PathBuf), Box<dyn std::error::Error>> {
    let s = Sandbox::new();
    let dir = s.path().join("hooks");
    script(&dir, name, body)?;
    let config = s.config("hooks_timeout: 2s\n");
    std::fs::rename(&config, s.path().join("config.yaml"))?;
    Ok((s, dir))
}

/// `tme ARGS` with the sandbox's hooks and config; (exit code, stderr, seconds taken).
fn tme(
    s: &Sandbox,
    dir: &Path,
    args: &[&str],
) -> Result<(i32, String, f64), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let out = s
        .process("tme")
        .env("TME_HOOKS_DIR", dir)
        .arg("--config")
        .arg(s.path().join("config.yaml"))
        .args(args)
        .output()?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed().as_secs_f64(),
    ))
}

/// Whether the process whose id a script wrote to `file` is still running.
fn still_running(file: &Path) -> Result<bool, Box<dyn std::error::Error>> {
    let pid = std::fs::read_to_string(file)?.trim().to_string();
    // A stopped process is reaped by init at once; a zombie would show as 'Z'.
    Ok(std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.split_whitespace().nth(2).is_none_or(|s| s != "Z")))
}

#[test]
fn a_hook_whose_grandchild_hangs_is_stopped_with_it() -> TestResult {
    let (s, dir) = with_hook(
        "on-add.hang",
        "sleep 600 &\necho $! > \"$(dirname \"$0\")/child.pid\"\nwait\n",
    )?;
    let (code, err, secs) = tme(&s, &dir, &["add", "Water plants"])?;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("did not finish within 2 s and was stopped"),
        "{err}"
    );
    assert!(secs < 6.0, "took {secs:.1} s");
    assert!(
        !still_running(&dir.join("child.pid"))?,
        "the grandchild was stopped too"
    );
    assert!(s.all_json().is_empty(), "nothing was added");
    Ok(())
}

#[test]
fn a_hook_that_leaves_a_child_holding_its_output_does_not_hold_tme() -> TestResult {
    let (s, dir) = with_hook(
        "on-add.leave",
        "read task\nsleep 600 &\necho $! > \"$(dirname \"$0\")/child.pid\"\necho \"$task\"\n",
    )?;
    let (code, err, secs) = tme(&s, &dir, &["add", "Water plants"])?;
    assert_eq!(code, 0, "{err}");
    assert!(secs < 2.0, "the hook was done at once; took {secs:.1} s");
    assert!(
        !still_running(&dir.join("child.pid"))?,
        "what it left was stopped"
    );
    assert_eq!(s.all_json().len(), 1);
    Ok(())
}

#[test]
fn a_hook_that_never_reads_a_large_task_is_stopped_at_the_limit() -> TestResult {
    let (s, dir) = with_hook("on-modify.deaf", "sleep 600\n")?;
    s.ok(&["add", "Read the report"]);
    // Old and new task together are far more than a pipe holds.
    let note = "word ".repeat(18_000);
    let (code, err, secs) = tme(&s, &dir, &["annotate", "1", &note])?;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("did not finish within 2 s"), "{err}");
    assert!(secs < 6.0, "took {secs:.1} s");
    assert!(
        s.all_json()[0].get("annotations").is_none(),
        "the note was not saved"
    );
    Ok(())
}

#[test]
fn a_hook_that_floods_its_output_is_stopped() -> TestResult {
    let (s, dir) = with_hook("on-add.flood", "yes 'flood flood flood'\n")?;
    let (code, err, secs) = tme(&s, &dir, &["add", "Water plants"])?;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("printed more than 4 MiB and was stopped"),
        "{err}"
    );
    assert!(secs < 6.0, "took {secs:.1} s");
    assert!(err.len() < 6 << 20, "the flood is not passed on whole");
    Ok(())
}

#[test]
fn a_hook_that_prints_garbage_or_fails_refuses_the_change() -> TestResult {
    let (s, dir) = with_hook("on-add.garbage", "cat > /dev/null\necho '{not json'\n")?;
    let (code, err, _) = tme(&s, &dir, &["add", "Water plants"])?;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("hook on-add.garbage printed 0 tasks; it must print the task it was given"),
        "{err}"
    );
    let (s, dir) = with_hook(
        "on-add.fails",
        "cat > /dev/null\necho 'no, not today' >&2\nexit 3\n",
    )?;
    let (code, err, _) = tme(&s, &dir, &["add", "Water plants"])?;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("refused the change: no, not today"), "{err}");
    assert!(s.all_json().is_empty());
    Ok(())
}

#[test]
fn another_process_writes_while_a_hook_runs() -> TestResult {
    let (s, dir) = with_hook("on-add.slow", "read task\nsleep 3\necho \"$task\"\n")?;
    std::fs::write(s.path().join("config.yaml"), "hooks_timeout: 10s\n")?;
    s.ok(&["list"]);
    let mut slow = s
        .process("tme")
        .env("TME_HOOKS_DIR", &dir)
        .arg("--config")
        .arg(s.path().join("config.yaml"))
        .args(["add", "Slow one"])
        .spawn()?;
    std::thread::sleep(Duration::from_millis(700));
    let started = Instant::now();
    s.ok(&["add", "Quick one"]);
    let waited = started.elapsed().as_secs_f64();
    assert!(
        waited < 1.5,
        "the second writer waited {waited:.1} s on the hook"
    );
    assert!(slow.wait()?.success());
    let mut titles: Vec<String> = s
        .all_json()
        .iter()
        .map(|t| t["title"].as_str().unwrap_or_default().to_string())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Quick one", "Slow one"]);
    s.ok(&["check"]);
    Ok(())
}

#[test]
fn a_plugin_that_stops_reading_or_leaves_a_child_is_stopped_with_everything() -> TestResult {
    let s = Sandbox::new();
    // Says hello, then starts something of its own and never reads again.
    let deaf = script(
        s.path(),
        "deaf",
        "read hello\necho '{\"plugin\":\"deaf\",\"version\":\"1\",\"protocol\":1,\"events\":[\"add\"],\"commands\":[]}'\nsleep 600 &\necho $! > \"$(dirname \"$0\")/child.pid\"\nwait\n",
    )?;
    let config = s.config("plugins:\n  timeout: 1s\n");
    let started = Instant::now();
    let out = s
        .process("tme")
        .env("TME_EXTERNAL_PLUGINS", &deaf)
        .arg("--config")
        .arg(&config)
        .args(["add", "Water plants"])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("did not answer within 1.0 s"), "{err}");
    assert!(started.elapsed().as_secs_f64() < 4.0);
    assert!(!still_running(&s.path().join("child.pid"))?);
    assert_eq!(s.all_json().len(), 1, "the task was saved all the same");
    Ok(())
}

#[test]
fn a_plugin_that_floods_its_standard_error_is_heard_up_to_a_bound() -> TestResult {
    let s = Sandbox::new();
    // 200,000 lines (some 20 MB) of complaints before and after its hello.
    let noisy = script(
        s.path(),
        "noisy",
        "read hello\nyes 'this plugin has a great deal to say about everything it sees' | head -n 100000 >&2\necho '{\"plugin\":\"noisy\",\"version\":\"1\",\"protocol\":1,\"events\":[\"add\"],\"commands\":[]}'\nyes 'and more' | head -n 100000 >&2\nwhile read event; do echo '{\"ok\":true}'; done\n",
    )?;
    let out = s
        .process("tme")
        .env("TME_EXTERNAL_PLUGINS", &noisy)
        .args(["add", "Water plants"])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{}",
        err.chars().take(500).collect::<String>()
    );
    let said: Vec<&str> = err.lines().filter(|l| l.contains("noisy: ")).collect();
    let text: usize = said
        .iter()
        .map(|l| l.len() - l.find(": ").unwrap_or(0) - 1)
        .sum();
    assert!(
        (60_000..=66_000).contains(&text),
        "what the plugin said is passed on up to 64 KiB, not {text} bytes"
    );
    assert!(
        said.iter()
            .all(|l| l.ends_with("everything it sees") || l.ends_with("left out)")),
        "whole lines"
    );
    assert!(
        said.last()
            .is_some_and(|l| l.ends_with("(the rest of what it said is left out)"))
    );
    assert_eq!(s.all_json().len(), 1);
    Ok(())
}

#[test]
fn only_hooks_nobody_else_can_change_run() -> TestResult {
    let s = Sandbox::new();
    std::fs::write(s.path().join("config.yaml"), "")?;
    let dir = s.path().join("hooks");
    let mark = s.path().join("ran");
    let body = format!("touch {}\n", mark.display());
    let hook = script(&dir, "on-launch.mark", &body)?;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o775))?;
    let (code, err, _) = tme(&s, &dir, &["list"])?;
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("is writable by its group, so it is not run (chmod g-w it)"),
        "{err}"
    );
    assert!(!mark.exists());

    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777))?;
    let (code, err, _) = tme(&s, &dir, &["list"])?;
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("which others can change, so it is not run"),
        "{err}"
    );
    assert!(
        !mark.exists(),
        "a directory anyone may write to could have had it swapped"
    );

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))?;
    let (code, err, _) = tme(&s, &dir, &["list"])?;
    assert_eq!(code, 0, "{err}");
    assert!(mark.exists(), "once only its user can change it, it runs");
    Ok(())
}

#[test]
fn hooks_inherit_no_secret_and_print_no_escape_to_the_terminal() -> TestResult {
    let (s, dir) = with_hook(
        "on-add.env",
        "read task\necho \"webhook: ${TME_WEBHOOK_URL:-unset}\"\nprintf 'red \\033[31mtext\\n'\necho \"$task\"\n",
    )?;
    let out = s
        .process("tme")
        .env("TME_HOOKS_DIR", &dir)
        .env("TME_WEBHOOK_URL", "http://127.0.0.1:9/secret-token")
        .args(["add", "Water plants"])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("webhook: unset"), "{err}");
    assert!(!err.contains("secret-token"), "{err}");
    assert!(err.contains("red \\u{1b}[31mtext"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no escape reaches the terminal: {err:?}"
    );
    Ok(())
}
