//! Why the TUI could not start or had to stop.

use crate::app::AppError;

/// Why the TUI failed.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The settings or the situation are wrong for it (no terminal, bad key bindings).
    #[error("{0}")]
    Input(String),
    /// It had to stop (the database was replaced, the worker stopped).
    #[error("{0}")]
    Stopped(String),
    /// The terminal failed.
    #[error("the terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The database could not be opened, or the run was refused.
    #[error(transparent)]
    App(#[from] AppError),
}
