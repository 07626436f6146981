//! `tme show`, `tme status`, `tme completions`.

use crate::support::{Sandbox, TestResult};

#[test]
fn show_prints_fields_links_notes_and_history() -> TestResult {
    let mut s = Sandbox::new();
    s.ok(&["add", "Collect bills"]);
    s.ok(&[
        "add",
        "Pay rent #Finance due:eom pri:H +bills est:30m dep:1",
    ]);
    s.set_now("2026-11-26T10:30:00+01:00");
    s.ok(&["modify", "2", "due:2026-12-01", "-bills"]);
    s.ok(&["annotate", "2", "landlord changed bank"]);
    let out = s.ok(&["show", "2"]);
    let expected = "\
Task 2: Pay rent
  Status       pending, blocked
  Category     Finance
  Priority     H
  Due          2026-12-01 (in 5d)
  Estimate     30m
  Depends (fs) 1 Collect bills [pending]
  Created      2026-11-26 09:00 (1h ago)
  Modified     2026-11-26 10:30 (just now)
  Urgency      9.26
";
    assert!(out.starts_with(expected), "{out}");
    assert!(
        out.contains("\nAnnotations\n  2026-11-26 10:30  landlord changed bank\n"),
        "{out}"
    );
    assert!(
        out.contains("  2026-11-26 09:00  add      tester via cli\n"),
        "{out}"
    );
    assert!(out.contains("  2026-11-26 10:30  modify   tester via cli\n      tags: bills → (none)\n      due: 2026-11-30 → 2026-12-01\n"), "{out}");
    assert!(
        out.contains("  2026-11-26 10:30  annotate tester via cli\n"),
        "{out}"
    );
    Ok(())
}

#[test]
fn show_json_is_one_object() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "One"]);
    let text = s.ok(&["show", "1", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&text)?;
    assert_eq!(value["title"], "One");
    assert_eq!(value["id"], 1);
    Ok(())
}

#[test]
fn status_counts() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "late due:yesterday"]);
    s.ok(&["add", "now due:today"]);
    s.ok(&["add", "blocked dep:1"]);
    s.ok(&["log", "done already"]);
    let text = s.ok(&["status", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&text)?;
    assert_eq!(value["pending"], 3);
    assert_eq!(value["overdue"], 1);
    assert_eq!(value["due_today"], 1);
    assert_eq!(value["blocked"], 1);
    assert_eq!(value["completed_today"], 1);
    assert!(s.ok(&["status"]).starts_with("Pending         3\n"));
    Ok(())
}

#[test]
fn completions_for_each_shell() -> TestResult {
    let s = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = s.ok(&["completions", shell]);
        assert!(script.contains("tme"), "{shell}");
        assert!(script.contains("modify"), "{shell}");
    }
    Ok(())
}

#[test]
fn without_a_terminal_the_tui_explains_itself() -> TestResult {
    let s = Sandbox::new();
    let stderr = s.fails(&[], 2);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(!s.db().exists(), "nothing was created");
    Ok(())
}
