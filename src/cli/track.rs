//! `tme start` and `tme stop`: time tracking.

use clap::Args;

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, select};

/// Starts or stops time tracking on tasks.
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// Ids (`3 4`) or a filter (`"Write paper"`).
    #[arg(
        required = true,
        value_name = "ID|FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    tasks: Vec<String>,
    /// Act on every task the filter matches without asking.
    #[arg(long, short)]
    yes: bool,
}

impl TrackArgs {
    /// Runs `tme start`.
    pub fn start(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = select(ctx, &self.tasks, "start", self.yes, Ask::IfSeveral)?;
        act_on(ctx, &views, "Started", |s, id| s.start(id))?;
        Ok(())
    }

    /// Runs `tme stop`, then says how much time each task has had.
    pub fn stop(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = select(ctx, &self.tasks, "stop", self.yes, Ask::IfSeveral)?;
        let tasks = act_on(ctx, &views, "Stopped", |s, id| s.stop(id))?;
        let mut text = String::new();
        for task in tasks {
            text.push_str(&format!(
                "Task {} has {} tracked in all.\n",
                task.id, task.spent
            ));
        }
        ctx.print(&text)
    }
}
