//! `tme import` and `tme export`: tasks in and out, in Taskwarrior's JSON (so TME can take
//! over from `task export`, and give back to `task import`), TME's own JSON, or iCalendar.

use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;

use super::context::Ctx;
use super::error::CliError;
use super::render::tasks_json;
use crate::domain::Filter;
use crate::interop::taskwarrior::{from_taskwarrior, to_taskwarrior};

/// Reads tasks in.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file (`-` or nothing: standard input).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// The format: `taskwarrior` (the JSON of `task export`: an array, or one task per line)
    /// or `todotxt`.
    #[arg(long, default_value = "taskwarrior")]
    format: String,
    /// Import the good records even when some are bad (they are listed).
    #[arg(long)]
    skip_invalid: bool,
}

/// Writes tasks out.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// `json` (TME's own), `taskwarrior` (for `task import`), `todotxt` or `ics` (iCalendar).
    #[arg(long, default_value = "json")]
    format: String,
    /// Which tasks (all of them when left out), as for `tme list`.
    #[arg(
        value_name = "FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    filter: Vec<String>,
}

/// The records of Taskwarrior JSON: an array, or one object per line.
fn records(text: &str) -> Vec<Result<Value, String>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<Value>>(trimmed) {
            Ok(list) => list.into_iter().map(Ok).collect(),
            Err(e) => vec![Err(format!("not a JSON array of tasks: {e}"))],
        };
    }
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("not JSON: {e}")))
        .collect()
}

impl ImportArgs {
    /// Runs `tme import`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        if self.format != "taskwarrior" && self.format != "todotxt" {
            return Err(CliError::Input(format!(
                "'{}' is not a format tme import reads; use --format taskwarrior or todotxt",
                self.format
            )));
        }
        let mut text = String::new();
        match &self.file {
            Some(path) if path.as_os_str() != "-" => {
                text = std::fs::read_to_string(path)
                    .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
            }
            _ => {
                std::io::stdin().read_to_string(&mut text)?;
            }
        }
        let tm = ctx.engine()?;
        let tz = tm.time().tz;
        let incoming = if self.format == "todotxt" {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| crate::interop::todotxt::from_line(l, tz))
                .collect()
        } else {
            records(&text)
                .into_iter()
                .map(|r| r.and_then(|v| from_taskwarrior(&v, tz).map_err(|e| e.to_string())))
                .collect()
        };
        let report = tm.import(incoming, self.skip_invalid)?;
        let mut out = format!(
            "Imported: {} created, {} updated, {} unchanged, {} failed.\n",
            report.created.len(),
            report.updated.len(),
            report.unchanged,
            report.failed.len()
        );
        for (n, why) in &report.failed {
            out.push_str(&format!("  record {n}: {why}\n"));
        }
        ctx.print(&out)
    }
}

impl ExportArgs {
    /// Runs `tme export`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        let time = ctx.time();
        let filter: Filter = ctx.config.types.value.parse_filter(
            &crate::domain::capture::tokens_from_args(&self.filter),
            &time,
        )?;
        let filter = filter.any_status_unless_named();
        let views = tm.query(&filter)?;
        match self.format.as_str() {
            "json" => ctx.print(&tasks_json(ctx, &views)?),
            "taskwarrior" => {
                let uuids = tm.uuids(
                    views
                        .iter()
                        .flat_map(|v| v.task.depends.iter().map(|d| d.on)),
                )?;
                let parents = tm.uuids(views.iter().filter_map(|v| match &v.task.recurrence {
                    Some(crate::domain::RecurrenceLink::Instance { template, .. }) => {
                        Some(*template)
                    }
                    _ => None,
                }))?;
                let mut lines = Vec::with_capacity(views.len());
                for view in &views {
                    let mut value =
                        to_taskwarrior(&view.task, time.tz, &|id| uuids.get(&id).copied());
                    match &view.task.recurrence {
                        Some(crate::domain::RecurrenceLink::Template { rule }) => {
                            value["recur"] = Value::String(rule.to_string());
                        }
                        Some(crate::domain::RecurrenceLink::Instance { template, .. }) => {
                            if let Some(uuid) = parents.get(template) {
                                value["parent"] = Value::String(uuid.to_string());
                            }
                        }
                        None => {}
                    }
                    lines.push(value);
                }
                ctx.print_json(&lines)
            }
            "todotxt" => {
                let text: String = views
                    .iter()
                    .filter(|v| {
                        v.task.status != crate::domain::Status::Deleted && !v.task.is_template()
                    })
                    .map(|v| format!("{}\n", crate::interop::todotxt::to_line(&v.task, time.tz)))
                    .collect();
                ctx.print(&text)
            }
            "ics" => {
                let tasks: Vec<crate::domain::Task> =
                    views.iter().map(|v| (*v.task).clone()).collect();
                ctx.print(&crate::interop::ics::calendar(&tasks, tm.now(), time.tz))
            }
            other => Err(CliError::Input(format!(
                "'{other}' is not a format; use json, taskwarrior, todotxt or ics"
            ))),
        }
    }
}
