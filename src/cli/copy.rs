//! `tme copy --to DATABASE`: the whole database (tasks, journal, series state) into another
//! one, a redb file or a PostgreSQL database, which must be empty; the copy is then checked.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use crate::store::{AnyStore, Store, copy, parse_database_url};

/// Copies the database into another.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Where to: a file path, redb:///abs/path or postgres://user@host:5432/db (empty, or new).
    #[arg(long, value_name = "DATABASE")]
    to: String,
}

impl CopyArgs {
    /// Runs `tme copy`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let target =
            parse_database_url(&self.to).map_err(|e| CliError::Input(format!("--to: {e}")))?;
        if target == ctx.config.database.value {
            return Err(CliError::Input(format!(
                "--to: {target} is the database being copied"
            )));
        }
        if let Some(path) = target.file()
            && path.exists()
        {
            return Err(CliError::Input(format!(
                "--to: {} exists; copy into a new file or an empty PostgreSQL database",
                path.display()
            )));
        }
        let from = crate::app::open_store(ctx.config)?;
        let to = AnyStore::open(&target)?;
        let copied = copy(&from, &to)?;
        let report = to.check_records()?;
        if !report.problems.is_empty() {
            return Err(CliError::Runtime(format!(
                "the copy in {target} did not pass its check: {}",
                report.problems.join("; ")
            )));
        }
        ctx.print(&format!(
            "Copied {} task(s), {} command(s) and {} journal entries from {} to {target}; the copy is sound.\n",
            copied.tasks, copied.commands, copied.entries, ctx.config.database.value
        ))
    }
}
