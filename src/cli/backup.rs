//! `tme backup`, `tme restore` and the daily backup: consistent copies of the database, each
//! checked before it is trusted.

use std::path::{Path, PathBuf};

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use crate::app::clock_for;
use crate::integrations::backups::file_name;
use crate::store::{CheckReport, RedbStore};

/// Copies the database.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to (default: `tme-YYYYMMDD-HHMMSS.redb` in the backup directory).
    #[arg(value_name = "PATH")]
    path: Option<PathBuf>,
}

/// Replaces the database with a backup.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Do not ask (needed when not on a terminal).
    #[arg(long)]
    yes: bool,
}

/// Opens a copy of a database and checks it.
fn checked(path: &Path) -> Result<CheckReport, CliError> {
    Ok(RedbStore::open(path)?.check()?)
}

/// "3 tasks (2 open), 1.2 MB".
fn described(report: &CheckReport, bytes: u64) -> String {
    format!(
        "{} tasks ({} open), {:.1} MB",
        report.tasks,
        report.open,
        bytes as f64 / 1e6
    )
}

impl BackupArgs {
    /// Runs `tme backup`: the copy is checked before it is reported as made.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        let path = self
            .path
            .unwrap_or_else(|| ctx.config.backup_dir.value.join(file_name(tm.now())));
        let bytes = tm.backup_to(&path)?;
        let report = checked(&path)?;
        if !report.problems.is_empty() {
            let _ = std::fs::remove_file(&path);
            return Err(CliError::Runtime(format!(
                "the copy did not pass its check ({}), so it was removed; run tme check",
                report.problems.join("; ")
            )));
        }
        ctx.print(&format!(
            "Backed up to {}: {}, checked sound.\n",
            path.display(),
            described(&report, bytes)
        ))
    }
}

impl RestoreArgs {
    /// Runs `tme restore`: the backup is copied and checked first; the database is replaced
    /// only by a sound copy, and what it held is kept as a backup of its own.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let Some(database) = ctx.config.database.value.file() else {
            return Err(CliError::Input(format!(
                "{} is a PostgreSQL database: restore it with pg_restore or psql",
                ctx.config.database.value
            )));
        };
        if !self.path.is_file() {
            return Err(CliError::Input(format!(
                "{} is not a file; tme backup writes backups to {}",
                self.path.display(),
                ctx.config.backup_dir.value.display()
            )));
        }
        let prefix = crate::store::partial_prefix(database, "restoring");
        crate::store::sweep(database, &prefix);
        // The backup itself is never opened: a copy of it is checked, and becomes the database.
        let staged_result = (|| {
            let (staged, bytes) = crate::store::copy_beside(&self.path, database, &prefix)?;
            let report = checked(staged.path())?;
            Ok::<_, CliError>((staged, report, bytes))
        })();
        let (staged, report, bytes) = match staged_result {
            Ok(found) => found,
            Err(e) => {
                return Err(CliError::Runtime(format!(
                    "{} cannot be restored: {e}; nothing was replaced",
                    self.path.display()
                )));
            }
        };
        if !report.problems.is_empty() {
            return Err(CliError::Runtime(format!(
                "{} did not pass its check ({}); nothing was replaced",
                self.path.display(),
                report.problems.join("; ")
            )));
        }
        let question = format!(
            "Replace {} with {} ({})?",
            database.display(),
            self.path.display(),
            described(&report, bytes)
        );
        let go = match (self.yes, ctx.interactive) {
            (true, _) => true,
            (false, true) => ctx.confirm(&question)?,
            (false, false) => {
                return Err(CliError::Input(
                    "tme restore replaces the database; add --yes to do it without a terminal"
                        .into(),
                ));
            }
        };
        if !go {
            return Err(CliError::Cancelled);
        }
        // The staged copy is removed on any way out above (it is a temporary file until kept).
        let kept = if database.exists() {
            let kept = ctx.config.backup_dir.value.join(format!(
                "before-restore-{}",
                file_name(clock_for(ctx.config).now())
            ));
            RedbStore::open(database)?.replace_with(staged, &kept)?;
            Some(kept)
        } else {
            staged
                .persist(database)
                .map_err(|e| CliError::Runtime(format!("{}: {}", database.display(), e.error)))?;
            None
        };
        let kept = kept
            .map(|k| format!(" The database as it was is kept at {}.", k.display()))
            .unwrap_or_default();
        ctx.print(&format!(
            "Restored {} from {}.{kept}\n",
            described(&report, bytes),
            self.path.display()
        ))
    }
}
