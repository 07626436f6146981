//! TME, the task management engine: the library behind the `tme` command.
//!
//! Layers, each using only the ones before it:
//! - [`domain`]: pure types and rules (tasks, dates, the capture grammar, filters, urgency);
//! - [`store`]: the redb file, its tables, indexes, journal and migrations;
//! - [`engine`]: [`TaskManager`], the one API through which every change is made;
//! - [`report`]: analytics, pure functions from tasks and a range to numbers;
//! - [`interop`]: other tools' formats (Taskwarrior, todo.txt, iCalendar) and TME's JSON;
//! - [`config`]: layered settings;
//! - [`integrations`]: hooks, plugins, the webhook, the calendar file, the daily backup;
//! - [`app`]: the one way every front end opens an engine, with all of that wired;
//! - [`cli`] and [`tui`]: the front ends, each on [`app`] and neither on the other.

pub mod domain;
pub mod engine;
pub mod store;

pub use engine::TaskManager;
pub mod app;
pub mod cli;
pub mod config;
pub mod integrations;
pub mod interop;
pub mod report;
pub mod tui;
