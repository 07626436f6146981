//! A task's history (`GET /api/v1/tasks/{id}/history`) and undo (`POST /api/v1/undo`, which
//! takes back the caller's own last command, never another's).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use serde::Serialize;

use super::auth::Caller;
use super::problem::Problem;
use super::tasks::{TaskPath, reachable, task_id};
use super::{Shared, Work, blocking};
use crate::domain::Role;
use crate::engine::HistoryJson;

/// `GET /api/v1/tasks/{id}/history`: every change, oldest first, with who made it.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/history", tag = "journal", params(TaskPath),
    responses((status = 200, description = "The task's changes, oldest first", body = Vec<HistoryJson>)))]
pub async fn history(
    State(shared): State<Shared>,
    caller: Caller,
    Path(TaskPath { id }): Path<TaskPath>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    let id = task_id(&id)?;
    blocking(&shared, Work::Read, move |tm| {
        reachable(tm, &caller, id)?;
        let tz = tm.time().tz;
        let items: Vec<HistoryJson> = tm
            .history_items(id)?
            .iter()
            .map(|item| item.json(tz))
            .collect();
        Ok(Json(items).into_response())
    })
    .await
}

/// What `POST /api/v1/undo` took back.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Undone {
    /// The command's summary (`api: add 'Pay rent'`).
    undid: String,
    /// The command's number in the journal.
    command: u64,
    /// The tasks it touched, now as they were before it.
    tasks: Vec<u64>,
}

/// `POST /api/v1/undo`: reverts the newest command made with the caller's token that is not
/// undone yet; 409 when there is none, or when a later change to one of its tasks is in the way.
#[utoipa::path(post, path = "/api/v1/undo", tag = "journal",
    responses((status = 200, description = "What was undone", body = Undone)))]
pub async fn undo(State(shared): State<Shared>, caller: Caller) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    let app = shared.app.clone();
    blocking(&shared, Work::Change, move |tm| {
        let undone = tm.undo_as(&caller.actor())?;
        app.after_command(tm);
        Ok(Json(Undone {
            undid: undone.command.summary,
            command: undone.command.id.0,
            tasks: undone.tasks.iter().map(|t| t.0).collect(),
        })
        .into_response())
    })
    .await
}
