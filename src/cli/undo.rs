//! `tme undo`.

use super::context::Ctx;
use super::error::CliError;
use super::render::count;

/// Runs `tme undo`: reverts the last command, however many tasks it touched.
pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let report = ctx.engine()?.undo()?;
    // The first few ids name the tasks; an import of thousands is not listed whole.
    const NAMED: usize = 10;
    let mut ids: Vec<String> = report
        .tasks
        .iter()
        .take(NAMED)
        .map(ToString::to_string)
        .collect();
    if report.tasks.len() > NAMED {
        ids.push(format!("and {} more", report.tasks.len() - NAMED));
    }
    ctx.print(&format!(
        "Undid: {} ({}: {}).\n",
        report.command.summary,
        count(report.tasks.len(), "task"),
        ids.join(", ")
    ))
}
