//! What a change sets off outside the engine: Taskwarrior-style hook scripts, plugins over
//! JSON lines, the webhook (events and reminders), the calendar file and the daily backup.
//! Each is a piece the application layer ([`crate::app`]) wires to an engine; none knows
//! which front end is running.

pub mod backups;
pub mod calendar_file;
mod contained;
mod hooks;
pub mod notify;
mod plugins;
mod said;
mod trust;

pub use hooks::ScriptHooks;
pub use notify::EventNotifier;
pub use plugins::{PROTOCOL, Plugins};
pub use said::{Said, visible};
