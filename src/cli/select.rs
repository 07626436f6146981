//! Turning `ID...` or a filter into the tasks a command acts on, asking first when it is not
//! obvious which tasks are meant.

use super::context::Ctx;
use super::error::CliError;
use crate::domain::capture::tokens_from_args;
use crate::domain::{Filter, TaskId, capitalized};
use crate::engine::TaskView;

/// The tasks a command acts on, as given on the command line.
#[derive(Debug, clap::Args)]
pub struct Selection {
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

impl Selection {
    /// The tasks meant, asking first as `ask` says (see [`select`]).
    pub fn pick(&self, ctx: &Ctx, verb: &str, ask: Ask) -> Result<Vec<TaskView>, CliError> {
        select(ctx, &self.tasks, verb, self.yes, ask)
    }
}

/// One task id as typed: `12`.
pub fn task_id(text: &str) -> Result<TaskId, CliError> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(TaskId)
        .ok_or_else(|| {
            CliError::Input(format!(
                "'{text}' is not a task id (ids are numbers like 12)"
            ))
        })
}

/// When to ask before acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Only when a filter matched several tasks.
    IfSeveral,
    /// Always, when there is a terminal to ask on (deleting).
    Always,
}

/// The tasks `args` name: ids (`3 4`, `3-5`) or a filter (`"Pay bills"`, `#Shopping +errand`).
///
/// Named ids must all exist. A filter must match something; if it matches several tasks the
/// user is asked (or must pass `--yes` when there is no terminal).
pub fn select(
    ctx: &Ctx,
    args: &[String],
    verb: &str,
    yes: bool,
    ask: Ask,
) -> Result<Vec<TaskView>, CliError> {
    let usage = || {
        CliError::Input(format!(
            "say which tasks: give ids or a filter, e.g. `tme {verb} 12` or `tme {verb} #Shopping`"
        ))
    };
    if args.iter().all(|a| a.trim().is_empty()) {
        return Err(usage());
    }
    let filter = ctx
        .config
        .types
        .value
        .parse_filter(&tokens_from_args(args), &ctx.time())?;
    let only_ids = !filter.ids.is_empty()
        && Filter {
            ids: Vec::new(),
            ..filter.clone()
        }
        .is_everything();
    if filter.is_everything() && filter.ids.is_empty() {
        return Err(usage());
    }
    let tm = ctx.engine()?;
    let views = if only_ids {
        filter
            .ids
            .iter()
            .map(|id| tm.view(*id))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        tm.query(&filter)?
    };
    if views.is_empty() {
        return Err(CliError::Input(format!(
            "no task matches '{}'",
            args.join(" ")
        )));
    }
    let several = !only_ids && views.len() > 1;
    if yes || !(several || ask == Ask::Always) {
        return Ok(views);
    }
    if !ctx.interactive {
        if several {
            return Err(CliError::Input(format!(
                "{} tasks match '{}'; add --yes to {verb} all of them, or give ids",
                views.len(),
                args.join(" ")
            )));
        }
        return Ok(views);
    }
    let verb_title = capitalized(verb);
    let question = match views.as_slice() {
        [one] => format!("{verb_title} task {} '{}'?", one.task.id, one.task.title),
        many => {
            let listing: String = many
                .iter()
                .map(|v| format!("  {:>5} {}\n", v.task.id, v.task.title))
                .collect();
            eprint!("{listing}");
            format!("{verb_title} these {} tasks?", many.len())
        }
    };
    if ctx.confirm(&question)? {
        Ok(views)
    } else {
        Err(CliError::Cancelled)
    }
}
