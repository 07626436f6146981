//! A progress bar on standard error for long commands, drawn only when it is a terminal (so
//! scripts and pipes see nothing of it) and cleared when the work is done.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often the bar is redrawn.
const PATIENCE: Duration = Duration::from_millis(100);

/// The bar of one piece of work.
pub struct Progress {
    label: String,
    total: usize,
    drawn: Option<Instant>,
    terminal: bool,
}

impl Progress {
    /// A bar for work whose size is not known yet: it says `label` (`Reading tasks.json…`)
    /// until [`Progress::steps`] gives the size.
    pub fn new(label: impl Into<String>) -> Progress {
        let mut progress = Progress {
            label: label.into(),
            total: 0,
            drawn: None,
            terminal: std::io::stderr().is_terminal(),
        };
        if progress.terminal {
            let _ = write!(std::io::stderr(), "\r\x1b[2K{}…", progress.label);
            progress.drawn = Some(Instant::now());
        }
        progress
    }

    /// Goes on to `total` steps of work, labelled `label`.
    pub fn steps(&mut self, label: impl Into<String>, total: usize) {
        self.label = label.into();
        self.total = total;
    }

    /// Shows that `done` steps are done, when the work has gone on long enough to need a bar.
    pub fn set(&mut self, done: usize) {
        let now = Instant::now();
        let due = self.drawn.is_none_or(|at| now - at >= PATIENCE);
        if self.terminal && due {
            let line = bar(&self.label, done, self.total, 30);
            let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
            self.drawn = Some(now);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.drawn.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// One line of a bar `width` cells wide: `Importing [██████░░░░] 60,000/100,000 60%`.
fn bar(label: &str, done: usize, total: usize, width: usize) -> String {
    let done = done.min(total);
    let share = if total == 0 {
        1.0
    } else {
        done as f64 / total as f64
    };
    let full = (share * width as f64).round() as usize;
    format!(
        "{label} [{}{}] {}/{} {:.0}%",
        "█".repeat(full),
        "░".repeat(width - full),
        grouped(done),
        grouped(total),
        share * 100.0
    )
}

/// A count with thousands separated: 100,000.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_work() {
        assert_eq!(
            bar("Importing", 60_000, 100_000, 10),
            "Importing [██████░░░░] 60,000/100,000 60%"
        );
        assert_eq!(bar("Importing", 0, 0, 4), "Importing [████] 0/0 100%");
        assert_eq!(bar("Importing", 7, 3, 3), "Importing [███] 3/3 100%");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
    }
}
