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

/// Every importer (iCalendar, TME JSON, Taskwarrior JSON, todo.txt) reads or refuses a file.
pub fn import(text: &str) {
    let ctx = context();
    let _ = tme::interop::ics::read(text, ctx.now, ctx.tz);
    let _ = tme::interop::json::read(vec![Ok(text)], &TaskTypes::default(), ctx.now);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = tme::interop::taskwarrior::from_taskwarrior(&value, ctx.tz);
    }
    for line in text.lines() {
        let _ = tme::interop::todotxt::from_line(line, ctx.tz);
    }
}
