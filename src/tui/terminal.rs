//! Taking over the terminal and giving it back: raw mode, the alternate screen and mouse
//! reporting, undone on quit, on error and on panic.

use std::io::{self, Stdout, stdout};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// The terminal the TUI draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Switches the terminal to full-screen mode.
pub fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal back as it was.
pub fn leave() -> io::Result<()> {
    let raw = disable_raw_mode();
    execute!(
        stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    )?;
    raw
}

/// Restores the terminal before any panic message is printed, so that it is readable and the
/// shell is usable afterwards. Panics inside storage calls are turned into errors and do not
/// end the TUI, so they leave the terminal alone.
pub fn restore_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crate::store::in_guarded_call() {
            let _ = leave();
        }
        previous(info);
    }));
}

/// Gives the terminal back when dropped, however the TUI ends.
pub struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = leave();
    }
}
