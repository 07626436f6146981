//! `tme done`.

use clap::Args;

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, select};

/// Marks tasks completed.
#[derive(Debug, Args)]
pub struct DoneArgs {
    /// Ids (`3 4`, `5-7`) or a filter (`"Pay bills"`, `#Shopping`).
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

impl DoneArgs {
    /// Runs `tme done`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = select(ctx, &self.tasks, "complete", self.yes, Ask::IfSeveral)?;
        act_on(ctx, &views, "Completed", |s, id| s.complete(id))?;
        Ok(())
    }
}
