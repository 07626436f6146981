//! TME, the task management engine: the `tme` command line, TUI and server, on the core crate
//! [`tme_core`] and the application layer [`tme_app`].
//!
//! The layers, each using only the ones before it (the compiler keeps the crates apart: the
//! first five are the core's, the next three the application layer's, which the Python
//! module in `python/` is built on too):
//! - from [`tme_core`]: [`domain`] (pure types and rules), [`store`] (the redb file, its
//!   indexes and journal), [`engine`] ([`TaskManager`], the one API through which every change
//!   is made), [`report`] (analytics) and [`interop`] (other tools' formats, TME's JSON);
//! - from [`tme_app`]: [`config`] (layered settings), [`integrations`] (hooks, plugins, the
//!   webhook, the calendar file, the daily backup) and [`app`] (the one way every front end
//!   opens an engine, with all of that wired);
//! - [`cli`], [`tui`] and [`serve`]: the front ends, each on [`app`] and neither on the other (the TUI's
//!   `:` line is given the command line's runner by the binary).

/// Syncing a replica with a server: the client and what a person is told.
pub use tme_app::sync as sync_client;
pub use tme_app::{app, config, integrations};
pub use tme_core::{TaskManager, domain, engine, interop, report, store, sync};

pub mod cli;
pub mod serve;
pub mod tui;
