//! `tme import` and `tme export`: tasks in and out, in Taskwarrior's JSON (so TME can take
//! over from `task export`, and give back to `task import`), TME's own JSON, todo.txt or
//! iCalendar.

use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;

use super::context::Ctx;
use super::error::CliError;
use super::progress::Progress;
use super::render::tasks_json;
use crate::domain::Filter;
use crate::engine::Incoming;
use crate::interop::taskwarrior::{from_taskwarrior, to_taskwarrior};

/// Reads tasks in.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file (`-` or nothing: standard input).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// The format: `taskwarrior` (the JSON of `task export`: an array, or one task per line),
    /// `json` (TME's own, as `tme export` writes it), `todotxt` or `ics` (iCalendar VTODOs and
    /// VEVENTs). Guessed from the contents when left out.
    #[arg(long)]
    format: Option<String>,
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

/// The formats `tme import` reads and `tme export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Taskwarrior,
    Json,
    TodoTxt,
    Ics,
}

impl Format {
    fn named(name: &str) -> Result<Format, CliError> {
        Ok(match name {
            "taskwarrior" | "tw" => Format::Taskwarrior,
            "json" | "tme" => Format::Json,
            "todotxt" | "todo.txt" => Format::TodoTxt,
            "ics" | "ical" | "icalendar" => Format::Ics,
            other => {
                return Err(CliError::Input(format!(
                    "'{other}' is not a format; use taskwarrior, json, todotxt or ics"
                )));
            }
        })
    }

    /// The format of a file that does not say: iCalendar begins with BEGIN:VCALENDAR, JSON
    /// with `[` or `{` (TME's own when its first task has a `title`, whether or not it has a
    /// `description`; Taskwarrior's otherwise), anything else is todo.txt.
    fn guess(text: &str, records: Option<&Records<'_>>) -> Format {
        let start = text.trim_start();
        if start
            .get(..15)
            .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
        {
            return Format::Ics;
        }
        let first = records
            .and_then(|r| r.iter().flatten().next())
            .and_then(|r| serde_json::from_str::<Value>(r).ok());
        match first {
            // Every TME record has a title, and Taskwarrior's have none (their title is the
            // description, which TME's records may have too).
            Some(first) if first.get("title").is_some() => Format::Json,
            _ if start.starts_with(['[', '{']) => Format::Taskwarrior,
            _ => Format::TodoTxt,
        }
    }
}

/// The text of each record of a JSON file (or why it is not JSON), read by each format's reader
/// as it needs.
type Records<'a> = Vec<Result<&'a str, String>>;

/// The records of a JSON file: an array, or one object per line (Taskwarrior's 2.x form).
fn json_records(text: &str) -> Option<Result<Records<'_>, String>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return Some(
            serde_json::from_str::<Vec<&serde_json::value::RawValue>>(trimmed)
                .map(|list| list.into_iter().map(|r| Ok(r.get())).collect())
                .map_err(|e| format!("not a JSON array of tasks: {e}")),
        );
    }
    trimmed.starts_with('{').then(|| {
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<&serde_json::value::RawValue>(l)
                    .map(|r| r.get())
                    .map_err(|e| format!("not JSON: {e}"))
            })
            .collect())
    })
}

impl ImportArgs {
    /// Runs `tme import`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let named = self.format.as_deref().map(Format::named).transpose()?;
        let mut bar = Progress::new(match &self.file {
            Some(path) if path.as_os_str() != "-" => format!("Reading {}", path.display()),
            _ => "Reading standard input".to_string(),
        });
        let text = match &self.file {
            Some(path) if path.as_os_str() != "-" => std::fs::read_to_string(path)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?,
            _ => {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text)?;
                text
            }
        };
        // JSON is split into records only when it may be JSON: a todo.txt line may begin with [.
        let records = match named {
            Some(Format::TodoTxt | Format::Ics) => None,
            _ => json_records(&text),
        };
        let format = named.unwrap_or_else(|| {
            Format::guess(&text, records.as_ref().and_then(|r| r.as_ref().ok()))
        });
        let tm = ctx.engine()?;
        let tz = tm.time().tz;
        let mut skipped = Vec::new();
        let records = || match records {
            Some(Ok(records)) => Ok(records),
            Some(Err(why)) => Err(CliError::Input(why)),
            None => Err(CliError::Input(
                "the file is not JSON: it begins with neither [ nor {".into(),
            )),
        };
        let incoming: Vec<Result<Incoming, String>> = match format {
            Format::TodoTxt => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| crate::interop::todotxt::from_line(l, tz))
                .collect(),
            Format::Taskwarrior => records()?
                .into_iter()
                .map(|r| {
                    let value: Value = serde_json::from_str(r?).map_err(|e| e.to_string())?;
                    from_taskwarrior(&value, tz).map_err(|e| e.to_string())
                })
                .collect(),
            Format::Json => {
                crate::interop::json::read(records()?, &ctx.config.types.value, tm.now())
            }
            Format::Ics => {
                let file =
                    crate::interop::ics::read(&text, tm.now(), tz).map_err(CliError::Input)?;
                skipped = file.skipped;
                file.records
            }
        };
        bar.steps("Importing", incoming.len());
        let report = tm.import(incoming, self.skip_invalid, &mut |done| bar.set(done))?;
        drop(bar);
        let skipped_count = match skipped.len() {
            0 => String::new(),
            n => format!("{n} skipped, "),
        };
        let mut out = format!(
            "Imported: {} created, {} updated, {} unchanged, {skipped_count}{} failed.\n",
            report.created.len(),
            report.updated.len(),
            report.unchanged,
            report.failed.len()
        );
        for why in &skipped {
            out.push_str(&format!("  skipped {why}\n"));
        }
        for (n, why) in &report.failed {
            out.push_str(&format!("  record {n}: {why}\n"));
        }
        for (n, why) in &report.dropped {
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
        match Format::named(&self.format)? {
            Format::Json => ctx.print(&tasks_json(ctx, &views)?),
            Format::Taskwarrior => {
                let uuids = tm.uuids(views.iter().flat_map(|v| v.task.linked()))?;
                let lines: Vec<Value> = views
                    .iter()
                    .map(|v| to_taskwarrior(&v.task, time.tz, &|id| uuids.get(&id).copied()))
                    .collect();
                ctx.print_json(&lines)
            }
            Format::TodoTxt => {
                let text: String = views
                    .iter()
                    .filter(|v| {
                        v.task.status != crate::domain::Status::Deleted && !v.task.is_template()
                    })
                    .map(|v| format!("{}\n", crate::interop::todotxt::to_line(&v.task, time.tz)))
                    .collect();
                ctx.print(&text)
            }
            Format::Ics => {
                let tasks: Vec<crate::domain::Task> =
                    views.iter().map(|v| (*v.task).clone()).collect();
                ctx.print(&crate::interop::ics::calendar(&tasks, tm.now(), time.tz))
            }
        }
    }
}
