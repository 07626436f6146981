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

    /// Prints `line` on stderr, or keeps it; control characters (escape sequences a hook or
    /// plugin printed) are shown as `\u{1b}`, never sent to the terminal.
    pub fn say(&self, line: String) {
        let line = visible(&line);
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

/// `text` with every control character but tab written out (`\u{1b}`).
///
/// ```
/// assert_eq!(tme_app::integrations::visible("red \u{1b}[31mtext"), "red \\u{1b}[31mtext");
/// assert_eq!(tme_app::integrations::visible("plain\ttext"), "plain\ttext");
/// ```
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
