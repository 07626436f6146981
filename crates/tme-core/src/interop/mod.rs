//! Task formats shared with the outside world, each read and written: TME's own JSON,
//! Taskwarrior's JSON, todo.txt and iCalendar; and the demo data.

pub mod demo;
pub mod ics;
pub mod json;
pub mod taskwarrior;
pub mod todotxt;

#[cfg(test)]
mod tests;
