//! Changing one task: `PATCH` and `DELETE /api/v1/tasks/{id}`, and `POST …/done`, `/start`,
//! `/stop`, `/annotate`. Each honours `If-Match`: a task whose version is no longer the one
//! the client saw is left alone and answered 412 with the task as it is now, so that no
//! update is lost without the client knowing. The version is compared inside the write, so
//! no other change can come between.

use std::cell::Cell;

use axum::extract::FromRequestParts;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::auth::{Caller, answer};
use super::body::{self, Body};
use super::problem::Problem;
use super::tasks::{ApiTask, TaskPath, api_task, one_task, task_id};
use super::{Shared, Work, blocking};
use crate::domain::capture::lex;
use crate::domain::{DepKind, Role, Task, TaskChanges, TaskId};
use crate::engine::{EngineError, Session};

/// What a change to one task does, inside its write.
type Change = Box<dyn Fn(&mut Session<'_>, TaskId) -> Result<Task, EngineError> + Send>;

/// The versions a change is conditional on: those `If-Match` names (`*`: any), quotes and a
/// weak `W/` taken off; `None` without the header (the change is made whatever the version).
pub struct IfMatch(Option<Vec<String>>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IfMatch, Problem> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let malformed = || {
            Problem::bad_request(
                "If-Match must be * or versions as the ETag gives them (\"3f2a…\"), separated by commas",
            )
        };
        let text = value.to_str().map_err(|_| malformed())?.trim();
        if text == "*" {
            return Ok(IfMatch(Some(vec!["*".to_string()])));
        }
        let versions = text
            .split(',')
            .map(|tag| {
                // A version as the ETag gives it (quoted, perhaps weak), or bare.
                let tag = tag.trim();
                let tag = tag.strip_prefix("W/").unwrap_or(tag);
                let version = tag
                    .strip_prefix('"')
                    .and_then(|rest| rest.strip_suffix('"'))
                    .unwrap_or(tag);
                let bare_ok = !version.is_empty() || tag == "\"\"";
                (bare_ok && !version.contains(|c: char| c == '"' || c.is_whitespace()))
                    .then(|| version.to_string())
                    .ok_or_else(malformed)
            })
            .collect::<Result<Vec<String>, Problem>>()?;
        Ok(IfMatch(Some(versions)))
    }
}

/// What [`IfMatch`] reads, as a pattern: `*`, or versions separated by commas, each quoted
/// as the ETag gives it (perhaps weak, `W/"…"`) or bare.
const IF_MATCH_PATTERN: &str =
    r#"^(\*|(W/)?("[^",\s]*"|[^",\s]+)( *, *(W/)?("[^",\s]*"|[^",\s]+))*)$"#;

impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let parameter = utoipa::openapi::path::ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(utoipa::openapi::path::ParameterIn::Header)
            .required(utoipa::openapi::Required::False)
            .description(Some(
                "The version the client saw (the ETag); a task changed since is left alone and \
                 answered 412 with the task as it is now",
            ))
            .schema(Some(
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .pattern(Some(IF_MATCH_PATTERN)),
            ))
            .build();
        vec![parameter]
    }
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
    IfMatch(wanted): IfMatch,
    what: &'static str,
    change: Change,
) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    let id = task_id(&id)?;
    let app = shared.app.clone();
    blocking(&shared, Work::Change, move |tm| {
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
                let task = api_task(tm, &tm.view(id)?)?;
                Err(Problem::new(
                    StatusCode::PRECONDITION_FAILED,
                    format!(
                        "task {id} changed since the version you sent (it is at \"{}\" now); it was left as it is",
                        task.version
                    ),
                )
                .with_task(task))
            }
            Err(EngineError::NotFound(missing)) => Err(Problem::no_task(missing)),
            Err(e) => Err(answer(e, &refused)),
        }
    })
    .await
}

/// The body of `PATCH /api/v1/tasks/{id}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Changes in the `tme modify` grammar: `due:fri +urgent -home pri:` (an empty value
    /// clears a field).
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false)]
    modify: Option<String>,
    /// A new title.
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false)]
    title: Option<String>,
    /// A new description (tabs and newlines are fine, other control characters are not).
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false)]
    description: Option<String>,
}

/// `PATCH /api/v1/tasks/{id}`: changes fields, as `tme modify` does.
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "tasks", request_body = PatchBody,
    params(TaskPath, IfMatch),
    responses(
        (status = 200, description = "The task as it is now", body = ApiTask),
    ))]
pub async fn patch(
    State(shared): State<Shared>,
    caller: Caller,
    Path(TaskPath { id }): Path<TaskPath>,
    wanted: IfMatch,
    Body(body): Body<PatchBody>,
) -> Result<Response, Problem> {
    if let Some(title) = &body.title {
        body::check_title(title)?;
    }
    if let Some(description) = &body.description {
        body::check_note(description, "description", false)?;
    }
    let types = shared.app.config().types.value.clone();
    let mut changes = match &body.modify {
        Some(text) => types
            .parse_changes(&lex(text), None, &shared.engine.time())
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?,
        None => TaskChanges::default(),
    };
    // A field given twice (in the changes and on its own) would lose one of the two unseen.
    if body.title.is_some() && changes.title.is_some() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the title is given twice: in \"modify\" and as \"title\"; give it once",
        ));
    }
    changes.title = body.title.or(changes.title);
    changes.description = body.description.or(changes.description);
    if changes.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing to change: give \"modify\" (due:fri +urgent), \"title\" or \"description\"",
        ));
    }
    let change: Change = Box::new(move |s, id| s.update(id, &changes));
    act(shared, caller, id, wanted, "modify", change).await
}

/// `DELETE /api/v1/tasks/{id}`: the task is deleted (it stays in the journal; undo brings it
/// back) and answered as it now is.
#[utoipa::path(delete, path = "/api/v1/tasks/{id}", tag = "tasks", params(TaskPath, IfMatch),
    responses(
        (status = 200, description = "The task as it is now", body = ApiTask),
    ))]
pub async fn delete(
    State(shared): State<Shared>,
    caller: Caller,
    Path(TaskPath { id }): Path<TaskPath>,
    wanted: IfMatch,
) -> Result<Response, Problem> {
    act(
        shared,
        caller,
        id,
        wanted,
        "delete",
        Box::new(|s, id| s.delete(id)),
    )
    .await
}

/// A handler of a one-word action on a task, `POST` to `$path`: what it is journaled as
/// (`$what`) and the session step it takes.
macro_rules! action {
    ($(#[doc = $doc:tt])* $name:ident, $path:tt, $what:tt, $step:ident) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = "tasks", params(TaskPath, IfMatch),
            responses(
                (status = 200, description = "The task as it is now", body = ApiTask),
            ))]
        pub async fn $name(
            State(shared): State<Shared>,
            caller: Caller,
            Path(TaskPath { id }): Path<TaskPath>,
            wanted: IfMatch,
        ) -> Result<Response, Problem> {
            let change: Change = Box::new(|s, id| s.$step(id));
            act(shared, caller, id, wanted, $what, change).await
        }
    };
}

action!(
    /// `POST /api/v1/tasks/{id}/done`: completes the task (a recurring one spawns its next
    /// occurrence).
    done, "/api/v1/tasks/{id}/done", "done", complete
);
action!(
    /// `POST /api/v1/tasks/{id}/start`: starts the task and its time tracking.
    start, "/api/v1/tasks/{id}/start", "start", start
);
action!(
    /// `POST /api/v1/tasks/{id}/stop`: stops the task's time tracking.
    stop, "/api/v1/tasks/{id}/stop", "stop", stop
);

/// The body of `POST /api/v1/tasks/{id}/annotate`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The note (tabs and newlines are fine, other control characters are not).
    text: String,
}

/// `POST /api/v1/tasks/{id}/annotate`: adds a note to the task.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/annotate", tag = "tasks", request_body = NoteBody,
    params(TaskPath, IfMatch),
    responses(
        (status = 200, description = "The task as it is now", body = ApiTask),
    ))]
pub async fn annotate(
    State(shared): State<Shared>,
    caller: Caller,
    Path(TaskPath { id }): Path<TaskPath>,
    wanted: IfMatch,
    Body(body): Body<NoteBody>,
) -> Result<Response, Problem> {
    let NoteBody { text } = body;
    body::check_note(&text, "annotation", true)?;
    let change: Change = Box::new(move |s, id| s.annotate(id, &text));
    act(shared, caller, id, wanted, "annotate", change).await
}

/// The body of `POST /api/v1/tasks/{id}/dependencies`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DependencyBody {
    /// The task it is to wait on.
    #[serde(deserialize_with = "body::task_id")]
    #[schema(value_type = u64, minimum = 1, maximum = 9223372036854775807_i64)]
    on: TaskId,
    /// `fs` (finish to start, when not given), `ss`, `ff` or `relates`.
    #[serde(default, deserialize_with = "body::text")]
    #[schema(
        nullable = false,
        pattern = "^([Ff][Ss]|[Ss][Ss]|[Ff][Ff]|[Rr][Ee][Ll]|[Rr][Ee][Ll][Aa][Tt][Ee][Ss])$"
    )]
    kind: Option<String>,
}

/// `POST /api/v1/tasks/{id}/dependencies`: task `id` waits on another (or the kind of an
/// existing dependency changes); a cycle is refused with its path (409).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/dependencies", tag = "tasks",
    request_body = DependencyBody, params(TaskPath, IfMatch),
    responses(
        (status = 200, description = "The task as it is now", body = ApiTask),
    ))]
pub async fn depend(
    State(shared): State<Shared>,
    caller: Caller,
    Path(TaskPath { id }): Path<TaskPath>,
    wanted: IfMatch,
    Body(body): Body<DependencyBody>,
) -> Result<Response, Problem> {
    let kind = match body.kind.as_deref() {
        None => DepKind::FinishToStart,
        Some(text) => DepKind::parse(text).ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("'{text}' is not a kind of dependency: use fs, ss, ff or relates"),
            )
        })?,
    };
    let on = body.on;
    let reach = caller.clone();
    let change: Change = Box::new(move |s, id| {
        // The task waited on must be within reach too.
        if !reach.reaches(s.task(on)?.category.as_ref()) {
            return Err(EngineError::NotFound(on));
        }
        s.add_dependency(id, on, kind)
    });
    act(shared, caller, id, wanted, "dep add", change).await
}

/// The dependency of a path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DependencyPath {
    /// The task that waits.
    #[param(value_type = u64, minimum = 1)]
    id: String,
    /// The task it waits on.
    #[param(value_type = u64, minimum = 1)]
    on: String,
}

/// `DELETE /api/v1/tasks/{id}/dependencies/{on}`: task `id` no longer waits on `on`.
#[utoipa::path(delete, path = "/api/v1/tasks/{id}/dependencies/{on}", tag = "tasks",
    params(DependencyPath, IfMatch),
    responses(
        (status = 200, description = "The task as it is now", body = ApiTask),
    ))]
pub async fn undepend(
    State(shared): State<Shared>,
    caller: Caller,
    Path(DependencyPath { id, on }): Path<DependencyPath>,
    wanted: IfMatch,
) -> Result<Response, Problem> {
    let on = task_id(&on)?;
    let changes = TaskChanges {
        remove_depends: vec![on],
        ..TaskChanges::default()
    };
    let change: Change = Box::new(move |s, id| s.update(id, &changes));
    act(shared, caller, id, wanted, "dep remove", change).await
}
