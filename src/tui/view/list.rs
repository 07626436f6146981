//! The task table. Only the rows on screen are built, so its cost does not depend on how many
//! tasks there are.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use crate::domain::{Nearness, Priority, RecurrenceLink, Status, relative_due};
use crate::engine::TaskView;
use crate::tui::data;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// One character saying what state a task is in.
fn marker(view: &TaskView, theme: &Theme) -> Span<'static> {
    let (symbol, style) = match view.status {
        Status::Started => ("▶", theme.started),
        Status::Waiting => ("…", theme.dim),
        Status::Completed => ("✓", theme.dim),
        Status::Deleted => ("✗", theme.dim),
        Status::Recurring => ("⟳", theme.dim),
        Status::Pending if view.blocked => ("⊘", theme.dim),
        Status::Pending
            if matches!(view.task.recurrence, Some(RecurrenceLink::Instance { .. })) =>
        {
            ("↻", theme.accent)
        }
        Status::Pending => (" ", Style::default()),
    };
    Span::styled(symbol, style)
}

fn due_cell(view: &TaskView, model: &Model) -> Cell<'static> {
    let Some(due) = view.task.due else {
        return Cell::from("");
    };
    let (text, nearness) = relative_due(due, &model.time);
    let style = match (view.status.is_open(), nearness) {
        (true, Nearness::Overdue) => model.theme.overdue,
        (true, Nearness::Today) => model.theme.today,
        (true, Nearness::Soon) => model.theme.soon,
        _ => Style::default(),
    };
    Cell::from(Span::styled(text, style))
}

/// The first screen of an empty database: what TME is and the five keys that matter, from
/// the live key map.
fn welcome(model: &Model) -> Vec<Line<'static>> {
    use crate::config::Action;
    let theme = &model.theme;
    let key = |action: Action| model.keymap.key_label(action).unwrap_or_else(|| "?".into());
    let mut lines = vec![
        Line::raw(""),
        Line::styled("  Welcome to TME. No tasks yet.", theme.accent),
        Line::raw(""),
        Line::styled(
            "  Type a task the way you would say it: Pay rent #Finance due:eom every:monthly",
            theme.dim,
        ),
        Line::raw(""),
    ];
    for (action, what) in [
        (
            Action::Add,
            "add a task (a live preview shows what it means)",
        ),
        (Action::Done, "complete the selected task"),
        (Action::Filter, "filter: #Work, +tag, due.before:fri, words"),
        (
            Action::TreeView,
            "the dependency tree; 3 the calendar, 4 the reports",
        ),
        (Action::Help, "every key"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:>5}  ", key(action)), theme.key),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "  Moving in? Quit and run: tme import FILE (Taskwarrior, todo.txt, .ics or TME JSON)",
        theme.dim,
    ));
    lines
}

/// Draws the visible part of the list.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    if model.rows.is_empty() {
        if !model.loading && model.data.views.is_empty() && model.filter.text.is_empty() {
            frame.render_widget(Paragraph::new(welcome(model)), area);
            return;
        }
        let text = if model.loading {
            "Loading…"
        } else {
            "No task matches the filter. Press / to change it, Esc to clear it."
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {text}"), theme.dim)),
            area,
        );
        return;
    }
    let height = usize::from(area.height.saturating_sub(1));
    let end = (model.offset + height).min(model.rows.len());
    let visible = &model.rows[model.offset.min(end)..end];
    let wide = area.width >= 90;
    let mut id_width = 2;
    let (mut category_width, mut tags_width) = (0usize, 0usize);
    for row in visible {
        if let data::Row::Task(i) = row {
            let task = &model.data.views[*i].task;
            id_width = id_width.max(task.id.to_string().len());
            category_width =
                category_width.max(task.category.as_ref().map_or(0, |c| c.as_str().width()));
            tags_width = tags_width.max(
                task.tags
                    .iter()
                    .map(|t| t.as_str().width() + 1)
                    .sum::<usize>(),
            );
        }
    }
    let category_width = if wide && category_width > 0 {
        category_width.clamp(8, 18)
    } else {
        0
    };
    let tags_width = if wide && tags_width > 0 {
        tags_width.clamp(4, 16)
    } else {
        0
    };
    let rows: Vec<Row<'static>> = visible
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let selected = model.offset + k == model.selected;
            match row {
                data::Row::Upcoming(_) => Row::new(Vec::<Cell>::new()),
                data::Row::Group { name, count } => Row::new(vec![
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(Span::styled(format!("{name} ({count})"), theme.accent)),
                ]),
                data::Row::Task(i) => {
                    let view = &model.data.views[*i];
                    let task = &view.task;
                    let marked = model.marked.contains(&task.id);
                    let title_style = match view.status {
                        Status::Started => theme.started,
                        Status::Completed | Status::Deleted | Status::Waiting => theme.dim,
                        _ if view.blocked => theme.dim,
                        _ => Style::default(),
                    };
                    let mut row = Row::new(vec![
                        Cell::from(Span::styled(if marked { "*" } else { " " }, theme.marked)),
                        Cell::from(format!("{:>id_width$}", task.id)),
                        Cell::from(Span::styled(
                            task.priority.map(|p| p.letter()).unwrap_or(" "),
                            if task.priority == Some(Priority::High) {
                                theme.high
                            } else {
                                Style::default()
                            },
                        )),
                        Cell::from(marker(view, theme)),
                        Cell::from(Line::from(match view.progress {
                            Some(progress) => vec![
                                Span::styled(task.title.clone(), title_style),
                                Span::styled(format!(" [{progress}]"), theme.accent),
                            ],
                            None => vec![Span::styled(task.title.clone(), title_style)],
                        })),
                        Cell::from(
                            task.category
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        ),
                        Cell::from(
                            task.tags
                                .iter()
                                .map(|t| format!("+{t}"))
                                .collect::<Vec<_>>()
                                .join(" "),
                        ),
                        due_cell(view, model),
                        Cell::from(if view.status.is_work() {
                            format!("{:5.1}", view.urgency)
                        } else {
                            String::new()
                        }),
                    ]);
                    if marked {
                        row = row.style(theme.marked);
                    }
                    if selected {
                        row = row.style(theme.selection);
                    }
                    row
                }
            }
        })
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Length(u16::try_from(id_width).unwrap_or(6)),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(u16::try_from(category_width).unwrap_or(0)),
        Constraint::Length(u16::try_from(tags_width).unwrap_or(0)),
        Constraint::Length(11),
        Constraint::Length(5),
    ];
    let header = Row::new(vec![
        "", "ID", "P", "", "Title", "Category", "Tags", "Due", "  Urg",
    ])
    .style(theme.header);
    let table = Table::new(rows, widths).header(header).column_spacing(1);
    frame.render_widget(table, area);
}
