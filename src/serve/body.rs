//! Request bodies: JSON read strictly, as the OpenAPI document describes it (a field given
//! as `null` is refused, not taken as absent; a task id is a whole number), with a refusal
//! answered as a problem document.

use axum::extract::{FromRequest, Request};
use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};

use super::problem::Problem;

/// A JSON body of type `T`; a body that is not one is answered 400, 415 or 422 as axum
/// judges it, in a problem document.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Body<T>, Problem> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(body)) => Ok(Body(body)),
            Err(e) => Err(Problem::new(e.status(), e.body_text())),
        }
    }
}

/// An optional text field that, when given, is text (`"title": null` is refused).
pub fn text<'de, D: Deserializer<'de>>(field: D) -> Result<Option<String>, D::Error> {
    String::deserialize(field).map(Some)
}

/// A task id: a whole number from 1 to [`super::tasks::MOST_ID`] (`7` or `7.0`: JSON does not
/// tell them apart).
pub fn task_id<'de, D: Deserializer<'de>>(field: D) -> Result<crate::domain::TaskId, D::Error> {
    let number = serde_json::Number::deserialize(field)?;
    let whole = number.as_u64().or_else(|| {
        number
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as u64)
    });
    whole
        .and_then(super::tasks::known_id)
        .ok_or_else(|| D::Error::custom(format!("{number} is not a task id")))
}

/// Refuses (422) a title the engine would refuse, before a change is tried, so that a bad
/// value is answered as such whatever the task's version.
pub fn check_title(title: &str) -> Result<(), Problem> {
    if title.trim().is_empty() {
        return Err(unprocessable(
            "a task needs a title: it cannot be empty".into(),
        ));
    }
    crate::domain::check_title(title).map_err(|e| unprocessable(e.to_string()))
}

/// [`check_title`] for a description or an annotation (`what`); `non_blank`: it needs text.
pub fn check_note(text: &str, what: &'static str, non_blank: bool) -> Result<(), Problem> {
    if non_blank && text.trim().is_empty() {
        return Err(unprocessable(format!("an {what} needs some text")));
    }
    crate::domain::check_note(text, what).map_err(|e| unprocessable(e.to_string()))
}

fn unprocessable(detail: String) -> Problem {
    Problem::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, detail)
}
