//! `tme check`: proves the database is sound, or names what is wrong with it.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use crate::store::{AnyStore, Store};

/// Checks the database file.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print a JSON object instead.
    #[arg(long)]
    json: bool,
    /// Mend what is derived from the tasks: rebuild every index, move a task kept with the wrong
    /// status, move counters past what they counted. The tasks and the journal are not changed.
    #[arg(long)]
    repair: bool,
}

impl CheckArgs {
    /// Runs `tme check`: exit 0 when the file is sound, 1 with the problems listed otherwise.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let path = &ctx.config.database.value;
        let (report, mended) = match (crate::app::open_store(ctx.config)?, self.repair) {
            (AnyStore::Redb(mut store), true) => {
                let repair = store.repair()?;
                let mended: Vec<String> = repair
                    .found
                    .into_iter()
                    .filter(|p| !repair.after.problems.contains(p))
                    .collect();
                (repair.after, mended)
            }
            (AnyStore::Redb(mut store), false) => (store.check()?, Vec::new()),
            (AnyStore::Postgres(_), true) => {
                return Err(CliError::Input(format!(
                    "{path} is a PostgreSQL database: its constraints keep what --repair mends in a file, so there is nothing to repair; tme check checks it"
                )));
            }
            (AnyStore::Postgres(store), false) => (store.check_records()?, Vec::new()),
        };
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
        let on_file = path.file().is_some();
        let mend = |count: usize, which: &str| match (self.repair, count, on_file) {
            (false, 1.., true) => format!("; `tme check --repair` mends {which}"),
            (false, 1.., false) => {
                format!("; {which} were changed outside TME: restore the database from a dump")
            }
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
