//! `tme show`: everything about one task, with its history.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use super::render::tasks_json;
use super::select::{Ask, select};
use crate::domain::{Op, RecurrenceLink, TaskId, changed_fields};
use crate::domain::{ago, relative_due};
use crate::engine::{TaskManager, TaskView};

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

fn title_of(tm: &TaskManager, id: TaskId) -> String {
    tm.task(id)
        .map(|t| format!("{id} {} [{}]", t.title, t.status))
        .unwrap_or_else(|_| format!("{id} (missing)"))
}

fn field(out: &mut String, name: &str, value: impl AsRef<str>) {
    let value = value.as_ref();
    if !value.is_empty() {
        out.push_str(&format!("  {name:<12} {value}\n"));
    }
}

fn details(ctx: &Ctx, view: &TaskView) -> Result<String, CliError> {
    let tm = ctx.engine()?;
    let time = tm.time();
    let task = &view.task;
    let mut out = format!("Task {}: {}\n", task.id, task.title);
    let mut status = view.status.to_string();
    if view.blocked {
        status.push_str(", blocked");
    }
    if view.blocking {
        status.push_str(", blocking");
    }
    field(&mut out, "Status", status);
    field(
        &mut out,
        "Category",
        task.category
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    field(
        &mut out,
        "Tags",
        task.tags
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
    );
    field(
        &mut out,
        "Priority",
        task.priority.map(|p| p.letter()).unwrap_or_default(),
    );
    for (name, value) in [
        ("Due", task.due),
        ("Scheduled", task.scheduled),
        ("Wait", task.wait),
        ("Until", task.until),
    ] {
        if let Some(when) = value {
            let relative = if name == "Due" {
                format!(" ({})", relative_due(when, &time).0)
            } else {
                String::new()
            };
            field(
                &mut out,
                name,
                format!("{}{relative}", when.display(time.tz)),
            );
        }
    }
    if let Some(estimate) = task.estimate {
        field(&mut out, "Estimate", estimate.to_string());
    }
    let spent = task.spent_at(time.now);
    if spent.as_secs() > 0 || task.tracking_since.is_some() {
        let running = if task.tracking_since.is_some() {
            " (tracking now)"
        } else {
            ""
        };
        field(&mut out, "Spent", format!("{spent}{running}"));
    }
    match &task.recurrence {
        Some(RecurrenceLink::Template { rule }) => {
            field(&mut out, "Recurrence", format!("every {rule}"))
        }
        Some(RecurrenceLink::Instance {
            template,
            occurrence,
        }) => field(
            &mut out,
            "Recurrence",
            format!(
                "instance of {} for {}",
                template,
                occurrence.with_timezone(&time.tz).format("%Y-%m-%d %H:%M")
            ),
        ),
        None => {}
    }
    for dep in &task.depends {
        field(
            &mut out,
            &format!("Depends ({})", dep.kind.as_str()),
            title_of(tm, dep.on),
        );
    }
    if let Some(parent) = task.parent {
        field(&mut out, "Parent", title_of(tm, parent));
    }
    if let Some(kind) = &task.task_type {
        field(&mut out, "Type", kind);
    }
    let local = |at: chrono::DateTime<chrono::Utc>| {
        format!(
            "{} ({})",
            at.with_timezone(&time.tz).format("%Y-%m-%d %H:%M"),
            ago(at, &time)
        )
    };
    field(&mut out, "Created", local(task.created));
    field(&mut out, "Modified", local(task.modified));
    if let Some(at) = task.started {
        field(&mut out, "Started", local(at));
    }
    if let Some(at) = task.completed {
        field(
            &mut out,
            if task.status == crate::domain::Status::Deleted {
                "Deleted"
            } else {
                "Completed"
            },
            local(at),
        );
    }
    if view.status.is_open() {
        field(&mut out, "Urgency", format!("{:.2}", view.urgency));
    }
    field(&mut out, "UUID", task.uuid.to_string());
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
    for entry in tm.history(task.id)? {
        let command = tm.command(entry.command)?;
        let who = command.as_ref().map(|c| c.actor.as_str()).unwrap_or("?");
        let when = entry.at.with_timezone(&time.tz).format("%Y-%m-%d %H:%M");
        out.push_str(&format!("  {when}  {:<8} {who}\n", entry.op.as_str()));
        if let (Some(before), Some(after), true) =
            (&entry.before, &entry.after, entry.op != Op::Add)
        {
            for change in changed_fields(before, after, time.tz) {
                if change.field == "annotations" {
                    continue;
                }
                let shown = |v: &str| {
                    if v.is_empty() {
                        "(none)".to_string()
                    } else {
                        v.replace('\n', " ")
                    }
                };
                out.push_str(&format!(
                    "      {}: {} → {}\n",
                    change.field,
                    shown(&change.before),
                    shown(&change.after)
                ));
            }
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
            let text = serde_json::to_string_pretty(&object)
                .map_err(|e| CliError::Runtime(e.to_string()))?;
            return ctx.print(&format!("{text}\n"));
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
