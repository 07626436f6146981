//! Hook scripts in the TUI: a refusal and a hook's feedback reach the status line, not the
//! terminal.

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;

use super::Harness;
use crate::cli::ScriptHooks;

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
    let mut h = Harness::empty();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    script(
        dir.path(),
        "on-add.project",
        "read task\ncase \"$task\" in\n  *'\"project\":'*) echo 'checked'; echo \"$task\" ;;\n  *) echo 'Tasks must have a project'; exit 1 ;;\nesac\n",
    );
    let hooks =
        ScriptHooks::in_dir(dir.path(), chrono_tz::Europe::Berlin, "tme", "tui").keeping_feedback();
    h.engine.set_hooks(Arc::new(hooks));

    h.key('a');
    h.type_text("No project");
    h.press(KeyCode::Enter);
    let message = h.feedback();
    assert!(message.error, "{message:?}");
    assert!(
        message
            .text
            .contains("refused the change: Tasks must have a project"),
        "{message:?}"
    );

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
    let mut h = Harness::empty();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cheer = script(
        dir.path(),
        "cheer",
        "while read line; do\n  case \"$line\" in\n    *'\"hello\"'*) echo '{\"plugin\":\"cheer\",\"version\":\"1\",\"protocol\":1,\"events\":[\"complete\"],\"commands\":[]}' ;;\n    *'\"event\"'*) echo '{\"ok\":true,\"messages\":[\"well done\"]}' ;;\n  esac\ndone\n",
    );
    let hang = script(dir.path(), "hang", "sleep 30\n");
    let plugins = crate::cli::Plugins::new(
        vec![cheer, hang],
        std::time::Duration::from_millis(300),
        chrono_tz::Europe::Berlin,
    )
    .keeping_feedback();
    h.engine.add_observer(Arc::new(plugins));
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
