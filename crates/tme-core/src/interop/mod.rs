//! Task formats shared with the outside world, each read and written: TME's own JSON,
//! Taskwarrior's JSON, todo.txt and iCalendar, chosen by [`format::Format`]; and the demo data.

pub mod demo;
pub mod format;
pub mod ics;
pub mod json;
pub mod taskwarrior;
pub mod todotxt;

#[cfg(test)]
mod tests;
