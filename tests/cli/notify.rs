//! Reminders and events sent to a webhook, against a small HTTP server on 127.0.0.1: due-soon
//! and overdue reminders once each (across runs), retried when the server fails, and events.

use crate::support::{Sandbox, TestResult};

use crate::webhook::{Received, webhook};

fn texts(got: &Received) -> Vec<String> {
    got.lock()
        .map(|g| {
            g.iter()
                .map(|v| v["text"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn reminders_go_once_and_are_retried() -> TestResult {
    let s = Sandbox::new();
    let (url, got) = webhook(1)?;
    let tme = |args: &[&str]| {
        s.cmd()
            .env("TME_WEBHOOK_URL", &url)
            .args(args)
            .assert()
            .success()
    };
    s.ok(&["add", "Pay rent due:today"]);
    s.ok(&["add", "Renew passport due:2026-11-20"]);
    s.ok(&["add", "Plan trip due:2026-12-20"]);
    tme(&["list"]);
    let sent = texts(&got);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent.contains(&"Due soon: 'Pay rent' (task 1), due 2026-11-26".to_string()),
        "{sent:?}"
    );
    assert!(
        sent.contains(&"Overdue: 'Renew passport' (task 2), due 2026-11-20".to_string()),
        "{sent:?}"
    );
    tme(&["list"]);
    assert_eq!(texts(&got).len(), 2, "no reminder twice, across runs");
    s.ok(&["modify", "2", "due:today"]);
    tme(&["list"]);
    assert_eq!(texts(&got).len(), 3, "a new due date is a new reminder");
    // The URL is a secret: never in the log.
    let log_dir = s.path().join("home/.local/state/tme/log");
    let mut read = 0;
    for entry in std::fs::read_dir(&log_dir)? {
        let text = std::fs::read_to_string(entry?.path())?;
        assert!(text.contains("change"), "the log has the commands: {text}");
        assert!(!text.contains("secret-token"));
        read += 1;
    }
    assert!(read >= 1, "a log was written and read");
    Ok(())
}

#[test]
fn chosen_events_are_told_and_an_unreachable_webhook_is_only_a_warning() -> TestResult {
    let s = Sandbox::new();
    let (url, got) = webhook(0)?;
    let config = s.path().join("config.yaml");
    std::fs::write(
        &config,
        "notify:\n  due_soon: 0\n  overdue: false\n  events: [complete]\n",
    )?;
    let c = config.to_string_lossy().into_owned();
    s.cmd()
        .env("TME_WEBHOOK_URL", &url)
        .args(["--config", &c, "add", "Ship it due:today"])
        .assert()
        .success();
    s.cmd()
        .env("TME_WEBHOOK_URL", &url)
        .args(["--config", &c, "done", "1"])
        .assert()
        .success();
    assert_eq!(texts(&got), ["Complete: 'Ship it' (task 1)"]);
    let out = s
        .cmd()
        .env("TME_WEBHOOK_URL", "http://127.0.0.1:9/nothing-listens")
        .args(["add", "Still saved due:today"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("a reminder was not sent: the webhook could not be reached"),
        "{err}"
    );
    assert!(
        !err.contains("nothing-listens"),
        "the URL is not shown: {err}"
    );
    Ok(())
}

#[test]
fn a_webhook_that_never_answers_delays_a_command_by_seconds_at_most() -> TestResult {
    let s = Sandbox::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    // Takes every connection and never says a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    for i in 0..4 {
        s.ok(&["add", &format!("Due soon {i}"), "due:today"]);
    }
    let started = std::time::Instant::now();
    let out = s
        .cmd()
        .env("TME_WEBHOOK_URL", &url)
        .args(["list"])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("a reminder was not sent"), "{err}");
    let took = started.elapsed().as_secs_f64();
    // Four reminders, three tries each, ten seconds a try would be two minutes.
    assert!(took < 9.0, "took {took:.1} s");
    Ok(())
}
