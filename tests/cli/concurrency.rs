//! Several processes using one database at once.

use std::thread;
use std::time::{Duration, Instant};

use crate::support::{Sandbox, TestResult};

#[test]
fn two_processes_adding_200_tasks_each_end_with_400() -> TestResult {
    let s = Sandbox::new();
    thread::scope(|scope| {
        let workers: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let s = &s;
                scope.spawn(move || {
                    for i in 0..200 {
                        let out = s.cmd().args(["add", &format!("{name} {i}")]).output();
                        let out = out.unwrap_or_else(|e| panic!("cannot run tme: {e}"));
                        assert!(
                            out.status.success(),
                            "{name} {i}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        assert!(
                            out.stderr.is_empty(),
                            "an error was shown: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                })
            })
            .collect();
        for worker in workers {
            if worker.join().is_err() {
                panic!("a worker failed");
            }
        }
    });
    let tasks = s.all_json();
    assert_eq!(tasks.len(), 400);
    let mut ids: Vec<u64> = tasks.iter().filter_map(|t| t["id"].as_u64()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 400, "every task has its own id");
    Ok(())
}

/// How long the mixed run lasts: `TME_CONCURRENCY_SECS` (6 by default; the long form in
/// `scripts/reliability.sh` runs 60).
fn mixed_run_length() -> Duration {
    let secs = std::env::var("TME_CONCURRENCY_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    Duration::from_secs(secs)
}

/// Runs `tme ARGS` and insists it succeeded without a word on stderr.
fn quietly(s: &Sandbox, args: &[&str]) -> Result<String, String> {
    let out = s.cmd().args(args).output().map_err(|e| e.to_string())?;
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !err.is_empty() {
        return Err(format!("tme {args:?} showed: {err}"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn four_writers_two_readers_and_a_tui_at_once() -> TestResult {
    let mut s = Sandbox::new();
    let shared = s.ok(&["add", "Shared notes"]);
    let shared: String = shared.chars().filter(char::is_ascii_digit).collect();
    // A month after the series were made: every process (and the TUI) catches up at once.
    s.series_a_month_behind(10);
    let now = crate::support::A_MONTH_ON;
    let tmux = crate::tui::Tmux::start(&s.work())?;
    tmux.type_text(&crate::tui::launch(&s, now))?;
    tmux.keys(&["Enter"])?;

    let until = Instant::now() + mixed_run_length();
    let (added, noted, reads) = thread::scope(|scope| {
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (s, shared) = (&s, &shared);
                scope.spawn(move || -> Result<(Vec<String>, Vec<String>), String> {
                    let (mut added, mut noted) = (Vec::new(), Vec::new());
                    let mut i = 0;
                    while Instant::now() < until {
                        let title = format!("Writer {w} task {i}");
                        quietly(s, &["add", &title])?;
                        added.push(title);
                        let note = format!("writer {w} note {i}");
                        quietly(s, &["annotate", shared, &note])?;
                        noted.push(note);
                        i += 1;
                    }
                    Ok((added, noted))
                })
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|r| {
                let s = &s;
                scope.spawn(move || -> Result<usize, String> {
                    let mut reads = 0;
                    while Instant::now() < until {
                        let args: &[&str] = if r == 0 {
                            &["list", "--all", "--json"]
                        } else {
                            &["status", "--json"]
                        };
                        let out = quietly(s, args)?;
                        serde_json::from_str::<serde_json::Value>(&out)
                            .map_err(|e| format!("{args:?} printed broken JSON: {e}"))?;
                        reads += 1;
                    }
                    Ok(reads)
                })
            })
            .collect();
        let mut added = Vec::new();
        let mut noted = Vec::new();
        let mut reads = 0;
        for writer in writers {
            let (a, n) = writer.join().map_err(|_| "a writer panicked")??;
            added.extend(a);
            noted.extend(n);
        }
        for reader in readers {
            reads += reader.join().map_err(|_| "a reader panicked")??;
        }
        Ok::<_, Box<dyn std::error::Error>>((added, noted, reads))
    })?;

    let screen = tmux.wait_for(" shown", Duration::from_secs(10))?;
    assert!(
        !screen.to_lowercase().contains("error"),
        "the TUI showed an error:\n{screen}"
    );
    tmux.keys(&["q"])?;
    let check = s.ok(&["check"]);
    assert!(check.contains("is sound"), "{check}");
    let tasks = s.all_json();
    let titles: Vec<&str> = tasks.iter().filter_map(|t| t["title"].as_str()).collect();
    for title in &added {
        assert!(
            titles.contains(&title.as_str()),
            "'{title}' was added, then lost"
        );
    }
    let notes: Vec<&str> = tasks
        .iter()
        .find(|t| t["id"].as_u64() == shared.parse().ok())
        .and_then(|t| t["annotations"].as_array())
        .map(|a| a.iter().filter_map(|n| n["text"].as_str()).collect())
        .unwrap_or_default();
    for note in &noted {
        assert!(
            notes.contains(&note.as_str()),
            "'{note}' was written, then lost"
        );
    }
    let mut occurrences: Vec<String> = tasks
        .iter()
        .filter(|t| !t["recurrence"]["template"].is_null())
        .map(|t| {
            format!(
                "{} {}",
                t["recurrence"]["template"], t["recurrence"]["occurrence"]
            )
        })
        .collect();
    let instances = occurrences.len();
    occurrences.sort();
    occurrences.dedup();
    assert_eq!(
        occurrences.len(),
        instances,
        "an occurrence was spawned twice"
    );
    assert!(instances >= 10 * 30, "the month was caught up: {instances}");
    eprintln!(
        "concurrency: {} adds and {} notes by 4 writers, {reads} reads by 2 readers, {instances} instances spawned, with the TUI open",
        added.len(),
        noted.len()
    );
    Ok(())
}
