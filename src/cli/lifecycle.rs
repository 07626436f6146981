//! `tme done`, `tme delete`, `tme start` and `tme stop`: status changes on selected tasks.

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, Selection};
use crate::domain::TaskId;
use crate::engine::Completion;

/// `tme done`: which tasks, and how far to push past what holds them back.
#[derive(Debug, clap::Args)]
pub struct DoneArgs {
    #[command(flatten)]
    selection: Selection,
    /// Complete tasks even when a dependency holds them back (a note on the task says so).
    #[arg(long)]
    force: bool,
    /// Complete open subtasks (at any depth) too.
    #[arg(long)]
    with_subtasks: bool,
}

/// `tme start`: which tasks, and whether to start them even when they wait on others.
#[derive(Debug, clap::Args)]
pub struct StartArgs {
    #[command(flatten)]
    selection: Selection,
    /// Start tasks even when a dependency holds them back (a note on the task says so).
    #[arg(long)]
    force: bool,
}

impl DoneArgs {
    /// Runs `tme done`. Completing a task with open subtasks asks on a terminal whether to
    /// complete them too.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = self.selection.pick(ctx, "complete", Ask::IfSeveral)?;
        let tm = ctx.engine()?;
        let mut subtasks: Vec<(TaskId, Vec<TaskId>)> = Vec::new();
        for view in &views {
            let open = tm.open_subtasks(view.task.id)?;
            if !open.is_empty() {
                subtasks.push((view.task.id, open));
            }
        }
        let with_subtasks =
            self.with_subtasks || (!subtasks.is_empty() && ask_subtasks(ctx, &subtasks)?);
        let how = Completion {
            force: self.force,
            with_subtasks,
        };
        let tasks = act_on(ctx, &views, "Completed", |s, id| s.complete_as(id, how))?;
        if with_subtasks {
            let text: String = subtasks
                .iter()
                .filter(|(id, _)| tasks.iter().any(|t| t.id == *id))
                .map(|(id, open)| {
                    format!(
                        "With task {id}: {} subtask(s) completed ({}).\n",
                        open.len(),
                        ids(open)
                    )
                })
                .collect();
            ctx.print(&text)?;
        }
        Ok(())
    }
}

fn ids(ids: &[TaskId]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort();
    sorted
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// On a terminal, asks whether to complete open subtasks too; without one, says nothing and
/// lets the engine refuse (its message names `--with-subtasks`).
fn ask_subtasks(ctx: &Ctx, subtasks: &[(TaskId, Vec<TaskId>)]) -> Result<bool, CliError> {
    if !ctx.interactive {
        return Ok(false);
    }
    let question = match subtasks {
        [(id, open)] => format!(
            "Task {id} has open subtasks ({}). Complete them too?",
            ids(open)
        ),
        many => format!(
            "{} of these tasks have open subtasks. Complete those too?",
            many.len()
        ),
    };
    if ctx.confirm(&question)? {
        Ok(true)
    } else {
        Err(CliError::Cancelled)
    }
}

impl StartArgs {
    /// Runs `tme start`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = self.selection.pick(ctx, "start", Ask::IfSeveral)?;
        let force = self.force;
        act_on(ctx, &views, "Started", |s, id| s.start_as(id, force))?;
        Ok(())
    }
}

/// Runs `tme delete`, asking first on a terminal.
pub fn delete(selection: Selection, ctx: &Ctx) -> Result<(), CliError> {
    let views = selection.pick(ctx, "delete", Ask::Always)?;
    act_on(ctx, &views, "Deleted", |s, id| s.delete(id))?;
    Ok(())
}

/// Runs `tme stop`, then says how much time each task has had.
pub fn stop(selection: Selection, ctx: &Ctx) -> Result<(), CliError> {
    let views = selection.pick(ctx, "stop", Ask::IfSeveral)?;
    let tasks = act_on(ctx, &views, "Stopped", |s, id| s.stop(id))?;
    let text: String = tasks
        .iter()
        .map(|task| format!("Task {} has {} tracked in all.\n", task.id, task.spent))
        .collect();
    ctx.print(&text)
}
