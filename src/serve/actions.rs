//! Changing one task: `PATCH` and `DELETE /api/v1/tasks/{id}`, and `POST …/done`, `/start`,
//! `/stop`, `/annotate`. Each honours `If-Match`: a task whose version is no longer the one
//! the client saw is left alone and answered 412 with the task as it is now, so that no
//! update is lost without the client knowing. The version is compared inside the write, so
//! no other change can come between.

use std::cell::Cell;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::auth::{Caller, answer};
use super::problem::Problem;
use super::tasks::{one_task, task_id, tasks_json};
use super::{Shared, blocking};
use crate::domain::capture::lex;
use crate::domain::{DepKind, Role, Task, TaskChanges, TaskId};
use crate::engine::{EngineError, Session};

/// What a change to one task does, inside its write.
type Change = Box<dyn Fn(&mut Session<'_>, TaskId) -> Result<Task, EngineError> + Send>;

/// The versions `If-Match` accepts (`*`: any), quotes and a weak `W/` taken off.
fn wanted_versions(headers: &HeaderMap) -> Option<Vec<String>> {
    let value = headers.get(header::IF_MATCH)?.to_str().unwrap_or("");
    Some(
        value
            .split(',')
            .map(|v| {
                v.trim()
                    .trim_start_matches("W/")
                    .trim_matches('"')
                    .to_string()
            })
            .filter(|v| !v.is_empty())
            .collect(),
    )
}

/// How a change came out: done, or refused because the task changed since the client saw it.
enum Outcome {
    Changed,
    Stale,
}

/// Runs `change` on task `id` for `caller` as one command, if the task is within reach and
/// (with `If-Match`) still at a version the client names; answers with the task.
async fn act(
    shared: Shared,
    caller: Caller,
    id: String,
    headers: &HeaderMap,
    what: &'static str,
    change: Change,
) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    let id = task_id(&id)?;
    let wanted = wanted_versions(headers);
    let app = shared.app.clone();
    blocking(&shared, move |tm| {
        let summary = format!("api: {what} {id}");
        let refused = Cell::new(false);
        let outcome = tm.transaction_by(&caller.actor(), &summary, |s| {
            let task = s.task(id)?;
            if !caller.reaches(task.category.as_ref()) {
                return Err(EngineError::NotFound(id));
            }
            if let Some(wanted) = &wanted {
                let now = crate::store::codec::task_version(&task).unwrap_or_default();
                if !wanted.iter().any(|v| v == "*" || *v == now) {
                    return Ok(Outcome::Stale);
                }
            }
            let changed = change(s, id)?;
            caller.keep_within(changed.category.as_ref(), &refused)?;
            Ok(Outcome::Changed)
        });
        match outcome {
            Ok(Outcome::Changed) => {
                app.after_command(tm);
                one_task(tm, &tm.view(id)?, StatusCode::OK)
            }
            Ok(Outcome::Stale) => {
                let view = tm.view(id)?;
                let task = tasks_json(tm, std::slice::from_ref(&view))?.pop();
                let version = task
                    .as_ref()
                    .and_then(|t| t["version"].as_str())
                    .unwrap_or_default()
                    .to_string();
                Err(Problem::new(
                    StatusCode::PRECONDITION_FAILED,
                    format!(
                        "task {id} changed since the version you sent (it is at \"{version}\" now); it was left as it is"
                    ),
                )
                .with("task", task.unwrap_or_default()))
            }
            Err(EngineError::NotFound(missing)) => Err(Problem::no_task(missing)),
            Err(e) => Err(answer(e, &refused)),
        }
    })
    .await
}

/// The body of `PATCH /api/v1/tasks/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Changes in the `tme modify` grammar: `due:fri +urgent -home pri:` (an empty value
    /// clears a field).
    modify: Option<String>,
    /// A new title.
    title: Option<String>,
    /// A new description.
    description: Option<String>,
}

/// `PATCH /api/v1/tasks/{id}`.
pub async fn patch(
    State(shared): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<PatchBody>, JsonRejection>,
) -> Result<Response, Problem> {
    let Json(body) = body.map_err(|e| Problem::new(e.status(), e.body_text()))?;
    let types = shared.app.config().types.value.clone();
    let mut changes = match &body.modify {
        Some(text) => types
            .parse_changes(&lex(text), None, &shared.engine.time())
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?,
        None => TaskChanges::default(),
    };
    changes.title = body.title.or(changes.title);
    changes.description = body.description.or(changes.description);
    if changes.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing to change: give \"modify\" (due:fri +urgent), \"title\" or \"description\"",
        ));
    }
    let change: Change = Box::new(move |s, id| s.update(id, &changes));
    act(shared, caller, id, &headers, "modify", change).await
}

/// `DELETE /api/v1/tasks/{id}`: the task is deleted (it stays in the journal; undo brings it
/// back) and answered as it now is.
pub async fn delete(
    State(shared): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    act(
        shared,
        caller,
        id,
        &headers,
        "delete",
        Box::new(|s, id| s.delete(id)),
    )
    .await
}

/// `POST /api/v1/tasks/{id}/done`, `/start` and `/stop`.
pub async fn action(
    State(shared): State<Shared>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (what, change): (&'static str, Change) = match action.as_str() {
        "done" => ("done", Box::new(|s, id| s.complete(id))),
        "start" => ("start", Box::new(|s, id| s.start(id))),
        "stop" => ("stop", Box::new(|s, id| s.stop(id))),
        other => {
            return Err(Problem::new(
                StatusCode::NOT_FOUND,
                format!("'{other}' is not an action: use done, start, stop or annotate"),
            ));
        }
    };
    act(shared, caller, id, &headers, what, change).await
}

/// The body of `POST /api/v1/tasks/{id}/annotate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The note.
    text: String,
}

/// `POST /api/v1/tasks/{id}/annotate`.
pub async fn annotate(
    State(shared): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<NoteBody>, JsonRejection>,
) -> Result<Response, Problem> {
    let Json(NoteBody { text }) = body.map_err(|e| Problem::new(e.status(), e.body_text()))?;
    let change: Change = Box::new(move |s, id| s.annotate(id, &text));
    act(shared, caller, id, &headers, "annotate", change).await
}

/// The body of `POST /api/v1/tasks/{id}/dependencies`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DependencyBody {
    /// The task it is to wait on.
    on: u64,
    /// `fs` (finish to start, when not given), `ss`, `ff` or `relates`.
    kind: Option<String>,
}

/// `POST /api/v1/tasks/{id}/dependencies`: task `id` waits on another (or the kind of an
/// existing dependency changes); a cycle is refused with its path (409).
pub async fn depend(
    State(shared): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<DependencyBody>, JsonRejection>,
) -> Result<Response, Problem> {
    let Json(body) = body.map_err(|e| Problem::new(e.status(), e.body_text()))?;
    let kind = match body.kind.as_deref() {
        None => DepKind::FinishToStart,
        Some(text) => DepKind::parse(text).ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("'{text}' is not a kind of dependency: use fs, ss, ff or relates"),
            )
        })?,
    };
    let on = TaskId(body.on);
    let reach = caller.clone();
    let change: Change = Box::new(move |s, id| {
        // The task waited on must be within reach too.
        if !reach.reaches(s.task(on)?.category.as_ref()) {
            return Err(EngineError::NotFound(on));
        }
        s.add_dependency(id, on, kind)
    });
    act(shared, caller, id, &headers, "dep add", change).await
}

/// `DELETE /api/v1/tasks/{id}/dependencies/{on}`: task `id` no longer waits on `on`.
pub async fn undepend(
    State(shared): State<Shared>,
    caller: Caller,
    Path((id, on)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let on = task_id(&on)?;
    let changes = TaskChanges {
        remove_depends: vec![on],
        ..TaskChanges::default()
    };
    let change: Change = Box::new(move |s, id| s.update(id, &changes));
    act(shared, caller, id, &headers, "dep remove", change).await
}
