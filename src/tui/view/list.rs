//! The task table. Only the rows on screen are built, so its cost does not depend on how many
//! tasks there are.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use crate::domain::{Nearness, Priority, RecurrenceLink, Status, fit, relative_due};
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

/// The width of the due column ("10005y overdue" is the longest it says in practice).
const DUE_WIDTH: usize = 11;

/// A task's tags as the list shows them: `+lab +next`.
fn tags_text(task: &crate::domain::Task) -> String {
    task.tags
        .iter()
        .map(|t| format!("+{t}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The widths of the columns that share the room.
#[derive(Debug, PartialEq, Eq)]
struct Columns {
    title: usize,
    category: usize,
    tags: usize,
}

/// Shares `room` columns between the title, the category and the tags by what they hold: the
/// title keeps up to half the room (at least 24, or its whole width when that is less), the
/// category and the tags get theirs from what is left (cut, with `…`, when it does not reach;
/// left out when fewer than 4 columns are left), and the title takes the rest, so wide screens
/// show whole tags and titles.
fn share(room: usize, title: usize, category: usize, tags: usize) -> Columns {
    let title_first = title.min((room / 2).max(24)).min(room);
    let mut left = room - title_first;
    let mut take = |need: usize| {
        let got = need.min(left);
        if got < 4.min(need) {
            return 0;
        }
        left -= got;
        got
    };
    let category = take(category);
    let tags = take(tags);
    Columns {
        title: title_first + left,
        category,
        tags,
    }
}

/// Columns a wide screen adds once the title, category and tags have all they need: how old
/// a task is, its estimate and its scheduled date (these two only when a task on screen has
/// one), as Taskwarrior's `next` report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extra {
    Age,
    Estimate,
    Scheduled,
}

impl Extra {
    const ALL: [Extra; 3] = [Extra::Age, Extra::Estimate, Extra::Scheduled];

    fn heading(self) -> &'static str {
        match self {
            Extra::Age => "Age",
            Extra::Estimate => "Est",
            Extra::Scheduled => "Scheduled",
        }
    }

    fn width(self) -> usize {
        match self {
            Extra::Age => 4,
            Extra::Estimate => 6,
            Extra::Scheduled => DUE_WIDTH,
        }
    }

    /// Whether any of `views` has something for the column.
    fn wanted<'a>(self, mut views: impl Iterator<Item = &'a TaskView>) -> bool {
        match self {
            Extra::Age => true,
            Extra::Estimate => views.any(|v| v.task.estimate.is_some()),
            Extra::Scheduled => views.any(|v| v.task.scheduled.is_some()),
        }
    }

    fn cell(self, view: &TaskView, model: &Model) -> Cell<'static> {
        let task = &view.task;
        Cell::from(match self {
            Extra::Age => crate::domain::age(task.created, &model.time),
            Extra::Estimate => task.estimate.map(|e| e.to_string()).unwrap_or_default(),
            Extra::Scheduled => task
                .scheduled
                .map(|s| relative_due(s, &model.time).0)
                .unwrap_or_default(),
        })
    }
}

/// The extra columns that fit in `spare` columns (each with a space before it), in order.
fn extras_that_fit<'a>(
    mut spare: usize,
    views: impl Iterator<Item = &'a TaskView> + Clone,
) -> Vec<Extra> {
    let mut shown = Vec::new();
    for extra in Extra::ALL {
        if extra.wanted(views.clone()) && spare > extra.width() {
            spare -= extra.width() + 1;
            shown.push(extra);
        }
    }
    shown
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
    let mut id_width = 2;
    let (mut title_need, mut category_need, mut tags_need) = (5usize, 0usize, 0usize);
    for row in visible {
        if let data::Row::Task(i) = row {
            let view = &model.data.views[*i];
            let task = &view.task;
            id_width = id_width.max(task.id.to_string().len());
            let progress = view.progress.map_or(0, |p| format!(" [{p}]").width());
            title_need = title_need.max(task.title.width() + progress);
            category_need =
                category_need.max(task.category.as_ref().map_or(0, |c| c.as_str().width()));
            tags_need = tags_need.max(tags_text(task).width());
        }
    }
    // Marker, id, priority, state, due and urgency take what they need; the title, the
    // category and the tags share the rest by what they hold.
    let fixed = 1 + id_width + 1 + 1 + DUE_WIDTH + 5 + 8;
    let room = usize::from(area.width).saturating_sub(fixed);
    // A column shown is at least as wide as its heading.
    let heading = |need: usize, name: &str| if need > 0 { need.max(name.width()) } else { 0 };
    let Columns {
        title: mut title_width,
        category: category_width,
        tags: tags_width,
    } = share(
        room,
        title_need,
        heading(category_need, "Category"),
        heading(tags_need, "Tags"),
    );
    let on_screen = visible.iter().filter_map(|row| match row {
        data::Row::Task(i) => model.data.views.get(*i),
        _ => None,
    });
    let extras = extras_that_fit(title_width.saturating_sub(title_need), on_screen);
    title_width -= extras.iter().map(|e| e.width() + 1).sum::<usize>();
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
                    let mut cells = vec![
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
                        Cell::from(match model.data.conflicted.contains(&task.id) {
                            true => Span::styled("≠", theme.overdue),
                            false => marker(view, theme),
                        }),
                        Cell::from(Line::from(match view.progress {
                            Some(progress) => {
                                let progress = format!(" [{progress}]");
                                let room = title_width.saturating_sub(progress.width());
                                vec![
                                    Span::styled(fit(&task.title, room), title_style),
                                    Span::styled(progress, theme.accent),
                                ]
                            }
                            None => vec![Span::styled(fit(&task.title, title_width), title_style)],
                        })),
                        Cell::from(fit(
                            task.category.as_ref().map_or("", |c| c.as_str()),
                            category_width,
                        )),
                        Cell::from(fit(&tags_text(task), tags_width)),
                    ];
                    cells.extend(extras.iter().map(|e| e.cell(view, model)));
                    cells.push(due_cell(view, model));
                    cells.push(Cell::from(if view.status.is_work() {
                        format!("{:5.1}", view.urgency)
                    } else {
                        String::new()
                    }));
                    let mut row = Row::new(cells);
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
    let length = |w: usize| Constraint::Length(u16::try_from(w).unwrap_or(0));
    let mut widths = vec![
        Constraint::Length(1),
        length(id_width),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(u16::try_from(title_width).unwrap_or(10)),
        length(category_width),
        length(tags_width),
    ];
    widths.extend(extras.iter().map(|e| length(e.width())));
    widths.extend([length(DUE_WIDTH), Constraint::Length(5)]);
    let mut headings = vec!["", "ID", "P", "", "Title", "Category", "Tags"];
    headings.extend(extras.iter().map(|e| e.heading()));
    headings.extend(["Due", "  Urg"]);
    let header = Row::new(headings).style(theme.header);
    let table = Table::new(rows, widths).header(header).column_spacing(1);
    frame.render_widget(table, area);
}

#[cfg(test)]
mod tests {
    use super::{Columns, share};

    #[test]
    fn the_title_comes_first_then_category_and_tags_then_the_rest_to_the_title() {
        let columns = |title, category, tags| Columns {
            title,
            category,
            tags,
        };
        // 80 columns: a long title keeps half, the category whole, the tags cut.
        assert_eq!(share(51, 40, 15, 15), columns(25, 15, 11));
        // 200 columns: everything whole, the rest to the title.
        assert_eq!(share(171, 40, 15, 15), columns(141, 15, 15));
        // Too little room for the tags: they are left out, not shown as one letter.
        assert_eq!(share(30, 40, 5, 15), columns(25, 5, 0));
        // No category or tags anywhere: the title has it all.
        assert_eq!(share(51, 40, 0, 0), columns(51, 0, 0));
    }
}
