//! The detail pane: everything about the selected task, with its history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::domain::{RecurrenceLink, Status, ago, relative_due};
use crate::engine::TaskView;
use crate::tui::model::Model;

fn field(lines: &mut Vec<Line<'static>>, model: &Model, name: &str, value: String) {
    if !value.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(format!("{name:<10} "), model.theme.dim),
            Span::raw(value),
        ]));
    }
}

/// The pane's lines for one task.
pub fn detail_lines(model: &Model, view: &TaskView) -> Vec<Line<'static>> {
    let task = &view.task;
    let time = &model.time;
    let theme = &model.theme;
    let mut lines = vec![
        Line::styled(task.title.clone(), theme.accent),
        Line::raw(""),
    ];
    let mut status = view.status.to_string();
    if view.blocked {
        status.push_str(", blocked");
    }
    if view.blocking {
        status.push_str(", blocking");
    }
    field(&mut lines, model, "Status", status);
    field(
        &mut lines,
        model,
        "Category",
        task.category
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    field(
        &mut lines,
        model,
        "Tags",
        task.tags
            .iter()
            .map(|t| format!("+{t}"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    field(
        &mut lines,
        model,
        "Priority",
        task.priority
            .map(|p| p.letter().to_string())
            .unwrap_or_default(),
    );
    if let Some(due) = task.due {
        field(
            &mut lines,
            model,
            "Due",
            format!("{} ({})", due.display(time.tz), relative_due(due, time).0),
        );
    }
    for (name, value) in [
        ("Scheduled", task.scheduled),
        ("Wait", task.wait),
        ("Until", task.until),
    ] {
        if let Some(when) = value {
            field(&mut lines, model, name, when.display(time.tz));
        }
    }
    match &task.recurrence {
        Some(RecurrenceLink::Template { rule }) => {
            field(&mut lines, model, "Every", rule.to_string())
        }
        Some(RecurrenceLink::Instance { template, .. }) => field(
            &mut lines,
            model,
            "Series",
            format!("instance of {template}"),
        ),
        None => {}
    }
    if let Some(estimate) = task.estimate {
        field(&mut lines, model, "Estimate", estimate.to_string());
    }
    let spent = task.spent_at(time.now);
    if spent.as_secs() > 0 {
        field(&mut lines, model, "Spent", spent.to_string());
    }
    for dep in &task.depends {
        let target = model
            .view_by_id(dep.on)
            .map(|v| format!("{} {} [{}]", dep.on, v.task.title, v.status))
            .unwrap_or_else(|| format!("{} (not open)", dep.on));
        field(
            &mut lines,
            model,
            &format!("Needs {}", dep.kind.as_str()),
            target,
        );
    }
    if let Some(parent) = task.parent {
        let title = model
            .view_by_id(parent)
            .map(|v| v.task.title.clone())
            .unwrap_or_default();
        field(&mut lines, model, "Parent", format!("{parent} {title}"));
    }
    if view.status.is_open() {
        field(&mut lines, model, "Urgency", format!("{:.2}", view.urgency));
    }
    field(
        &mut lines,
        model,
        "Created",
        format!(
            "{} ({})",
            task.created
                .with_timezone(&time.tz)
                .format("%Y-%m-%d %H:%M"),
            ago(task.created, time)
        ),
    );
    if let Some(at) = task.completed {
        let name = if task.status == Status::Deleted {
            "Deleted"
        } else {
            "Completed"
        };
        field(
            &mut lines,
            model,
            name,
            at.with_timezone(&time.tz)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        );
    }
    if !task.description.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(task.description.lines().map(|l| Line::raw(l.to_string())));
    }
    if !task.annotations.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Notes", theme.accent));
        for note in &task.annotations {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} ", note.at.with_timezone(&time.tz).format("%m-%d %H:%M")),
                    theme.dim,
                ),
                Span::raw(note.text.clone()),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("History", theme.accent));
    match &model.detail.history {
        Some((id, history)) if *id == task.id => {
            lines.extend(history.iter().map(|l| Line::styled(l.clone(), theme.dim)));
        }
        _ => lines.push(Line::styled("…", theme.dim)),
    }
    lines
}

/// Draws the pane for the selected task.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let (title, lines) = match model.selected_view() {
        Some(view) => (
            format!(" Task {} ", view.task.id),
            detail_lines(model, view),
        ),
        None => (
            " Details ".to_string(),
            vec![Line::styled("No task selected.", theme.dim)],
        ),
    };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(title, theme.accent));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((model.detail.scroll, 0));
    frame.render_widget(paragraph, area);
}
