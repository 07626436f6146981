//! The detail pane: everything about the selected task, with its history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::engine::{Fact, TaskView, facts, link_name};
use crate::tui::model::Model;
use crate::tui::theme::Theme;

fn fact_line(fact: &Fact, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{:<12} ", fact.label), theme.dim),
        Span::raw(fact.value.clone()),
    ])
}

/// The pane's lines for one task.
pub fn detail_lines(model: &Model, view: &TaskView) -> Vec<Line<'static>> {
    let task = &view.task;
    let time = &model.time;
    let theme = &model.theme;
    let extra = match &model.detail.extra {
        Some((id, details)) if *id == task.id => Some(details),
        _ => None,
    };
    // Open tasks are in the list; closed ones come with the details from the worker (until
    // they do, the id stands alone rather than being called missing).
    let title_of = |id| {
        model.view_by_id(id).map(link_name).or_else(|| match extra {
            Some(d) => d
                .links
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.clone()),
            None => Some(String::new()),
        })
    };
    let mut lines = vec![
        Line::styled(task.title.clone(), theme.accent),
        Line::raw(""),
    ];
    for fact in facts(view, time, &title_of)
        .into_iter()
        .filter(|f| f.label != "UUID")
    {
        lines.push(fact_line(&fact, theme));
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
    if let Some(details) = extra.filter(|d| !d.series.is_empty()) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Series", theme.accent));
        lines.extend(details.series.iter().map(|fact| fact_line(fact, theme)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("History", theme.accent));
    match extra {
        Some(details) => {
            lines.extend(
                details
                    .history
                    .iter()
                    .map(|l| Line::styled(l.clone(), theme.dim)),
            );
        }
        None => lines.push(Line::styled("…", theme.dim)),
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
