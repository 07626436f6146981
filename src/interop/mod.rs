//! Task formats shared with the outside world: TME's own JSON and Taskwarrior's (later also
//! todo.txt and iCalendar).

pub mod demo;
pub mod ics;
pub mod json;
pub mod taskwarrior;
pub mod todotxt;

#[cfg(test)]
mod tests;
