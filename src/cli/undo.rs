//! `tme undo`.

use super::context::Ctx;
use super::error::CliError;
use super::render::count;

/// Runs `tme undo`: reverts the last command, however many tasks it touched.
pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let report = ctx.engine()?.undo()?;
    let ids: Vec<String> = report.tasks.iter().map(ToString::to_string).collect();
    ctx.print(&format!(
        "Undid: {} ({}: {}).\n",
        report.command.summary,
        count(report.tasks.len(), "task"),
        ids.join(", ")
    ))
}
