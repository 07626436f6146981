//! Errors as RFC 9457 problem documents (`application/problem+json`), with the message the CLI
//! would print, and a status a client can act on.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::tasks::ApiTask;
use crate::engine::EngineError;
use crate::store::StoreError;

/// A problem: the status, and what exactly was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// What was wrong, in the words the CLI uses.
    pub detail: String,
    /// The task as it is now, for a 412.
    pub task: Option<Box<ApiTask>>,
}

/// A problem as the client reads it (RFC 9457, `application/problem+json`).
#[derive(Debug, Serialize, utoipa::ToSchema, utoipa::ToResponse)]
#[response(
    description = "Refused: the detail says why, in the words the CLI would use",
    content_type = "application/problem+json"
)]
pub struct ProblemDocument {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    kind: &'static str,
    /// The status's reason phrase (`Not Found`).
    title: &'static str,
    /// The HTTP status again.
    status: u16,
    /// What exactly was wrong (`task 9 does not exist`).
    detail: String,
    /// With a 412: the task as it is now, so the client can show the conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<Box<ApiTask>>,
}

impl Problem {
    /// A problem with this status and detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            detail: detail.into(),
            task: None,
        }
    }

    /// The problem with the task as it is now.
    pub fn with_task(mut self, task: ApiTask) -> Problem {
        self.task = Some(Box::new(task));
        self
    }

    /// 400: the request itself is malformed (a query, a body that is not the JSON asked for).
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 404 for task `id`, or one out of the caller's reach (which is not told apart, so that
    /// a token limited to a category learns nothing of the others).
    pub fn no_task(id: impl std::fmt::Display) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, format!("task {id} does not exist"))
    }
}

impl From<EngineError> for Problem {
    fn from(e: EngineError) -> Problem {
        let status = match &e {
            EngineError::NotFound(_) => StatusCode::NOT_FOUND,
            EngineError::Cycle(_)
            | EngineError::NotAllowed(_)
            | EngineError::Blocked { .. }
            | EngineError::OpenSubtasks { .. }
            | EngineError::NothingToUndo
            | EngineError::UndoConflict { .. } => StatusCode::CONFLICT,
            EngineError::Store(StoreError::Interrupted(_)) => StatusCode::SERVICE_UNAVAILABLE,
            EngineError::Store(_) | EngineError::BadRecords { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        if status.is_server_error() {
            tracing::error!(error = %e, "a request failed");
        }
        Problem::new(status, e.to_string())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let document = ProblemDocument {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: self.detail,
            task: self.task,
        };
        let body = serde_json::to_string(&document).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
