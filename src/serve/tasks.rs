//! `/api/v1/tasks`: listing with the `tme list` filter grammar (paginated by id), reading one,
//! and adding one from capture text or from fields. Every task carries its version as an
//! `ETag`.

use std::cell::Cell;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::auth::{Caller, answer};
use super::body::{self, Body};
use super::problem::Problem;
use super::{Shared, Work, blocking};
use crate::domain::capture::{Token, lex, tokens_from_args};
use crate::domain::{Role, Tag, TaskId};
use crate::engine::{SortKey, TaskManager, TaskView};
use crate::interop::json::{TaskJson, task_json};

/// The most tasks one page holds.
const MOST_PER_PAGE: usize = 500;

/// The query of `GET /api/v1/tasks`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A filter in the `tme list` grammar (`project:Work +urgent due.before:eow`).
    filter: Option<String>,
    /// How many tasks a page holds (100 when not given).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
    /// Where the page starts: the `next_cursor` of the page before.
    #[param(pattern = "^[0-9]{1,19}$")]
    cursor: Option<String>,
}

/// A task as the API gives it: the fields of `tme list --json`, and its version.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ApiTask {
    /// The task.
    #[serde(flatten)]
    pub task: TaskJson,
    /// Its version, as the `ETag` gives it (without the quotes): what `If-Match` names.
    pub version: String,
}

/// A page of `GET /api/v1/tasks`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskPage {
    /// The tasks, by id.
    tasks: Vec<ApiTask>,
    /// The `cursor` of the next page; `null` on the last one.
    next_cursor: Option<String>,
}

/// The API form of tasks (the fields of `tme list --json`, and each one's version).
pub(super) fn tasks_json(tm: &TaskManager, views: &[TaskView]) -> Result<Vec<ApiTask>, Problem> {
    let uuids = tm.uuids(views.iter().flat_map(|v| v.task.linked()))?;
    let time = tm.time();
    Ok(views
        .iter()
        .map(|view| ApiTask {
            task: task_json(view, time.now, time.tz, |id| {
                uuids.get(&id).copied().unwrap_or_default()
            }),
            version: crate::store::codec::task_version(&view.task).unwrap_or_default(),
        })
        .collect())
}

/// The API form of one task.
pub(super) fn api_task(tm: &TaskManager, view: &TaskView) -> Result<ApiTask, Problem> {
    tasks_json(tm, std::slice::from_ref(view))?
        .pop()
        .ok_or_else(|| Problem::no_task(view.task.id))
}

/// One task as a response, with its version as the `ETag`.
pub(super) fn one_task(
    tm: &TaskManager,
    view: &TaskView,
    status: StatusCode,
) -> Result<Response, Problem> {
    let task = api_task(tm, view)?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", task.version)).ok();
    let mut response = (status, Json(task)).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `GET /api/v1/tasks`: the tasks the filter matches (pending ones unless it names a status)
/// within the token's reach, by id, a page at a time.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(ListQuery),
    responses(
        (status = 200, description = "A page of tasks", body = TaskPage),
    ))]
pub async fn list(
    State(shared): State<Shared>,
    caller: Caller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    let Query(query) = query.map_err(|e| Problem::bad_request(e.body_text()))?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=MOST_PER_PAGE).contains(&limit) {
        return Err(Problem::bad_request(format!(
            "limit must be 1 to {MOST_PER_PAGE}, not {limit}"
        )));
    }
    let after = match &query.cursor {
        Some(cursor) => cursor.parse::<u64>().map_err(|_| {
            Problem::bad_request(format!("'{cursor}' is not a cursor this server gave"))
        })?,
        None => 0,
    };
    let types = shared.app.config().types.value.clone();
    blocking(&shared, Work::Read, move |tm| {
        let tokens = tokens_from_args(&[query.filter.unwrap_or_default()]);
        let mut filter = types
            .parse_filter(&tokens, &tm.time())
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        filter.after_id = Some(TaskId(after));
        caller.limit(&mut filter)?;
        // One more than a page, to know whether another follows.
        let mut views = tm
            .query_page(&filter, SortKey::Id, false, Some(limit + 1))?
            .views;
        let more = views.len() > limit;
        views.truncate(limit);
        let next = views
            .last()
            .filter(|_| more)
            .map(|v| v.task.id.0.to_string());
        let page = TaskPage {
            tasks: tasks_json(tm, &views)?,
            next_cursor: next,
        };
        Ok(Json(page).into_response())
    })
    .await
}

/// `GET /api/v1/tasks/{id}`: one task, with its version as the `ETag`.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", params(TaskPath),
    responses(
        (status = 200, description = "The task", body = ApiTask),
    ))]
pub async fn get(
    State(shared): State<Shared>,
    caller: Caller,
    Path(TaskPath { id }): Path<TaskPath>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    let id = task_id(&id)?;
    blocking(&shared, Work::Read, move |tm| {
        let view = reachable(tm, &caller, id)?;
        one_task(tm, &view, StatusCode::OK)
    })
    .await
}

/// Task `id` with its derived fields, if it exists and is within the caller's reach (one out
/// of reach is answered as missing).
pub(super) fn reachable(
    tm: &TaskManager,
    caller: &Caller,
    id: TaskId,
) -> Result<TaskView, Problem> {
    let view = tm.view(id).map_err(|_| Problem::no_task(id))?;
    if caller.reaches(view.task.category.as_ref()) {
        Ok(view)
    } else {
        Err(Problem::no_task(id))
    }
}

/// The task of a path. Its id is read as text, so that a bad one is answered with a problem
/// naming it.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskPath {
    /// The task's id (`tme list` shows it).
    #[param(value_type = u64, minimum = 1)]
    pub id: String,
}

/// The body of `POST /api/v1/tasks`: capture text, or the fields of a task.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTaskBody {
    /// Capture text, as `tme add` takes it (`Pay rent #Finance due:eom`).
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false, min_length = 1)]
    capture: Option<String>,
    /// The title (with the other fields, instead of capture text).
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false)]
    title: Option<String>,
    /// The category (`Work.Backend`).
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false)]
    category: Option<String>,
    /// Tags.
    #[serde(default)]
    tags: Vec<String>,
    /// When it is due, in any form `due:` takes (`2026-12-24`, `eom`, `friday 17:00`).
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false)]
    due: Option<String>,
    /// `H`, `M` or `L`.
    #[serde(default, deserialize_with = "body::text")]
    #[schema(nullable = false, pattern = "^[HMLhml]?$")]
    priority: Option<String>,
}

impl NewTaskBody {
    /// The capture text the body stands for: its own, or one made from its fields, each
    /// quoted so that a field's value is never read as another field.
    fn capture_text(self) -> Result<Vec<Token>, Problem> {
        let fields = self.category.is_some()
            || !self.tags.is_empty()
            || self.due.is_some()
            || self.priority.is_some();
        match (self.capture, self.title) {
            (Some(_), None) if fields => Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "capture text carries its own fields (#Work +tag due:fri pri:H); give them \
                 there, or give a title with fields",
            )),
            (Some(text), None) => Ok(lex(&text)),
            (None, Some(title)) => {
                // Each field is one token: a value is never read as another field.
                let field = |text: String| Token {
                    text,
                    literal: false,
                };
                let mut tokens = vec![Token {
                    text: title,
                    literal: true,
                }];
                tokens.extend(self.category.map(|c| field(format!("category:{c}"))));
                // A tag that is not a tag would be read as title words: refuse it instead.
                for tag in &self.tags {
                    Tag::parse(tag).map_err(|e| {
                        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("tag {e}"))
                    })?;
                    tokens.push(field(format!("+{tag}")));
                }
                tokens.extend(self.due.map(|d| field(format!("due:{d}"))));
                tokens.extend(self.priority.map(|p| field(format!("pri:{p}"))));
                Ok(tokens)
            }
            (Some(_), Some(_)) => Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "give either capture text or a title with fields, not both",
            )),
            (None, None) => Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "a task needs capture text (\"capture\") or a title (\"title\")",
            )),
        }
    }
}

/// `POST /api/v1/tasks`: adds a task, journaled as made by the token; 201 with the task.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = NewTaskBody,
    responses(
        (status = 201, description = "The task as added", body = ApiTask,
            headers(("Location" = String, description = "The task's address"))),
    ))]
pub async fn create(
    State(shared): State<Shared>,
    caller: Caller,
    Body(body): Body<NewTaskBody>,
) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    let tokens = body.capture_text()?;
    let types = shared.app.config().types.value.clone();
    let app = shared.app.clone();
    blocking(&shared, Work::Change, move |tm| {
        let new = types
            .parse_new_task(&tokens, &tm.time())
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        let summary = format!("api: add '{}'", new.title);
        // Judged on the task as made, after hooks and rules had their say, inside the write.
        let refused = Cell::new(false);
        let task = tm
            .transaction_by(&caller.actor(), &summary, |s| {
                let task = s.create(new.clone())?;
                caller.keep_within(task.category.as_ref(), &refused)?;
                Ok(task)
            })
            .map_err(|e| answer(e, &refused))?;
        app.after_command(tm);
        let view = tm.view(task.id)?;
        let mut response = one_task(tm, &view, StatusCode::CREATED)?;
        if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/tasks/{}", task.id)) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        Ok(response)
    })
    .await
}

/// The largest task id the API takes: ids are 64-bit signed numbers in its document (and in
/// PostgreSQL).
pub(super) const MOST_ID: u64 = i64::MAX as u64;

/// `number` as a task id, if it can be one (1 to [`MOST_ID`]).
pub(super) fn known_id(number: u64) -> Option<TaskId> {
    (1..=MOST_ID).contains(&number).then_some(TaskId(number))
}

/// A task id from a path.
pub(super) fn task_id(text: &str) -> Result<TaskId, Problem> {
    text.parse::<u64>()
        .ok()
        .and_then(known_id)
        .ok_or_else(|| Problem::bad_request(format!("'{text}' is not a task id")))
}
