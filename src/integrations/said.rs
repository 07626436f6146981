//! What hooks and plugins say to the user: printed on stderr from the command line, kept for
//! the TUI's status line when the TUI owns the screen.

use std::sync::{Arc, Mutex};

/// Where messages go. Clones share the same kept messages (a plugin's stderr is read on its
/// own thread).
#[derive(Debug, Clone, Default)]
pub struct Said(Option<Arc<Mutex<Vec<String>>>>);

impl Said {
    /// Messages kept until [`Said::take`] instead of printed.
    pub fn kept() -> Said {
        Said(Some(Arc::default()))
    }

    /// Prints `line` on stderr, or keeps it.
    pub fn say(&self, line: String) {
        match &self.0 {
            Some(kept) => {
                if let Ok(mut kept) = kept.lock() {
                    kept.push(line);
                }
            }
            None => eprintln!("{line}"),
        }
    }

    /// The messages kept since the last call (none when they are printed).
    pub fn take(&self) -> Vec<String> {
        self.0
            .as_ref()
            .and_then(|k| k.lock().ok().map(|mut k| std::mem::take(&mut *k)))
            .unwrap_or_default()
    }
}
