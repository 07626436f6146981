//! Running one change on each selected task, as one command.

use super::context::Ctx;
use super::error::CliError;
use crate::domain::{Task, TaskId};
use crate::engine::{EngineError, Session, TaskView, spawned_words};

/// Applies `change` to every task in `views` in one transaction (all or nothing, undone as
/// one), then reports each task as `"{done} task 3 'Title'."`.
pub fn act_on(
    ctx: &Ctx,
    views: &[TaskView],
    done: &str,
    change: impl Fn(&mut Session<'_>, TaskId) -> Result<Task, EngineError>,
) -> Result<Vec<Task>, CliError> {
    let ids: Vec<TaskId> = views.iter().map(|v| v.task.id).collect();
    let tm = ctx.engine()?;
    let applied = tm.change_each(&ctx.summary, &ids, change)?;
    let mut text = String::new();
    for task in &applied.tasks {
        text.push_str(&format!("{done} task {} '{}'.\n", task.id, task.title));
    }
    if let Some(next) = spawned_words(&applied.spawned, &tm.time()) {
        text.push_str(&format!("Next: {next}.\n"));
    }
    for task in &applied.unblocked {
        text.push_str(&format!(
            "Task {} '{}' can start now.\n",
            task.id, task.title
        ));
    }
    ctx.print(&text)?;
    Ok(applied.tasks)
}
