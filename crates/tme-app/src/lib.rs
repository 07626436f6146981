//! The application layer of TME, shared by every front end (the CLI, the TUI, the server and
//! the Python module): settings ([`config`]), what a change sets off outside the engine
//! ([`integrations`]: hooks, plugins, the webhook, the calendar file, the daily backup) and
//! the one way to open an engine with all of that wired ([`app`]).
//!
//! It is a crate of its own so that a front end can have it without the others: the Python
//! module needs neither the terminal nor the HTTP server.

pub use tme_core::{TaskManager, domain, engine, interop, report, store, sync as protocol};

pub mod app;
pub mod config;
pub mod integrations;
pub mod sync;
