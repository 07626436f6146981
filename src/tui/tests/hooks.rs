//! What the TUI's changes set off, wired through the application layer as for the CLI: hook
//! scripts (a refusal and a hook's feedback reach the status line, not the terminal, and a
//! refused task's text comes back in the add line), plugins, the calendar file and the webhook.

use std::os::unix::fs::PermissionsExt;

use ratatui::crossterm::event::KeyCode;

use super::Harness;

/// An executable shell script `name` in `dir`.
fn script(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn hooks_speak_through_the_status_line() {
    let mut h = Harness::wired("", |config, dir| {
        let hooks = dir.join("hooks");
        std::fs::create_dir(&hooks).unwrap_or_else(|e| panic!("{e}"));
        script(
            &hooks,
            "on-add.project",
            "read task\ncase \"$task\" in\n  *'\"project\":'*) echo 'checked'; echo \"$task\" ;;\n  *) echo 'Tasks must have a project'; exit 1 ;;\nesac\n",
        );
        config.hooks_dir.value = hooks;
    });

    h.key('a');
    h.type_text("No project");
    h.press(KeyCode::Enter);
    let message = h.feedback();
    assert!(message.error, "{message:?}");
    assert!(
        message
            .text
            .contains("refused the change: Tasks must have a project")
            && message.text.contains("The text is back"),
        "{message:?}"
    );
    // What was typed is given back in the add line, not lost.
    let screen = h.screen(80, 24);
    assert!(
        matches!(h.model.popup, Some(crate::tui::popup::Popup::QuickAdd(_)))
            && screen.contains("Add a task")
            && screen.contains("No project"),
        "{screen}"
    );
    h.press(KeyCode::Esc);
    assert!(h.model.popup.is_none(), "Esc drops the text");

    h.key('a');
    h.type_text("With one #Work");
    h.press(KeyCode::Enter);
    let message = h.feedback();
    assert!(
        !message.error && message.text.contains("checked"),
        "{message:?}"
    );
    assert_eq!(h.titles(), ["With one"]);
}

#[test]
fn plugins_speak_through_the_status_line_and_a_hanging_one_is_dropped() {
    let mut h = Harness::wired("", |config, dir| {
        let cheer = script(
            dir,
            "cheer",
            "while read line; do\n  case \"$line\" in\n    *'\"hello\"'*) echo '{\"plugin\":\"cheer\",\"version\":\"1\",\"protocol\":1,\"events\":[\"complete\"],\"commands\":[]}' ;;\n    *'\"event\"'*) echo '{\"ok\":true,\"messages\":[\"well done\"]}' ;;\n  esac\ndone\n",
        );
        let hang = script(dir, "hang", "sleep 30\n");
        config.plugins.value = vec![cheer, hang];
        config.plugin_timeout.value = std::time::Duration::from_millis(300);
    });
    h.add("Write report");
    h.load();
    let started = std::time::Instant::now();
    h.key('d');
    assert!(started.elapsed().as_secs() < 5);
    let message = h.feedback();
    assert!(message.text.contains("cheer: well done"), "{message:?}");
    assert!(
        message.text.contains("it is off for this run"),
        "the hanging one is reported: {message:?}"
    );
}

#[path = "../../../tests/support/webhook.rs"]
mod webhook;

#[test]
fn a_quick_add_rewrites_the_calendar_file_and_posts_the_webhook() {
    let (url, got) = webhook::webhook(0).unwrap_or_else(|e| panic!("webhook: {e}"));
    let mut calendar = std::path::PathBuf::new();
    let mut h = Harness::wired("", |config, dir| {
        calendar = dir.join("tasks.ics");
        config.calendar_file.value = Some(calendar.clone());
        config.webhook_url = Some(url);
        config.notify_events.value = vec!["add".into()];
    });
    h.key('a');
    h.type_text("Call the plumber due:tomorrow");
    h.press(KeyCode::Enter);
    let message = h.feedback();
    assert!(!message.error, "{message:?}");
    let text = std::fs::read_to_string(&calendar).unwrap_or_else(|e| panic!("calendar: {e}"));
    assert!(text.contains("SUMMARY:Call the plumber"), "{text}");
    let mode = std::fs::metadata(&calendar)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or_default();
    assert_eq!(mode, 0o600, "the calendar file is private");
    let posted: Vec<String> = got
        .lock()
        .map(|g| g.iter().map(|v| v["text"].to_string()).collect())
        .unwrap_or_default();
    assert_eq!(posted, ["\"Add: 'Call the plumber' (task 1)\""]);
}

#[test]
fn a_hanging_hook_is_stopped_and_said_on_the_status_line() {
    let mut h = Harness::wired("hooks_timeout: 1s\n", |config, dir| {
        let hooks = dir.join("hooks");
        std::fs::create_dir(&hooks).unwrap_or_else(|e| panic!("{e}"));
        script(&hooks, "on-add.hang", "sleep 600 &\nwait\n");
        config.hooks_dir.value = hooks;
    });
    let started = std::time::Instant::now();
    h.key('a');
    h.type_text("Water plants");
    h.press(KeyCode::Enter);
    assert!(started.elapsed().as_secs() < 5, "stopped at its limit");
    let message = h.feedback();
    assert!(message.error, "{message:?}");
    assert!(
        message
            .text
            .contains("did not finish within 1 s and was stopped"),
        "{message:?}"
    );
    assert!(h.titles().is_empty(), "nothing was added");
}
