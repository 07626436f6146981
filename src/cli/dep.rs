//! `tme dep add A B [--kind fs|ss|ff|relates]` and `tme dep rm A B`: typed dependencies.

use super::context::Ctx;
use super::error::CliError;
use super::select::task_id;
use crate::domain::{DepKind, TaskChanges};

/// `tme dep`: make one task depend on another, or stop it depending.
#[derive(Debug, clap::Args)]
pub struct DepArgs {
    #[command(subcommand)]
    action: DepAction,
}

#[derive(Debug, clap::Subcommand)]
enum DepAction {
    /// TASK depends on ON: `tme dep add 12 7` (12 waits for 7 to finish).
    Add {
        /// The task that waits.
        task: String,
        /// The task it waits on.
        on: String,
        /// fs: ON finishes before TASK starts (default); ss: ON starts before TASK starts;
        /// ff: ON finishes before TASK finishes; relates: a link that never blocks.
        #[arg(long, default_value = "fs", value_parser = parse_kind)]
        kind: DepKind,
    },
    /// TASK no longer depends on ON.
    #[command(visible_alias = "remove")]
    Rm {
        /// The task that waits.
        task: String,
        /// The task it waits on.
        on: String,
    },
}

fn parse_kind(text: &str) -> Result<DepKind, String> {
    DepKind::parse(text).ok_or_else(|| format!("'{text}' is not a kind; use fs, ss, ff or relates"))
}

impl DepArgs {
    /// Runs `tme dep`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        match self.action {
            DepAction::Add { task, on, kind } => {
                let (task, on) = (task_id(&task)?, task_id(&on)?);
                let changed = tm.transaction(&ctx.summary, |s| s.add_dependency(task, on, kind))?;
                let other = tm.task(on)?;
                let view = tm.view(task)?;
                let state = if view.blocked { " (blocked now)" } else { "" };
                ctx.print(&format!(
                    "Task {} '{}' now depends on task {} '{}' ({}){state}.\n",
                    changed.id,
                    changed.title,
                    other.id,
                    other.title,
                    kind.words()
                ))
            }
            DepAction::Rm { task, on } => {
                let (task, on) = (task_id(&task)?, task_id(&on)?);
                let before = tm.task(task)?;
                if !before.depends.iter().any(|d| d.on == on) {
                    return Err(CliError::Input(format!(
                        "task {task} does not depend on task {on}"
                    )));
                }
                let changes = TaskChanges {
                    remove_depends: vec![on],
                    ..TaskChanges::default()
                };
                let changed = tm.transaction(&ctx.summary, |s| s.update(task, &changes))?;
                ctx.print(&format!(
                    "Task {} '{}' no longer depends on task {on}.\n",
                    changed.id, changed.title
                ))
            }
        }
    }
}
