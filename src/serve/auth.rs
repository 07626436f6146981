//! Who a request comes from: the API token in `Authorization: Bearer …`, looked up among the
//! database's tokens (so a token revoked by `tme token revoke` is refused at once, on every
//! server of the database), and what it may do.

use std::cell::Cell;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::Shared;
use super::problem::Problem;
use crate::domain::{ApiToken, Category, Filter, Role};
use crate::engine::EngineError;

/// The token a request came with, checked to be live.
#[derive(Debug, Clone)]
pub struct Caller(pub ApiToken);

impl Caller {
    /// Refuses (403) unless the token may do what `role` may.
    pub fn needs(&self, role: Role) -> Result<(), Problem> {
        if self.0.allows(role) {
            Ok(())
        } else {
            Err(Problem::new(
                StatusCode::FORBIDDEN,
                format!(
                    "the token '{}' is for {}; this needs {role}",
                    self.0.name, self.0.role
                ),
            ))
        }
    }

    /// Whether a task in `category` is within the token's reach.
    pub fn reaches(&self, category: Option<&Category>) -> bool {
        self.0.reaches(category)
    }

    /// Narrows `filter` to the token's category; refuses (403) a filter on another one.
    pub fn limit(&self, filter: &mut Filter) -> Result<(), Problem> {
        let Some(limit) = &self.0.category else {
            return Ok(());
        };
        match &filter.category {
            None => {
                filter.category = Some(Some(limit.clone()));
                Ok(())
            }
            Some(Some(asked)) if asked.is_within(limit) => Ok(()),
            Some(_) => Err(Problem::new(
                StatusCode::FORBIDDEN,
                format!("the token '{}' reaches {limit} only", self.0.name),
            )),
        }
    }

    /// Inside a write: refuses a task the change would leave out of the caller's reach, and
    /// notes in `refused` that the refusal was this one (see [`answer`]).
    pub fn keep_within(
        &self,
        category: Option<&Category>,
        refused: &Cell<bool>,
    ) -> Result<(), EngineError> {
        if self.reaches(category) {
            return Ok(());
        }
        refused.set(true);
        let limit = self
            .0
            .category
            .as_ref()
            .map_or(String::new(), |c| c.to_string());
        Err(EngineError::NotAllowed(format!(
            "the token '{}' may only add or keep tasks within {limit}",
            self.0.name
        )))
    }

    /// What the journal records the caller's changes as made by.
    pub fn actor(&self) -> String {
        format!("{} via api", self.0.name)
    }
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, shared: &Shared) -> Result<Caller, Problem> {
        let unauthorized = |detail: &str| Problem::new(StatusCode::UNAUTHORIZED, detail);
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| unauthorized("this needs an API token: Authorization: Bearer tme_…"))?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|secret| !secret.is_empty())
            .ok_or_else(|| unauthorized("the Authorization header must be 'Bearer' and a token"))?
            .to_string();
        let found = super::blocking(shared, super::Work::Read, move |tm| {
            Ok(tm.token_for(&secret)?)
        })
        .await?;
        found
            .map(Caller)
            .ok_or_else(|| unauthorized("the token is not known, was revoked or has expired"))
    }
}

impl From<tokio::task::JoinError> for Problem {
    fn from(e: tokio::task::JoinError) -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

/// A write's error as an answer: 403 when it was [`Caller::keep_within`]'s refusal, otherwise
/// as the engine's errors always are.
pub fn answer(e: EngineError, refused: &Cell<bool>) -> Problem {
    if refused.get() {
        Problem::new(StatusCode::FORBIDDEN, e.to_string())
    } else {
        e.into()
    }
}
