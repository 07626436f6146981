//! TME, the task management engine: the `tme` command line and TUI, on the core crate
//! [`tme_core`].
//!
//! The layers, each using only the ones before it (the compiler keeps the first five apart
//! from the rest, since they are another crate):
//! - from [`tme_core`]: [`domain`] (pure types and rules), [`store`] (the redb file, its
//!   indexes and journal), [`engine`] ([`TaskManager`], the one API through which every change
//!   is made), [`report`] (analytics) and [`interop`] (other tools' formats, TME's JSON);
//! - [`config`]: layered settings;
//! - [`integrations`]: hooks, plugins, the webhook, the calendar file, the daily backup;
//! - [`app`]: the one way every front end opens an engine, with all of that wired;
//! - [`cli`] and [`tui`]: the front ends, each on [`app`] and neither on the other (the TUI's
//!   `:` line is given the command line's runner by the binary).

pub use tme_app::{app, config, integrations};
pub use tme_core::{TaskManager, domain, engine, interop, report, store};

pub mod cli;
pub mod serve;
pub mod tui;
