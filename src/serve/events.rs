//! `GET /api/v1/events`: Server-Sent Events, one for every command committed anywhere (this
//! server, the CLI, a TUI, another server on the same PostgreSQL database), with what it
//! changed. Each event's `id:` is the command's number, so a client that reconnects with
//! `Last-Event-ID` gets every command it missed, in order, without a gap. One watching thread
//! per server learns of commits (the store's change wait); every subscriber is woken from it.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;

use super::auth::Caller;
use super::problem::Problem;
use super::{Shared, Work, blocking};
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

/// `GET /api/v1/events`: a stream of Server-Sent Events that never ends by itself: one
/// `command` event per committed command, its data a `CommandEvent`.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(("Last-Event-ID" = Option<u64>, Header,
        description = "The id of the last event seen: the stream resumes after it, without a gap")),
    responses((status = 200, description = "Server-Sent Events; each event's data is a CommandEvent",
        content_type = "text/event-stream", body = String)))]
pub async fn stream(
    State(shared): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Problem> {
    caller.needs(Role::Read)?;
    let after = blocking(&shared, Work::Read, move |tm| start_after(&headers, tm)).await?;
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
            let read = blocking(&self.shared, Work::Read, move |tm| {
                Ok(tm.commands_after(after, BATCH)?)
            })
            .await;
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

/// The data of an event: one committed command.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommandEvent {
    /// The command's number in the journal (also the event's `id:`).
    command: u64,
    /// When it was committed (RFC 3339, UTC).
    #[schema(value_type = String)]
    at: chrono::DateTime<chrono::Utc>,
    /// Who made it, through what (`ann via cli`, `ci-bot via api`).
    actor: String,
    /// What it was (`add 'Pay rent'`).
    summary: String,
    /// `user`, `undo` (it took another back) or `system` (the recurrence ticker, a rule).
    kind: &'static str,
    /// The tasks it changed that the subscriber's token reaches.
    changes: Vec<EventChange>,
}

/// One task a command changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventChange {
    /// The task's id.
    task: u64,
    /// `add`, `modify`, `done`, `delete`…
    op: &'static str,
    /// Its title.
    title: Option<String>,
    /// The fields that changed (a modification), by name.
    fields: BTreeMap<&'static str, FieldValues>,
}

/// A field's value before and after a change, as `tme history` words it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldValues {
    /// Before (empty: none).
    before: String,
    /// After (empty: none).
    after: String,
}

/// The event of one command, with the changes the caller may see (none: no event).
fn event_of(
    command: &Command,
    entries: &[JournalEntry],
    caller: &Caller,
    shared: &Shared,
) -> Option<Event> {
    let tz = shared.engine.time().tz;
    let changes: Vec<EventChange> = entries
        .iter()
        .filter(|e| {
            [&e.before, &e.after]
                .into_iter()
                .flatten()
                .any(|t| caller.reaches(t.category.as_ref()))
        })
        .map(|e| {
            let fields = match (&e.before, &e.after) {
                (Some(before), Some(after)) => changed_fields(before, after, tz)
                    .into_iter()
                    .map(|c| {
                        let values = FieldValues {
                            before: c.before,
                            after: c.after,
                        };
                        (c.field, values)
                    })
                    .collect(),
                _ => BTreeMap::new(),
            };
            EventChange {
                task: e.task.0,
                op: e.op.as_str(),
                title: e
                    .after
                    .as_ref()
                    .or(e.before.as_ref())
                    .map(|t| t.title.clone()),
                fields,
            }
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
    let data = CommandEvent {
        command: command.id.0,
        at: command.at,
        actor: command.actor.clone(),
        summary: command.summary.clone(),
        kind,
        changes,
    };
    Some(
        Event::default()
            .id(command.id.0.to_string())
            .event("command")
            .data(serde_json::to_string(&data).unwrap_or_default()),
    )
}
