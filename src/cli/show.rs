//! `tme show`: everything about one task, with its history.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use super::render::tasks_json;
use super::select::{Ask, select};
use crate::engine::{TaskView, facts, link_name};

/// Shows one task in full: fields, links, notes and history.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The task: an id, or a filter that matches one task.
    #[arg(
        required = true,
        value_name = "ID|FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    task: Vec<String>,
    /// Print a JSON object instead.
    #[arg(long)]
    json: bool,
}

fn details(ctx: &Ctx, view: &TaskView) -> Result<String, CliError> {
    let tm = ctx.engine()?;
    let time = tm.time();
    let task = &view.task;
    let title_of = |id| tm.view(id).ok().map(|v| link_name(&v));
    let mut out = format!("Task {}: {}\n", task.id, task.title);
    for fact in facts(view, &time, &title_of) {
        out.push_str(&format!("  {:<12} {}\n", fact.label, fact.value));
    }
    let series = tm.series_facts(task.id)?;
    if !series.is_empty() {
        out.push_str("\nSeries\n");
        for fact in series {
            out.push_str(&format!("  {:<12} {}\n", fact.label, fact.value));
        }
    }
    if !task.description.is_empty() {
        out.push_str("\nDescription\n");
        for line in task.description.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if !task.annotations.is_empty() {
        out.push_str("\nAnnotations\n");
        for note in &task.annotations {
            out.push_str(&format!(
                "  {}  {}\n",
                note.at.with_timezone(&time.tz).format("%Y-%m-%d %H:%M"),
                note.text
            ));
        }
    }
    out.push_str("\nHistory\n");
    for item in tm.history_items(task.id)? {
        let when = item.at.with_timezone(&time.tz).format("%Y-%m-%d %H:%M");
        out.push_str(&format!(
            "  {when}  {:<8} {}\n",
            item.op.as_str(),
            item.actor
        ));
        for change in item.changes.iter().filter(|c| c.field != "annotations") {
            out.push_str(&format!("      {}\n", change.line()));
        }
    }
    Ok(out)
}

impl ShowArgs {
    /// Runs `tme show`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let views = select(ctx, &self.task, "show", false, Ask::IfSeveral)?;
        if self.json {
            let array = tasks_json(ctx, &views)?;
            // One task: print the object itself rather than a one-element array.
            let value: serde_json::Value =
                serde_json::from_str(&array).map_err(|e| CliError::Runtime(e.to_string()))?;
            let object = match value {
                serde_json::Value::Array(mut items) if items.len() == 1 => items.remove(0),
                other => other,
            };
            return ctx.print_json(&object);
        }
        let mut text = String::new();
        for (i, view) in views.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&details(ctx, view)?);
        }
        ctx.print(&text)
    }
}
