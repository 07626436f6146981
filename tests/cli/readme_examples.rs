//! Every `$ tme …` line of the README's `console` blocks runs in bash against a scratch
//! database, at the sandbox's pinned time, and prints what the README shows.
//!
//! Each console block follows an `<!-- example … -->` comment (hidden when the README is
//! rendered) holding the bash that sets the scene: the tasks the output talks about, a config
//! file, a Taskwarrior to import from. `<!-- example: continue` keeps the previous block's
//! database instead of starting afresh. A command whose output begins `tme: ` (an error, not a
//! warning) must fail; every other command must succeed.

use std::path::Path;

use crate::support::Sandbox;

/// One console block and how to set it up.
struct Example {
    /// The README line the block starts on.
    line: usize,
    /// Whether it goes on from the previous block's database.
    continues: bool,
    /// The bash run before the commands.
    setup: String,
    /// Each command with its README line and the output shown under it.
    steps: Vec<(usize, String, String)>,
}

/// The console blocks and their setup comments.
fn examples(readme: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    let mut pending: Option<(bool, String)> = None;
    let mut lines = readme.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if let Some(rest) = line.strip_prefix("<!-- example") {
            let continues = rest.trim_start().starts_with(": continue");
            let mut setup = String::new();
            if !rest.trim_end().ends_with("-->") {
                for (_, body) in lines.by_ref() {
                    if body.trim() == "-->" {
                        break;
                    }
                    setup.push_str(body);
                    setup.push('\n');
                }
            }
            pending = Some((continues, setup));
        } else if line == "```console" {
            let (continues, setup) = pending.take().ok_or(format!(
                "README.md:{}: a console block without <!-- example -->",
                n + 1
            ))?;
            let mut steps: Vec<(usize, String, String)> = Vec::new();
            for (m, body) in lines.by_ref() {
                if body == "```" {
                    break;
                }
                match (body.strip_prefix("$ "), steps.last_mut()) {
                    (Some(command), _) => steps.push((m + 1, command.to_string(), String::new())),
                    (None, Some((_, _, shown))) => {
                        shown.push_str(body);
                        shown.push('\n');
                    }
                    (None, None) => {
                        return Err(format!("README.md:{}: output before a command", m + 1));
                    }
                }
            }
            out.push(Example {
                line: n + 1,
                continues,
                setup,
                steps,
            });
        }
    }
    Ok(out)
}

/// Runs `script` in bash in the sandbox, with `tme` and the system's tools on the path;
/// returns the exit status and what it printed (both streams, in order).
fn bash(s: &Sandbox, script: &str) -> (bool, String) {
    let tme = assert_cmd::cargo::cargo_bin("tme");
    let bin = tme.parent().unwrap_or(Path::new("."));
    let mut cmd = s.process("/bin/bash");
    cmd.env(
        "PATH",
        format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
    )
    .args(["-c", &format!("{{ :\n{script}\n}} 2>&1")]);
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"));
    let home = s.path().join("home").display().to_string();
    let text = String::from_utf8_lossy(&output.stdout).replace(&home, "/home/ann");
    let text: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut text = text.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    (output.status.success(), text)
}

/// Whether shown output is an error (a warning is not).
fn is_error(shown: &str) -> bool {
    shown.starts_with("tme: ") && !shown.starts_with("tme: warning:")
}

#[test]
fn every_readme_console_example_prints_what_it_shows() {
    let readme = include_str!("../../README.md");
    let examples = examples(readme).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        examples.len() >= 10,
        "found {} console blocks",
        examples.len()
    );
    let mut failures = Vec::new();
    let mut sandbox = Sandbox::new();
    for example in &examples {
        if !example.continues {
            sandbox = Sandbox::new();
        }
        std::fs::create_dir_all(sandbox.path().join("home")).unwrap_or_else(|e| panic!("{e}"));
        let (ok, printed) = bash(&sandbox, &example.setup);
        if !ok {
            failures.push(format!(
                "README.md:{}: the setup failed:\n{printed}",
                example.line
            ));
            continue;
        }
        for (line, command, shown) in &example.steps {
            let (ok, printed) = bash(&sandbox, command);
            let expected = shown
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n");
            let expected = if expected.is_empty() {
                expected
            } else {
                expected + "\n"
            };
            if ok == is_error(shown) {
                failures.push(format!(
                    "README.md:{line}: $ {command}\nexpected {}, and it {}:\n{printed}",
                    if is_error(shown) {
                        "failure"
                    } else {
                        "success"
                    },
                    if ok { "succeeded" } else { "failed" },
                ));
            } else if printed != expected {
                failures.push(format!(
                    "README.md:{line}: $ {command}\n--- shown\n{expected}--- printed\n{printed}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn a_console_block_without_its_setup_is_refused() {
    let bare = "text\n```console\n$ tme list\n```\n";
    assert!(examples(bare).is_err());
    let set = "<!-- example\ntme add One\n-->\n```console\n$ tme list\nID\n```\n";
    let found = examples(set).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found[0].setup, "tme add One\n");
    assert_eq!(
        found[0].steps,
        [(5, "tme list".to_string(), "ID\n".to_string())]
    );
}

/// The screens of the README's `text` blocks that show the TUI (a first line ` TME · …`).
fn screens(readme: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line != "```text" {
            continue;
        }
        let block: Vec<String> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| *l != "```")
            .map(|l| l.trim_end().to_string())
            .collect();
        if block.first().is_some_and(|l| l.starts_with(" TME · ")) {
            out.push((n + 2, block));
        }
    }
    out
}

/// A snapshot's screen, one string per row, trailing spaces trimmed.
fn snapshot_rows(text: &str) -> Vec<String> {
    text.splitn(3, "---\n")
        .nth(2)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            l.trim_start_matches('"')
                .trim_end_matches('"')
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn every_readme_screen_is_a_screen_the_tui_draws() {
    let readme = include_str!("../../README.md");
    let found = screens(readme);
    assert!(found.len() >= 4, "found {} screens", found.len());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/tests/snapshots");
    let snapshots: Vec<Vec<String>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().extension().is_some_and(|x| x == "snap"))
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .map(|text| snapshot_rows(&text))
        .collect();
    let stale: Vec<String> = found
        .iter()
        .filter(|(_, screen)| !snapshots.iter().any(|rows| rows.starts_with(screen)))
        .map(|(line, screen)| format!("README.md:{line}: {}", screen[0].trim()))
        .collect();
    assert!(
        stale.is_empty(),
        "README screens no snapshot test draws (copy them from src/tui/tests/snapshots):\n{}",
        stale.join("\n")
    );
}
