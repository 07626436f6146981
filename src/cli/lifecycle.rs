//! `tme done`, `tme delete`, `tme start` and `tme stop`: status changes on selected tasks.

use super::act::act_on;
use super::context::Ctx;
use super::error::CliError;
use super::select::{Ask, Selection};

/// Runs `tme done`.
pub fn done(selection: Selection, ctx: &Ctx) -> Result<(), CliError> {
    let views = selection.pick(ctx, "complete", Ask::IfSeveral)?;
    act_on(ctx, &views, "Completed", |s, id| s.complete(id))?;
    Ok(())
}

/// Runs `tme delete`, asking first on a terminal.
pub fn delete(selection: Selection, ctx: &Ctx) -> Result<(), CliError> {
    let views = selection.pick(ctx, "delete", Ask::Always)?;
    act_on(ctx, &views, "Deleted", |s, id| s.delete(id))?;
    Ok(())
}

/// Runs `tme start`.
pub fn start(selection: Selection, ctx: &Ctx) -> Result<(), CliError> {
    let views = selection.pick(ctx, "start", Ask::IfSeveral)?;
    act_on(ctx, &views, "Started", |s, id| s.start(id))?;
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
