//! `tme check`: proves the database is sound, or names what is wrong with it.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use crate::store::{AnyStore, Repair, Store};

/// Checks the database file.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print a JSON object instead.
    #[arg(long)]
    json: bool,
    /// Mend what is derived from the tasks: rebuild every index (on PostgreSQL: the columns,
    /// tags, dependencies, rank records and counts), move a task kept with the wrong status,
    /// move counters past what they counted. The tasks and the journal are not changed.
    #[arg(long)]
    repair: bool,
}

impl CheckArgs {
    /// Runs `tme check`: exit 0 when the file is sound, 1 with the problems listed otherwise.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let path = &ctx.config.database.value;
        let repair = match (crate::app::open_store(ctx.config)?, self.repair) {
            (AnyStore::Redb(mut store), true) => store.repair()?,
            (AnyStore::Postgres(store), true) => store.repair()?,
            (AnyStore::Redb(mut store), false) => Repair {
                found: Vec::new(),
                after: store.check()?,
            },
            (AnyStore::Postgres(store), false) => Repair {
                found: Vec::new(),
                after: store.check_records()?,
            },
        };
        let mended: Vec<String> = repair
            .found
            .into_iter()
            .filter(|p| !repair.after.problems.contains(p))
            .collect();
        let report = repair.after;
        if !mended.is_empty() && !self.json {
            let mut out = format!("Mended {} problem(s):\n", mended.len());
            for problem in &mended {
                out.push_str(&format!("  {problem}\n"));
            }
            ctx.print(&out)?;
        }
        if self.json {
            ctx.print_json(&serde_json::json!({
                "database": path.to_string(),
                "sound": report.problems.is_empty(),
                "tasks": report.tasks,
                "open": report.open,
                "journal": report.journal,
                "repaired": report.repaired,
                "mended": mended,
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
                path,
                report.tasks,
                report.open,
                report.journal
            ))?;
        } else {
            let mut out = format!("{} has {} problem(s):\n", path, report.problems.len());
            for problem in &report.problems {
                out.push_str(&format!("  {problem}\n"));
            }
            ctx.print(&out)?;
        }
        let (n, lasting) = (report.problems.len(), report.lasting);
        let mend = |count: usize, which: &str| match (self.repair, count) {
            (false, 1..) => format!("; `tme check --repair` mends {which}"),
            _ => String::new(),
        };
        match (n, lasting) {
            (0, _) => Ok(()),
            (n, 0) => Err(CliError::Runtime(format!(
                "the database has {n} problem(s), all in what is derived from the tasks{}",
                mend(n, "them")
            ))),
            (n, lasting) => Err(CliError::Runtime(format!(
                "the database has {n} problem(s), {lasting} in the tasks or the journal themselves: restore a backup (tme restore) or report them{}",
                mend(n - lasting, "the others")
            ))),
        }
    }
}
