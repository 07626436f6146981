//! `GET /api/v1/events`: Server-Sent Events, one for every command committed anywhere (this
//! server, the CLI, a TUI, another server on the same PostgreSQL database), with what it
//! changed. Each event's `id:` is the command's number, so a client that reconnects with
//! `Last-Event-ID` gets every command it missed, in order, without a gap. One watching thread
//! per server learns of commits (the store's change wait); every subscriber is woken from it.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;

use super::auth::Caller;
use super::problem::Problem;
use super::{Shared, blocking};
use crate::domain::{Command, CommandKind, JournalEntry, Role, changed_fields};
use crate::engine::TaskManager;

/// Commands read for a subscriber at a time.
const BATCH: usize = 200;

/// The command after which a stream starts: `Last-Event-ID`, else the newest one now.
fn start_after(headers: &HeaderMap, tm: &TaskManager) -> Result<u64, Problem> {
    match headers.get("last-event-id") {
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .ok_or_else(|| {
                Problem::bad_request("Last-Event-ID must be an event id this server sent")
            }),
        None => Ok(tm.change_stamp()?.saturating_sub(1)),
    }
}

/// `GET /api/v1/events`.
pub async fn stream(
    State(shared): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Problem> {
    caller.needs(Role::Read)?;
    let after = blocking(&shared, move |tm| start_after(&headers, tm)).await?;
    let feed = Feed {
        stamps: shared.stamps.clone(),
        closing: shared.closing.clone(),
        shared,
        caller,
        after,
        ready: std::collections::VecDeque::new(),
    };
    let events = futures_util::stream::unfold(feed, |mut feed| async move {
        let event = feed.next().await?;
        Some((Ok(event), feed))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// One subscriber's place in the stream of commands.
struct Feed {
    shared: Shared,
    caller: Caller,
    /// The last command looked at.
    after: u64,
    /// Events read and not sent yet.
    ready: std::collections::VecDeque<Event>,
    /// This subscriber's view of the change stamp: marked seen before each read, so that a
    /// commit after it wakes the wait.
    stamps: tokio::sync::watch::Receiver<u64>,
    closing: tokio::sync::watch::Receiver<bool>,
}

impl Feed {
    /// The next event; `None` when the server stops.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            if *self.closing.borrow_and_update() {
                return None;
            }
            self.stamps.borrow_and_update();
            let after = self.after;
            let read = blocking(&self.shared, move |tm| Ok(tm.commands_after(after, BATCH)?)).await;
            match read {
                Ok(commands) if !commands.is_empty() => {
                    for (command, entries) in commands {
                        self.after = command.id.0;
                        self.ready
                            .extend(event_of(&command, &entries, &self.caller, &self.shared));
                    }
                }
                // Nothing new (or the database did not answer): wait for the next commit, or
                // for the server to stop.
                _ => {
                    tokio::select! {
                        changed = self.stamps.changed() => changed.ok()?,
                        _ = self.closing.changed() => return None,
                    }
                }
            }
        }
    }
}

/// The event of one command, with the changes the caller may see (none: no event).
fn event_of(
    command: &Command,
    entries: &[JournalEntry],
    caller: &Caller,
    shared: &Shared,
) -> Option<Event> {
    let tz = shared.engine.time().tz;
    let changes: Vec<serde_json::Value> = entries
        .iter()
        .filter(|e| {
            [&e.before, &e.after]
                .into_iter()
                .flatten()
                .any(|t| caller.reaches(t.category.as_ref()))
        })
        .map(|e| {
            let fields: serde_json::Map<String, serde_json::Value> = match (&e.before, &e.after) {
                (Some(before), Some(after)) => changed_fields(before, after, tz)
                    .into_iter()
                    .map(|c| {
                        (
                            c.field.to_string(),
                            serde_json::json!({ "before": c.before, "after": c.after }),
                        )
                    })
                    .collect(),
                _ => serde_json::Map::new(),
            };
            let title = e
                .after
                .as_ref()
                .or(e.before.as_ref())
                .map(|t| t.title.clone());
            serde_json::json!({
                "task": e.task.0,
                "op": e.op.as_str(),
                "title": title,
                "fields": fields,
            })
        })
        .collect();
    if changes.is_empty() {
        return None;
    }
    let kind = match command.kind {
        CommandKind::User => "user",
        CommandKind::Undo { .. } => "undo",
        CommandKind::System => "system",
    };
    let data = serde_json::json!({
        "command": command.id.0,
        "at": command.at,
        "actor": command.actor,
        "summary": command.summary,
        "kind": kind,
        "changes": changes,
    });
    Some(
        Event::default()
            .id(command.id.0.to_string())
            .event("command")
            .data(data.to_string()),
    )
}
