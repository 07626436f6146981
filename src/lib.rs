//! TME, the task management engine: the library behind the `tme` command.
//!
//! Layers, each using only the ones before it:
//! - [`domain`]: pure types and rules (tasks, dates, the capture grammar, filters, urgency);
//! - [`store`]: the redb file, its tables, indexes, journal and migrations;
//! - [`engine`]: [`TaskManager`], the one API through which every change is made;
//! - [`report`]: analytics, pure functions from tasks and a range to numbers;
//! - [`config`]: layered settings; [`cli`] and [`tui`]: the front ends.

pub mod domain;
pub mod engine;
pub mod store;

pub use engine::TaskManager;
pub mod cli;
pub mod config;
pub mod interop;
pub mod report;
pub mod tui;
