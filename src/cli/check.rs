//! `tme check`: proves the database is sound, or names what is wrong with it.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;

/// Checks the database file.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print a JSON object instead.
    #[arg(long)]
    json: bool,
}

impl CheckArgs {
    /// Runs `tme check`: exit 0 when the file is sound, 1 with the problems listed otherwise.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let path = &ctx.config.database.value;
        let mut store = crate::app::open_store(ctx.config)?;
        let report = store.check()?;
        if self.json {
            ctx.print_json(&serde_json::json!({
                "database": path.display().to_string(),
                "sound": report.problems.is_empty(),
                "tasks": report.tasks,
                "open": report.open,
                "journal": report.journal,
                "repaired": report.repaired,
                "problems": report.problems,
            }))?;
        } else if report.problems.is_empty() {
            let repaired = if report.repaired {
                " (it had not been closed cleanly; redb recovered it)"
            } else {
                ""
            };
            ctx.print(&format!(
                "{} is sound{repaired}: {} tasks ({} open), {} journal entries; every index matches the tasks, and the journal replayed gives them.\n",
                path.display(),
                report.tasks,
                report.open,
                report.journal
            ))?;
        } else {
            let mut out = format!(
                "{} has {} problem(s):\n",
                path.display(),
                report.problems.len()
            );
            for problem in &report.problems {
                out.push_str(&format!("  {problem}\n"));
            }
            ctx.print(&out)?;
        }
        match report.problems.len() {
            0 => Ok(()),
            n => Err(CliError::Runtime(format!(
                "the database has {n} problem(s); restore a backup (tme restore) or report them"
            ))),
        }
    }
}
