//! Task formats shared with the outside world: TME's own JSON (and, later, Taskwarrior JSON,
//! todo.txt and iCalendar).

pub mod json;
