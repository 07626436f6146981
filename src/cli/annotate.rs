//! `tme annotate`.

use clap::Args;

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, select};

/// Adds a timestamped note to a task.
#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// Which task: an id or one filter argument.
    #[arg(value_name = "ID|FILTER", allow_hyphen_values = true)]
    task: String,
    /// The note.
    #[arg(
        required = true,
        value_name = "TEXT",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    text: Vec<String>,
    /// Annotate every task the filter matches without asking.
    #[arg(long, short)]
    yes: bool,
}

impl AnnotateArgs {
    /// Runs `tme annotate`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let text = self.text.join(" ");
        let views = select(ctx, &[self.task], "annotate", self.yes, Ask::IfSeveral)?;
        act_on(ctx, &views, "Annotated", |s, id| s.annotate(id, &text))?;
        Ok(())
    }
}
