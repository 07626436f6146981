//! `tme import` and `tme export`: tasks in and out, in Taskwarrior's JSON (so TME can take
//! over from `task export`, and give back to `task import`), TME's own JSON, todo.txt or
//! iCalendar.

use std::io::Read;
use std::path::PathBuf;

use super::context::Ctx;
use super::error::CliError;
use super::progress::Progress;
use crate::domain::Filter;
use crate::interop::format::{Format, Reading, read, write};

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

impl ImportArgs {
    /// Runs `tme import`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let named = self
            .format
            .as_deref()
            .map(Format::named)
            .transpose()
            .map_err(CliError::Input)?;
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
        let tm = ctx.engine()?;
        let Reading {
            records: incoming,
            skipped,
            ..
        } = read(
            &text,
            named,
            &ctx.config.types.value,
            tm.now(),
            tm.time().tz,
        )
        .map_err(CliError::Input)?;
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
    /// Runs `tme export`. What the format has no place for is said on standard error.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let format = Format::named(&self.format).map_err(CliError::Input)?;
        let tm = ctx.engine()?;
        let time = ctx.time();
        let filter: Filter = ctx.config.types.value.parse_filter(
            &crate::domain::capture::tokens_from_args(&self.filter),
            &time,
        )?;
        let views = tm.query(&filter.any_status_unless_named())?;
        let uuids = tm.uuids(views.iter().flat_map(|v| v.task.linked()))?;
        let written = write(
            format,
            &views,
            &|id| uuids.get(&id).copied(),
            tm.now(),
            time.tz,
        )
        .map_err(CliError::Runtime)?;
        ctx.print(&written.text)?;
        if let Some(note) = written.note(format) {
            ctx.warn(&note);
        }
        Ok(())
    }
}
