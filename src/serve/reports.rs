//! `GET /api/v1/reports/{name}?range=…&filter=…`: the numbers of `tme report NAME --json`.
//! A token limited to a category gets reports on that category only.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::Caller;
use super::problem::Problem;
use super::{Shared, Work, blocking};
use crate::domain::Role;
use crate::domain::capture::tokens_from_args;
use crate::report::{REPORTS, Range};

/// The query of a report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// How far back: `7d`, `30d` (when not given), `90d`, `1y`, `all`, or any number of days,
    /// weeks, months or years up to 100 years (`6w`).
    #[param(pattern = "^ *([Aa][Ll][Ll]|[0-9]{1,5}[DdWwMmYy]) *$")]
    range: Option<String>,
    /// Which tasks, in the `tme list` filter grammar (every status unless it names one).
    filter: Option<String>,
}

/// The report of a path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReportPath {
    /// Which report (`tme report` lists them).
    name: String,
}

/// `GET /api/v1/reports/{name}`: the report's numbers, as `tme report NAME --json` gives them.
#[utoipa::path(get, path = "/api/v1/reports/{name}", tag = "reports", params(ReportPath, ReportQuery),
    responses((status = 200, description = "The report's numbers", body = Object)))]
pub async fn report(
    State(shared): State<Shared>,
    caller: Caller,
    Path(ReportPath { name }): Path<ReportPath>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    caller.needs(Role::Read)?;
    let Query(query) = query.map_err(|e| Problem::bad_request(e.body_text()))?;
    let name = name.to_lowercase();
    if !REPORTS.iter().any(|(known, _)| *known == name) {
        let names: Vec<&str> = REPORTS.iter().map(|(n, _)| *n).collect();
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            format!(
                "there is no report '{name}'; the reports are {}",
                names.join(", ")
            ),
        ));
    }
    let range = Range::parse(query.range.as_deref().unwrap_or("30d"))
        .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let types = shared.app.config().types.value.clone();
    blocking(&shared, Work::Read, move |tm| {
        let time = tm.time();
        let mut filter = types
            .parse_filter(
                &tokens_from_args(&[query.filter.unwrap_or_default()]),
                &time,
            )
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?
            .any_status_unless_named();
        caller.limit(&mut filter)?;
        let (report, window) = tm.report(&name, range, &filter)?;
        Ok(Json(report.json(&window)).into_response())
    })
    .await
}
