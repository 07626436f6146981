//! `tme modify`.

use clap::Args;

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, select};
use crate::domain::capture::{parse_changes, tokens_from_args};

/// Changes tasks: `tme modify 12 due:fri +urgent`, `tme modify #Shopping +errand`.
#[derive(Debug, Args)]
pub struct ModifyArgs {
    /// Which tasks: an id list (`12`, `3,4`, `5-7`) or one filter argument (`"Pay bills"`).
    #[arg(value_name = "ID|FILTER", allow_hyphen_values = true)]
    tasks: String,
    /// The changes: new title words, #Category, +tag, -tag, due:DATE, pri:H, ... (`due:` clears).
    #[arg(
        required = true,
        value_name = "CHANGES",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    changes: Vec<String>,
    /// Change every task the filter matches without asking.
    #[arg(long, short)]
    yes: bool,
}

impl ModifyArgs {
    /// Runs `tme modify`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let changes = parse_changes(&tokens_from_args(&self.changes), &ctx.time())?;
        if changes.is_empty() {
            return Err(CliError::Input(
                "say what to change, e.g. `tme modify 12 due:fri +urgent`".into(),
            ));
        }
        let views = select(ctx, &[self.tasks], "modify", self.yes, Ask::IfSeveral)?;
        act_on(ctx, &views, "Modified", |s, id| s.update(id, &changes))?;
        Ok(())
    }
}
