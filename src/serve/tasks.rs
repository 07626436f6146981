//! `/api/v1/tasks`: listing with the `tme list` filter grammar (paginated by id), reading one,
//! and adding one from capture text or from fields. Every task carries its version as an
//! `ETag`.

use std::cell::Cell;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::{Caller, answer};
use super::problem::Problem;
use super::{Shared, blocking};
use crate::domain::capture::{Token, lex, tokens_from_args};
use crate::domain::{Role, TaskId};
use crate::engine::{SortKey, TaskManager, TaskView};
use crate::interop::json::task_json;

/// The most tasks one page holds.
const MOST_PER_PAGE: usize = 500;

/// The query of `GET /api/v1/tasks`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A filter in the `tme list` grammar (`project:Work +urgent due.before:eow`).
    filter: Option<String>,
    /// How many tasks a page holds (1 to 500; 100 when not given).
    limit: Option<usize>,
    /// Where the page starts: the `next_cursor` of the page before.
    cursor: Option<String>,
}

/// The JSON of tasks (the fields of `tme list --json`).
pub(super) fn tasks_json(
    tm: &TaskManager,
    views: &[TaskView],
) -> Result<Vec<serde_json::Value>, Problem> {
    let uuids = tm.uuids(views.iter().flat_map(|v| v.task.linked()))?;
    let time = tm.time();
    views
        .iter()
        .map(|view| {
            let json = task_json(view, time.now, time.tz, |id| {
                uuids.get(&id).copied().unwrap_or_default()
            });
            let mut value = serde_json::to_value(json)
                .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            if let Some(object) = value.as_object_mut() {
                let version = crate::store::codec::task_version(&view.task).unwrap_or_default();
                object.insert("version".into(), version.into());
            }
            Ok(value)
        })
        .collect()
}

/// One task as a response, with its version as the `ETag`.
pub(super) fn one_task(
    tm: &TaskManager,
    view: &TaskView,
    status: StatusCode,
) -> Result<Response, Problem> {
    let json = tasks_json(tm, std::slice::from_ref(view))?.pop();
    // The ETag is the version the JSON carries, quoted.
    let etag = json
        .as_ref()
        .and_then(|task| task["version"].as_str())
        .map(|version| format!("\"{version}\""));
    let mut response = (status, Json(json)).into_response();
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `GET /api/v1/tasks`: the tasks the filter matches (pending ones unless it names a status)
/// within the token's reach, by id, a page at a time.
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
    blocking(&shared, move |tm| {
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
        let body = serde_json::json!({
            "tasks": tasks_json(tm, &views)?,
            "next_cursor": next,
        });
        Ok(Json(body).into_response())
    })
    .await
}

/// `GET /api/v1/tasks/{id}`.
pub async fn get(
    State(shared): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    let id = task_id(&id)?;
    blocking(&shared, move |tm| {
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

/// The body of `POST /api/v1/tasks`: capture text, or the fields of a task.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTaskBody {
    /// Capture text, as `tme add` takes it (`Pay rent #Finance due:eom`).
    capture: Option<String>,
    /// The title (with the other fields, instead of capture text).
    title: Option<String>,
    /// The category (`Work.Backend`).
    category: Option<String>,
    /// Tags.
    #[serde(default)]
    tags: Vec<String>,
    /// When it is due, in any form `due:` takes (`2026-12-24`, `eom`, `friday 17:00`).
    due: Option<String>,
    /// `H`, `M` or `L`.
    priority: Option<String>,
}

impl NewTaskBody {
    /// The capture text the body stands for: its own, or one made from its fields, each
    /// quoted so that a field's value is never read as another field.
    fn capture_text(self) -> Result<Vec<Token>, Problem> {
        match (self.capture, self.title) {
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
                tokens.extend(self.tags.iter().map(|t| field(format!("+{t}"))));
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
pub async fn create(
    State(shared): State<Shared>,
    caller: Caller,
    body: Result<Json<NewTaskBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    let Json(body) = body.map_err(|e| Problem::new(e.status(), e.body_text()))?;
    let tokens = body.capture_text()?;
    let types = shared.app.config().types.value.clone();
    let app = shared.app.clone();
    blocking(&shared, move |tm| {
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

/// A task id from a path.
pub(super) fn task_id(text: &str) -> Result<TaskId, Problem> {
    text.parse::<u64>()
        .ok()
        .filter(|id| *id > 0)
        .map(TaskId)
        .ok_or_else(|| Problem::bad_request(format!("'{text}' is not a task id")))
}
