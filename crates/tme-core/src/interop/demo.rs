//! The demo data (`assets/demo.json`): a month of a researcher's and a team's work, in
//! Taskwarrior's JSON with TME's `tme_parent` for subtasks, moved so that its "today" is now.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;

use super::taskwarrior::from_taskwarrior;
use crate::domain::When;
use crate::engine::Incoming;

/// The file (in the workspace's `assets/`), built in.
const DEMO: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/demo.json"
));

/// The moment the file was written around.
fn written() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// The demo's tasks, every date moved by whole days so that the demo's today is `now`'s.
///
/// ```
/// let now = chrono::Utc::now();
/// let tasks = tme_core::interop::demo::records(now, chrono_tz::UTC);
/// assert!(tasks.len() > 50 && tasks.iter().all(|t| t.is_ok()));
/// ```
pub fn records(now: DateTime<Utc>, tz: Tz) -> Vec<Result<Incoming, String>> {
    let days = (now - written()).num_days();
    let shift = Duration::days(days);
    let values: Vec<serde_json::Value> = serde_json::from_str(DEMO).unwrap_or_default();
    values
        .iter()
        .map(|v| {
            let mut incoming = from_taskwarrior(v, written(), tz).map_err(|e| e.to_string())?;
            let t = &mut incoming.task;
            let at = |x: DateTime<Utc>| x + shift;
            let when = |w: When| match w {
                When::Day(d) => When::Day(d + shift),
                When::At(x) => When::At(x + shift),
            };
            t.created = at(t.created);
            t.modified = at(t.modified);
            t.completed = t.completed.map(at);
            t.started = t.started.map(at);
            t.tracking_since = t.tracking_since.map(at);
            t.due = t.due.map(when);
            t.scheduled = t.scheduled.map(when);
            t.wait = t.wait.map(when);
            t.until = t.until.map(when);
            for note in &mut t.annotations {
                note.at = at(note.at);
            }
            Ok(incoming)
        })
        .collect()
}
