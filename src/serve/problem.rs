//! Errors as RFC 9457 problem documents (`application/problem+json`), with the message the CLI
//! would print, and a status a client can act on.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::engine::EngineError;
use crate::store::StoreError;

/// A problem document: the status, a short title for it, and what exactly was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// What was wrong, in the words the CLI uses.
    pub detail: String,
    /// Members beyond the standard ones (the task as it is now, for a 412).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Problem {
    /// A problem with this status and detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            detail: detail.into(),
            extra: serde_json::Map::new(),
        }
    }

    /// The problem with one more member.
    pub fn with(mut self, name: &str, value: serde_json::Value) -> Problem {
        self.extra.insert(name.to_string(), value);
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
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let Some(members) = body.as_object_mut() {
            members.extend(self.extra);
        }
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
