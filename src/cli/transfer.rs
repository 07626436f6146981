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

/// The most `tme import` reads (1 GiB, some three million tasks): a file past it, or a device
/// that never ends (`/dev/zero`), is refused instead of filling memory.
const MOST_IMPORT: u64 = 1 << 30;

fn too_big(name: &str) -> CliError {
    CliError::Input(format!("{name} holds more than 1 GiB; import it in parts"))
}

/// The whole text of `input`, if it is UTF-8 and at most [`MOST_IMPORT`] bytes.
fn read_bounded(input: impl Read, name: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    input
        .take(MOST_IMPORT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Input(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MOST_IMPORT {
        return Err(too_big(name));
    }
    String::from_utf8(bytes).map_err(|e| {
        CliError::Input(format!(
            "{name} is not UTF-8 text (byte {} is not); save it as UTF-8 and import it again",
            e.utf8_error().valid_up_to()
        ))
    })
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
        let (name, input): (String, Box<dyn Read>) = match &self.file {
            Some(path) if path.as_os_str() != "-" => {
                let file = std::fs::File::open(path)
                    .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
                if file.metadata().is_ok_and(|m| m.len() > MOST_IMPORT) {
                    return Err(too_big(&path.display().to_string()));
                }
                (path.display().to_string(), Box::new(file))
            }
            _ => ("standard input".into(), Box::new(std::io::stdin())),
        };
        let text = read_bounded(input, &name)?;
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
