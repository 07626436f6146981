//! `tme modify`.

use clap::Args;

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, select};
use crate::domain::capture::tokens_from_args;
use crate::domain::types::shared_type;
use crate::domain::{RecurrenceLink, Series, TaskId};
use crate::engine::TaskView;

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
    /// For an instance of a recurring task: change only that instance.
    #[arg(long, conflicts_with = "future")]
    this: bool,
    /// For an instance of a recurring task: change it and the rest of its series (the
    /// template and its pending instances; new dates restart the series from this one).
    #[arg(long)]
    future: bool,
}

/// Whether changes to recurring instances go to the whole series from them on.
fn series_wide(args: &ModifyArgs, ctx: &Ctx, views: &[TaskView]) -> Result<bool, CliError> {
    let instances: Vec<(TaskId, TaskId)> = views
        .iter()
        .filter_map(|v| v.task.template().map(|template| (v.task.id, template)))
        .collect();
    if args.this || args.future || instances.is_empty() {
        return Ok(args.future);
    }
    let (subject, it) = match instances.as_slice() {
        [(id, template)] => (
            format!("task {id} is one instance of recurring task {template}"),
            "it",
        ),
        many => (
            format!(
                "{} of these tasks are instances of recurring tasks",
                many.len()
            ),
            "them",
        ),
    };
    if !ctx.interactive {
        return Err(CliError::Input(format!(
            "{subject}; add --this to change only {it}, or --future to change {it} and the rest of the series"
        )));
    }
    loop {
        let answer = ctx.ask(&format!(
            "{}{}. Change [t]his one only, or this and the [f]uture ones? [t/f]",
            subject[..1].to_uppercase(),
            &subject[1..]
        ))?;
        match answer.as_str() {
            "t" | "this" => return Ok(false),
            "f" | "future" => return Ok(true),
            "" | "q" | "n" | "no" => {
                return Err(CliError::Input("nothing changed".into()));
            }
            _ => {}
        }
    }
}

impl ModifyArgs {
    /// Says how each changed series now repeats.
    fn report_series(&self, ctx: &Ctx, views: &[TaskView]) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        let mut templates: Vec<TaskId> = views.iter().filter_map(|v| v.task.template()).collect();
        templates.sort();
        templates.dedup();
        let mut text = String::new();
        for id in templates {
            let template = tm.task(id)?;
            if let Some(Ok(series)) = Series::of_template(&template, tm.time().tz) {
                text.push_str(&format!(
                    "Recurring task {id} now repeats {}.\n",
                    series.describe()
                ));
            }
        }
        ctx.print(&text)
    }

    /// Runs `tme modify`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tokens = tokens_from_args(&self.changes);
        let nothing =
            || CliError::Input("say what to change, e.g. `tme modify 12 due:fri +urgent`".into());
        if tokens.is_empty() {
            return Err(nothing());
        }
        let views = select(
            ctx,
            std::slice::from_ref(&self.tasks),
            "modify",
            self.yes,
            Ask::IfSeveral,
        )?;
        // Attributes are read for the type the tasks share (or the one the text names).
        let shared = shared_type(views.iter().map(|v| &*v.task));
        let changes = ctx
            .config
            .types
            .value
            .parse_changes(&tokens, shared, &ctx.time())?;
        if changes.is_empty() {
            return Err(nothing());
        }
        let future = series_wide(&self, ctx, &views)?;
        act_on(ctx, &views, "Modified", |s, id| {
            let instance = matches!(
                s.task(id)?.recurrence,
                Some(RecurrenceLink::Instance { .. })
            );
            if future && instance {
                s.update_series_from(id, &changes)
            } else {
                s.update(id, &changes)
            }
        })?;
        if future {
            self.report_series(ctx, &views)?;
        }
        Ok(())
    }
}
