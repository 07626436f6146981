//! The core of TME, the task management engine: everything about tasks and nothing about
//! terminals, command lines or settings files. Every front end (the `tme` command line and
//! TUI, and the server and Python module to come) is built on it.
//!
//! Layers, each using only the ones before it:
//! - [`domain`]: pure types and rules (tasks, dates, the capture grammar, filters, urgency,
//!   recurrence, the dependency graph); no I/O;
//! - [`store`]: the store traits and the redb backend: tables, indexes, journal, migrations;
//! - [`engine`]: [`TaskManager`], the one API through which every change is made;
//! - [`report`]: analytics, pure functions from tasks and a range to numbers;
//! - [`interop`]: other tools' formats (Taskwarrior, todo.txt, iCalendar) and TME's JSON.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let tm = tme_core::TaskManager::open(dir.path().join("tasks.redb")).unwrap();
//! let task = tm.add_task("Pay rent", Some("Finance")).unwrap();
//! assert_eq!(tm.task(task.id).unwrap().title, "Pay rent");
//! ```

pub mod domain;
pub mod engine;
pub mod interop;
pub mod report;
pub mod store;
pub mod sync;

pub use engine::TaskManager;
