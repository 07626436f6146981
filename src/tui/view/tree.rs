//! The dependency tree: goals, then what each waits on (subtasks and prerequisites), with
//! fold marks, status marks, link kinds, blockers and the critical path of the selected task's
//! category. Only the lines on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::tree::path_to;
use crate::domain::{OtherState, Status, Step, holds_back};
use crate::engine::status_mark;
use crate::tui::model::Model;

/// Draws the breadcrumb and the visible lines of the tree.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    if model.tree.lines.is_empty() {
        let text = if model.loading {
            "Loading…"
        } else if model.filter.text.is_empty() {
            "No open tasks. Press a to add one; o adds a subtask, p a dependency."
        } else {
            "No task matches the filter. Press / to change it, Esc to clear it."
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {text}"), theme.dim)),
            area,
        );
        return;
    }
    let mut lines = vec![breadcrumb(model, usize::from(area.width))];
    let height = usize::from(area.height.saturating_sub(1));
    let end = (model.offset + height).min(model.tree.lines.len());
    for at in model.offset.min(end)..end {
        lines.push(tree_line(model, at));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Where the selected line sits: `Release 1.0 › Fix crash › Reproduce crash`, cut from the
/// left when it does not fit.
fn breadcrumb(model: &Model, width: usize) -> Line<'static> {
    let theme = &model.theme;
    let names: Vec<String> = path_to(&model.tree.lines, model.selected)
        .iter()
        .filter_map(|id| model.view_by_id(*id))
        .map(|v| v.task.title.clone())
        .collect();
    let mut text = names.join(" › ");
    let room = width.saturating_sub(2);
    if text.chars().count() > room {
        let skip = text.chars().count() - room + 1;
        text = format!("…{}", text.chars().skip(skip).collect::<String>());
    }
    Line::styled(format!(" {text}"), theme.header)
}

fn tree_line(model: &Model, at: usize) -> Line<'static> {
    let theme = &model.theme;
    let line = &model.tree.lines[at];
    let Some(view) = model.view_by_id(line.id) else {
        return Line::raw("");
    };
    let task = &view.task;
    let critical = model.tree.critical.contains(&task.id);
    let marked = model.marked.contains(&task.id);
    let fold = match (line.has_children, line.expanded, line.repeat) {
        (true, _, true) => "↑ ",
        (true, true, false) => "▾ ",
        (true, false, false) => "▸ ",
        (false, _, _) => "",
    };
    let title_style = match view.status {
        Status::Started => theme.started,
        Status::Waiting => theme.dim,
        _ if view.blocked => theme.dim,
        _ if critical => theme.accent,
        _ => Style::default(),
    };
    let mark_style = match view.status {
        Status::Started => theme.started,
        _ if view.blocked => theme.dim,
        _ => theme.accent,
    };
    let mut spans = vec![
        Span::styled(if marked { "*" } else { " " }, theme.marked),
        Span::styled(if critical { "◆" } else { " " }, theme.accent),
        Span::styled(line.guides.clone(), theme.border),
        Span::styled(fold, theme.dim),
        Span::styled(status_mark(view), mark_style),
        Span::raw(" "),
        Span::styled(format!("{} ", task.id), theme.dim),
        Span::styled(task.title.clone(), title_style),
    ];
    if let Some(progress) = view.progress {
        spans.push(Span::styled(format!(" [{progress}]"), theme.accent));
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(link) = line.link {
        notes.push(link.label().to_string());
    }
    if line.repeat {
        notes.push("shown above".into());
    }
    let blockers: Vec<String> = task
        .depends
        .iter()
        .filter(|d| {
            model
                .view_by_id(d.on)
                .is_some_and(|o| holds_back(d.kind, Step::Start, OtherState::of(&o.task)))
        })
        .map(|d| d.on.to_string())
        .collect();
    if !blockers.is_empty() {
        notes.push(format!("waits on {}", blockers.join(", ")));
    }
    if !notes.is_empty() {
        spans.push(Span::styled(format!("  {}", notes.join(" · ")), theme.dim));
    }
    let mut out = Line::from(spans);
    if marked {
        out = out.style(theme.marked);
    }
    if at == model.selected {
        out = out.style(theme.selection);
    }
    out
}
