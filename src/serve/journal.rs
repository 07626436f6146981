//! A task's history (`GET /api/v1/tasks/{id}/history`) and undo (`POST /api/v1/undo`, which
//! takes back the caller's own last command, never another's).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::auth::Caller;
use super::problem::Problem;
use super::tasks::{reachable, task_id};
use super::{Shared, blocking};
use crate::domain::Role;

/// `GET /api/v1/tasks/{id}/history`: every change, oldest first, with who made it.
pub async fn history(
    State(shared): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    let id = task_id(&id)?;
    blocking(&shared, move |tm| {
        reachable(tm, &caller, id)?;
        let tz = tm.time().tz;
        let items: Vec<serde_json::Value> = tm
            .history_items(id)?
            .iter()
            .map(|item| item.json(tz))
            .collect();
        Ok(Json(items).into_response())
    })
    .await
}

/// `POST /api/v1/undo`: reverts the newest command made with the caller's token that is not
/// undone yet; 409 when there is none, or when a later change to one of its tasks is in the way.
pub async fn undo(State(shared): State<Shared>, caller: Caller) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    let app = shared.app.clone();
    blocking(&shared, move |tm| {
        let undone = tm.undo_as(&caller.actor())?;
        app.after_command(tm);
        Ok(Json(serde_json::json!({
            "undid": undone.command.summary,
            "command": undone.command.id.0,
            "tasks": undone.tasks.iter().map(|t| t.0).collect::<Vec<_>>(),
        }))
        .into_response())
    })
    .await
}
