//! How tasks look on the command line: the task table and JSON.

use super::context::Ctx;
use super::error::CliError;
use super::style::Style;
use super::table::{Align, Cell, Column, render};
use crate::domain::{Nearness, relative_due};
use crate::domain::{Priority, RecurrenceLink, Status};
use crate::engine::TaskView;

const COLUMNS: [Column; 8] = [
    Column {
        header: "ID",
        align: Align::Right,
        flexible: false,
    },
    Column {
        header: "P",
        align: Align::Left,
        flexible: false,
    },
    Column {
        header: "Title",
        align: Align::Left,
        flexible: true,
    },
    Column {
        header: "Status",
        align: Align::Left,
        flexible: false,
    },
    Column {
        header: "Category",
        align: Align::Left,
        flexible: true,
    },
    Column {
        header: "Tags",
        align: Align::Left,
        flexible: true,
    },
    Column {
        header: "Due",
        align: Align::Left,
        flexible: false,
    },
    Column {
        header: "Urg",
        align: Align::Right,
        flexible: false,
    },
];

fn status_text(view: &TaskView) -> (String, Option<Style>) {
    let recurring = matches!(view.task.recurrence, Some(RecurrenceLink::Instance { .. }));
    let word = match view.status {
        Status::Recurring => Some(("series", Some(Style::Dim))),
        Status::Started => Some(("started", Some(Style::Started))),
        Status::Waiting => Some(("waiting", Some(Style::Dim))),
        Status::Completed => Some(("done", Some(Style::Dim))),
        Status::Deleted => Some(("deleted", Some(Style::Dim))),
        Status::Pending if view.blocked => Some(("blocked", Some(Style::Dim))),
        Status::Pending => None,
    };
    match (word, recurring) {
        (Some((w, style)), true) => (format!("{w}, recurring"), style),
        (Some((w, style)), false) => (w.to_string(), style),
        (None, true) => ("recurring".to_string(), None),
        (None, false) => (String::new(), None),
    }
}

/// The task table: id, priority, title, status, category, tags, relative due date, urgency.
pub fn task_table(ctx: &Ctx, views: &[TaskView]) -> String {
    let time = ctx.time();
    let rows: Vec<Vec<Cell>> = views
        .iter()
        .map(|view| {
            let task = &view.task;
            let (due, nearness) = task.due.map(|d| relative_due(d, &time)).unzip();
            let due_style = match (view.status.is_open(), nearness) {
                (true, Some(Nearness::Overdue)) => Some(Style::Overdue),
                (true, Some(Nearness::Today)) => Some(Style::Today),
                (true, Some(Nearness::Soon)) => Some(Style::Soon),
                _ => None,
            };
            let (status, status_style) = status_text(view);
            let title_style = match view.status {
                Status::Started => Some(Style::Started),
                Status::Completed | Status::Deleted | Status::Waiting => Some(Style::Dim),
                _ if view.blocked => Some(Style::Dim),
                _ => None,
            };
            vec![
                Cell::new(task.id.to_string()),
                Cell::styled(
                    task.priority.map(|p| p.letter()).unwrap_or_default(),
                    (task.priority == Some(Priority::High)).then_some(Style::High),
                ),
                Cell::styled(
                    match view.progress {
                        Some(progress) => format!("{} [{progress}]", task.title),
                        None => task.title.clone(),
                    },
                    title_style,
                ),
                Cell::styled(status, status_style),
                Cell::new(
                    task.category
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                ),
                Cell::new(
                    task.tags
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                Cell::styled(due.unwrap_or_default(), due_style),
                Cell::new(if view.status.is_work() {
                    format!("{:.1}", view.urgency)
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    render(&COLUMNS, &rows, ctx.width, ctx.color)
}

/// Tasks as TME JSON: one array.
pub fn tasks_json(ctx: &Ctx, views: &[TaskView]) -> Result<String, CliError> {
    let tm = ctx.engine()?;
    let uuids = tm.uuids(views.iter().flat_map(|v| v.task.linked()))?;
    let time = tm.time();
    crate::interop::format::json_text(views, &|id| uuids.get(&id).copied(), time.now, time.tz)
        .map_err(CliError::Runtime)
}

/// "1 task", "3 tasks".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
