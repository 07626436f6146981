//! What each fuzz target does with its input, shared with `tests/fuzz_replay.rs`, which replays
//! the saved corpus (`fuzz/seeds`) in the ordinary test run.

// Each fuzz target uses one of these functions; the replay test uses them all.
#![allow(dead_code)]

use tme::domain::TimeContext;
use tme::domain::types::TaskTypes;

/// Thursday 2026-11-26 09:00 in Berlin.
fn context() -> TimeContext {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+01:00")
        .map(|d| d.to_utc())
        .unwrap_or_default();
    TimeContext::new(now, chrono_tz::Europe::Berlin)
}

/// Capture text (`tme add ...`) is read or refused.
pub fn capture(text: &str) {
    let tokens = tme::domain::capture::lex(text);
    let _ = tme::domain::capture::parse_new_task(&tokens, &context());
}

/// Filters (`tme list ...`) are read or refused.
pub fn filter(text: &str) {
    let tokens = tme::domain::capture::lex(text);
    let _ = TaskTypes::default().parse_filter(&tokens, &context());
}

/// Date phrases (`due:...`) are read or refused.
pub fn dates(text: &str) {
    let _ = tme::domain::parse_when(text, &context());
}

/// A file is read or refused as the format it looks like (the sniffing of `tme import`) and as
/// each format by name: every importer, iCalendar, TME JSON, Taskwarrior JSON and todo.txt.
pub fn import(text: &str) {
    use tme::interop::format::{Format, read};
    let ctx = context();
    let types = TaskTypes::default();
    let _ = read(text, None, &types, ctx.now, ctx.tz);
    for format in Format::ALL {
        let _ = read(text, Some(format), &types, ctx.now, ctx.tz);
    }
}
