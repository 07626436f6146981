//! `tme delete`.

use clap::Args;

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, select};

/// Deletes tasks (undo brings them back). Asks first on a terminal.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Ids (`3 4`, `5-7`) or a filter (`"Pay bills"`, `#Shopping`).
    #[arg(
        required = true,
        value_name = "ID|FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    tasks: Vec<String>,
    /// Delete without asking.
    #[arg(long, short)]
    yes: bool,
}

impl DeleteArgs {
    /// Runs `tme delete`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = select(ctx, &self.tasks, "delete", self.yes, Ask::Always)?;
        act_on(ctx, &views, "Deleted", |s, id| s.delete(id))?;
        Ok(())
    }
}
