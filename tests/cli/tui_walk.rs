//! A walk through every view of the TUI in a real terminal at 80x24, 120x35 and 200x50, on
//! the demo's month of work, checking what a user would: the footer ends with help and quit,
//! Esc backs out and never quits, and a wide screen cuts nothing that fits.

use std::time::{Duration, Instant};

use crate::support::{NOW, Sandbox, TestResult};
use crate::tui::{Tmux, launch};

/// The screens of the walk: the keys that lead there from the list, a text that shows it is
/// there (and loaded), and the width from which it must show every title whole (calendar
/// cells and report titles are cut by design).
const STOPS: [(&[&str], &str, Option<u16>); 9] = [
    (&["1"], "TME · List", Some(120)),
    (&["1", "Enter"], "[completed]", Some(200)),
    (&["2"], "TME · Tree", Some(120)),
    (&["3"], "TME · Calendar · month", None),
    (&["3", "w"], "TME · Calendar · week", None),
    // The calendar keeps its mode: back in it, w goes on from week to agenda.
    (&["3", "w"], "TME · Calendar · agenda", None),
    (&["4"], "TME · Reports", None),
    (&["4", "z"], "TME · Reports", None),
    (&["1", "?"], "Moving", Some(80)),
];

/// The last line with anything on it.
fn footer(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim_end()
}

/// Whether the TUI is still drawing (not back at the shell).
fn running(tmux: &Tmux) -> bool {
    tmux.run(&["display", "-p", "-t", "tme", "#{alternate_on}"])
        .is_ok_and(|o| o.stdout == b"1\n")
}

/// Sends `keys`, then waits for `text` and for the screen to settle.
fn visit(tmux: &Tmux, keys: &[&str], text: &str) -> Result<String, Box<dyn std::error::Error>> {
    tmux.keys(keys)?;
    tmux.wait_for(text, Duration::from_secs(5))?;
    let mut last = tmux.screen();
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(150));
        let now = tmux.screen();
        if now == last || start.elapsed() > Duration::from_secs(3) {
            return Ok(now);
        }
        last = now;
    }
}

#[test]
fn every_view_at_three_sizes() -> TestResult {
    let s = Sandbox::new();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo.json");
    s.ok(&["import", demo]);
    let mut problems = Vec::new();
    for (width, height) in [(80u16, 24u16), (120, 35), (200, 50)] {
        let tmux = Tmux::start_sized(&s.work(), width, height)?;
        tmux.type_text(&launch(&s, NOW))?;
        tmux.keys(&["Enter"])?;
        tmux.wait_for("pending", Duration::from_secs(10))?;
        for (keys, text, whole) in STOPS {
            let at = format!("{width}x{height} after {}", keys.join(" "));
            let screen = visit(&tmux, keys, text)?;
            if !footer(&screen).ends_with("? help  q quit") && !screen.contains("Moving") {
                problems.push(format!(
                    "{at}: the footer does not end with help and quit:\n{screen}"
                ));
            }
            if whole.is_some_and(|from| width >= from) && screen.contains('…') {
                problems.push(format!(
                    "{at}: something is cut with room to spare:\n{screen}"
                ));
            }
            // Esc backs out, as many times as there is something to close, and never quits.
            for _ in 0..4 {
                tmux.keys(&["Escape"])?;
                std::thread::sleep(Duration::from_millis(150));
            }
            let after = tmux.wait_for(" TME · ", Duration::from_secs(5))?;
            if !running(&tmux) {
                problems.push(format!("{at}: Esc quit the TUI:\n{after}"));
                break;
            }
        }
        let after = visit(&tmux, &["1"], "TME · List")?;
        if !after.contains("Nothing to close; q quits") {
            problems.push(format!(
                "{width}x{height}: Esc on the bare list says nothing:\n{after}"
            ));
        }
        tmux.keys(&["q"])?;
        let start = Instant::now();
        while running(&tmux) {
            if start.elapsed() > Duration::from_secs(5) {
                problems.push(format!("{width}x{height}: q did not quit"));
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
    Ok(())
}
