//! `tme add` and `tme log`.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use crate::domain::Series;
use crate::domain::capture::tokens_from_args;
use crate::engine::spawned_words;

/// Adds a task from capture text.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Title words and fields: #Category +tag due:DATE sched:DATE wait:DATE until:DATE
    /// every:RULE pri:H|M|L dep:ID est:90m type:NAME parent:ID desc:"TEXT".
    #[arg(
        required = true,
        value_name = "TEXT",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    words: Vec<String>,
}

impl AddArgs {
    /// Runs `tme add` (or `tme log` when `completed`, which records a task already done).
    pub fn run(self, ctx: &Ctx, completed: bool) -> Result<(), CliError> {
        let new = ctx
            .config
            .types
            .value
            .parse_new_task(&tokens_from_args(&self.words), &ctx.time())?;
        let tm = ctx.engine()?;
        let (task, spawned) = tm.transaction(&ctx.summary, |s| {
            let task = if completed {
                s.log(new.clone())?
            } else {
                s.create(new.clone())?
            };
            Ok((task, s.spawned()))
        })?;
        let verb = if completed { "Logged" } else { "Created" };
        let mut text = format!("{verb} task {}.\n", task.id);
        let time = tm.time();
        if let Some(Ok(series)) = Series::of_template(&task, time.tz) {
            text.push_str(&format!("It repeats {}.\n", series.describe()));
            if let Some(next) = spawned_words(&spawned, &time) {
                text.push_str(&format!("Next: {next}.\n"));
            }
        }
        ctx.print(&text)
    }
}
