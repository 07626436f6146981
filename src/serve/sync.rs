//! Sync (docs/sync.md): `POST /api/v1/sync/push` applies what a replica made offline,
//! merged by field into the server's log of record; `GET /api/v1/sync/pull?after=N` hands
//! that log out after a cursor. A replica holds every task, so a token limited to a
//! category cannot sync.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::Caller;
use super::body::Body;
use super::problem::Problem;
use super::{Shared, Work, blocking};
use crate::domain::Role;
use crate::sync::{PullAnswer, PushAnswer, PushBody};

/// The largest push taken: a page of commands ([`crate::engine::PUSH_PAGE`]) with long
/// descriptions fits.
pub const MOST_PUSH: usize = 64 * 1024 * 1024;

fn whole_list_only(caller: &Caller) -> Result<(), Problem> {
    match &caller.0.category {
        Some(limit) => Err(Problem::new(
            StatusCode::FORBIDDEN,
            format!(
                "this token reaches only #{limit}; a replica holds every task, so syncing needs a token without a category"
            ),
        )),
        None => Ok(()),
    }
}

/// `POST /api/v1/sync/push`: the commands a replica has not pushed, applied in order, each
/// journaled as its maker on their machine, with the token it came with.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", request_body = PushBody,
    responses((status = 200, description = "The highest command number applied", body = PushAnswer)))]
pub async fn push(
    State(shared): State<Shared>,
    caller: Caller,
    Body(mut body): Body<PushBody>,
) -> Result<Response, Problem> {
    caller.needs(Role::Write)?;
    whole_list_only(&caller)?;
    for command in &mut body.commands {
        command.actor = format!("{} (token {})", command.actor, caller.0.name);
    }
    let app = shared.app.clone();
    blocking(&shared, Work::Change, move |tm| {
        let answer = tm.sync_push(&body)?;
        app.after_command(tm);
        Ok(Json(answer).into_response())
    })
    .await
}

/// Where a pull starts.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct After {
    /// The newest command of the log the replica holds (0: none, it joins).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    after: u64,
}

/// `GET /api/v1/sync/pull`: the log after a cursor, a page at a time; from 0, what a new
/// replica joins from.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", params(After),
    responses((status = 200, description = "The log after the cursor", body = PullAnswer)))]
pub async fn pull(
    State(shared): State<Shared>,
    caller: Caller,
    Query(After { after }): Query<After>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    whole_list_only(&caller)?;
    if i64::try_from(after).is_err() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            format!("after: {after} is past the largest command number"),
        ));
    }
    blocking(&shared, Work::Read, move |tm| {
        Ok(Json(tm.sync_pull(after)?).into_response())
    })
    .await
}
