//! The calendar: a month grid with the selected day's tasks beside it, a week with timed tasks
//! placed by hour, or the agenda of the next 14 days.

use chrono::{Datelike, NaiveDate, Timelike};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::domain::calendar::{EntryKind, month_weeks, shift_days};
use crate::domain::fit;
use crate::engine::{Entry, occurrence_word, status_mark, time_span};
use crate::tui::calendar::CalendarMode;
use crate::tui::data::Row;
use crate::tui::model::Model;

/// Draws the calendar in its current mode.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    match model.calendar.mode {
        CalendarMode::Month => month(model, frame, area),
        CalendarMode::Week => week(model, frame, area),
        CalendarMode::Agenda => {
            let day = model.calendar.day(&model.time);
            let title = format!(" Agenda from {} · 14 days", day.format("%a %d %b %Y"));
            rows(model, frame, area, title);
        }
    }
}

fn month(model: &Model, frame: &mut Frame, area: Rect) {
    let side = area.width >= 72;
    let weeks = month_weeks_of(model);
    let (grid_area, list_area) = if side {
        let grid_width = area
            .width
            .saturating_sub((area.width * 3 / 10).max(40))
            .max(36);
        let [g, l] = Layout::horizontal([Constraint::Length(grid_width), Constraint::Min(20)])
            .spacing(1)
            .areas(area);
        (g, l)
    } else {
        let tall = u16::try_from(weeks.len() * 2 + 3).unwrap_or(15);
        let [g, l] = Layout::vertical([Constraint::Length(tall), Constraint::Min(3)]).areas(area);
        (g, l)
    };
    frame.render_widget(
        Paragraph::new(grid_lines(model, grid_area.width, grid_area.height)),
        grid_area,
    );
    let day = model.calendar.day(&model.time);
    rows(model, frame, list_area, day_title(model, day));
}

/// The heading of a day's tasks: the date and how many tasks and series occurrences fall on it.
fn day_title(model: &Model, day: NaiveDate) -> String {
    let (tasks, upcoming) = model.calendar.agenda.counts(day);
    let mut title = format!(" {}", day.format("%a %d %b %Y"));
    if tasks + upcoming > 0 {
        let noun = if tasks == 1 { "task" } else { "tasks" };
        title.push_str(&format!(" · {tasks} {noun}"));
        if upcoming > 0 {
            title.push_str(&format!(
                ", {upcoming} {}",
                occurrence_word(day, model.time.today())
            ));
        }
    }
    title
}

fn month_weeks_of(model: &Model) -> Vec<[NaiveDate; 7]> {
    let cursor = model.calendar.day(&model.time);
    month_weeks(cursor.year(), cursor.month(), model.time.week_start)
}

/// Cells at least this wide show titles; narrower ones show a bar per task.
const TITLED_CELL: usize = 9;

/// The month grid, `width` by `height`: the month's name, the weekdays, then each week as a
/// line of day numbers and as many lines below as the height shares out. Wide cells list what
/// falls on the day (`+3 more` when it does not all fit); narrow ones show a bar per task and
/// `◇` for series occurrences without a task.
fn grid_lines(model: &Model, width: u16, height: u16) -> Vec<Line<'static>> {
    let theme = &model.theme;
    let time = &model.time;
    let cursor = model.calendar.day(time);
    let cell = usize::from(width / 7).max(4);
    let weeks = month_weeks_of(model);
    let per_week = (usize::from(height).saturating_sub(3) / weeks.len().max(1)).max(2);
    let titled = cell >= TITLED_CELL;
    let mut lines = vec![Line::styled(
        format!("{:^w$}", cursor.format("%B %Y").to_string(), w = cell * 7),
        theme.accent,
    )];
    let names: Vec<Span<'static>> = weeks
        .first()
        .map(|w| w.to_vec())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            Span::styled(
                format!(
                    "{:<cell$}",
                    format!(" {}", &d.format("%a").to_string()[..2])
                ),
                theme.header,
            )
        })
        .collect();
    lines.push(Line::from(names));
    for week in &weeks {
        let numbers: Vec<Span<'static>> = week
            .iter()
            .map(|day| day_number(model, *day, cell))
            .collect();
        lines.push(Line::from(numbers));
        let cells: Vec<Vec<Span<'static>>> = week
            .iter()
            .map(|day| {
                if titled {
                    day_titles(model, *day, cell, per_week - 1)
                } else {
                    vec![day_bars(model, *day, cell)]
                }
            })
            .collect();
        for row in 0..per_week - 1 {
            let spans: Vec<Span<'static>> = cells
                .iter()
                .map(|c| {
                    c.get(row)
                        .cloned()
                        .unwrap_or_else(|| Span::raw(" ".repeat(cell)))
                })
                .collect();
            lines.push(Line::from(spans));
        }
    }
    let legend = if titled {
        " ◇ series occurrence (to come, or missed before today)  • today"
    } else {
        " ■ task  ◇ series  • today"
    };
    lines.push(Line::styled(fit(legend, cell * 7), theme.dim));
    lines
}

/// A day's number, styled for today, the selection and days outside the month.
fn day_number(model: &Model, day: NaiveDate, cell: usize) -> Span<'static> {
    let theme = &model.theme;
    let today = model.time.today();
    let cursor = model.calendar.day(&model.time);
    let mut style = if day.month() == cursor.month() {
        theme.header
    } else {
        theme.dim
    };
    if day == today {
        style = theme.today.add_modifier(Modifier::BOLD);
    }
    if day == cursor {
        style = if model.calendar.moving.is_some() {
            theme.marked.add_modifier(Modifier::REVERSED)
        } else {
            theme.selection
        };
    }
    let label = if day == today {
        format!("{:>2}•", day.day())
    } else {
        format!("{:>2}", day.day())
    };
    Span::styled(format!(" {:<w$}", label, w = cell - 1), style)
}

/// What falls on a day as one line per entry, `lines` at most (the last says how many more).
fn day_titles(model: &Model, day: NaiveDate, cell: usize, lines: usize) -> Vec<Span<'static>> {
    let entries = model
        .calendar
        .agenda
        .days
        .get(&day)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let room = cell.saturating_sub(1);
    let shown = if entries.len() > lines {
        lines.saturating_sub(1)
    } else {
        entries.len()
    };
    let mut out: Vec<Span<'static>> = entries[..shown]
        .iter()
        .map(|entry| {
            let (text, style) = entry_label(model, entry, day);
            let text = match entry.time().filter(|_| cell >= 24) {
                Some(t) => format!("{} {text}", t.format("%H:%M")),
                None => text,
            };
            Span::styled(format!(" {:<room$}", fit(&text, room - 1)), style)
        })
        .collect();
    if shown < entries.len() {
        out.push(Span::styled(
            format!(
                " {:<room$}",
                fit(&format!("+{} more", entries.len() - shown), room - 1)
            ),
            model.theme.dim,
        ));
    }
    out
}

/// A narrow cell's line: a bar per task (`■■+4` when they do not fit) and `◇` when a series
/// occurrence falls on the day.
fn day_bars(model: &Model, day: NaiveDate, cell: usize) -> Span<'static> {
    let (tasks, upcoming) = model.calendar.agenda.counts(day);
    let room = cell.saturating_sub(2);
    let mut bar = "■".repeat(tasks.min(room));
    if tasks > room {
        bar = format!(
            "{}+{}",
            "■".repeat(room.saturating_sub(3)),
            tasks - room.saturating_sub(3)
        );
    }
    if upcoming > 0 && bar.chars().count() + 1 < cell {
        bar.push('◇');
    }
    let style = if day < model.time.today() && tasks > 0 {
        model.theme.overdue
    } else {
        model.theme.accent
    };
    Span::styled(format!(" {:<w$}", bar, w = cell - 1), style)
}

/// Line `k` of a slot `rows` lines tall holding `entries` on `day`, `width` wide: the k-th
/// entry, or on the slot's last line `+N more` when they do not all fit.
fn slot_line(
    model: &Model,
    entries: &[&Entry],
    (k, rows): (usize, usize),
    day: NaiveDate,
    width: usize,
) -> Span<'static> {
    let (text, style) = match entries.get(k) {
        Some(_) if k + 1 == rows && entries.len() > rows => {
            (format!("+{} more", entries.len() - k), model.theme.dim)
        }
        Some(e) => entry_label(model, e, day),
        None => (String::new(), Style::default()),
    };
    Span::styled(format!("{:<width$}", fit(&text, width - 1)), style)
}

/// An entry as a calendar cell names it, with its style: a task's status mark and title
/// (overdue when due on a past day, dim when blocked, reversed when selected), or `◇` and a series'
/// title, dim.
fn entry_label(model: &Model, entry: &Entry, day: NaiveDate) -> (String, Style) {
    let theme = &model.theme;
    match entry {
        Entry::Task { index, kind, .. } => {
            let view = &model.data.views[*index];
            let style = if model.rows.get(model.selected) == Some(&Row::Task(*index)) {
                theme.selection
            } else if view.blocked {
                theme.dim
            } else if *kind == EntryKind::Due && day < model.time.today() {
                theme.overdue
            } else {
                Style::default()
            };
            (format!("{} {}", status_mark(view), view.task.title), style)
        }
        Entry::Upcoming { index, .. } => {
            let title = model
                .calendar
                .upcoming
                .get(*index)
                .map(|u| u.title.clone())
                .unwrap_or_default();
            (format!("◇ {title}"), theme.dim)
        }
    }
}

/// The rows (the selected day's entries, or the agenda) under a title line, scrolled to keep
/// the selection in view.
fn rows(model: &Model, frame: &mut Frame, area: Rect, title: String) {
    let theme = &model.theme;
    let mut lines = vec![Line::styled(title, theme.header)];
    if let Some(id) = model.calendar.moving {
        let name = model
            .view_by_id(id)
            .map(|v| v.task.title.clone())
            .unwrap_or_default();
        lines.push(Line::styled(
            format!(" Moving task {id} '{name}': Enter puts it on this day, Esc cancels"),
            theme.marked,
        ));
    }
    if model.rows.is_empty() {
        let text = if model.loading {
            "Loading…"
        } else {
            "Nothing due or scheduled. a adds a task due this day."
        };
        lines.push(Line::styled(format!(" {text}"), theme.dim));
    }
    let height = usize::from(area.height).saturating_sub(lines.len());
    let offset = model.offset.min(model.rows.len());
    let width = usize::from(area.width);
    for (k, row) in model.rows.iter().enumerate().skip(offset).take(height) {
        let selected = k == model.selected;
        let line = match row {
            Row::Group { name, .. } => Line::styled(format!(" {name}"), theme.accent),
            Row::Task(i) => {
                let view = &model.data.views[*i];
                let entry = entry_for(model, *i);
                let (time, kind) = entry.unwrap_or((None, EntryKind::Due));
                let time = if model.calendar.mode == CalendarMode::Agenda
                    && view
                        .task
                        .due
                        .is_some_and(|d| d.local_date(model.time.tz) < model.time.today())
                {
                    view.task
                        .due
                        .map(|d| d.local_date(model.time.tz).format("%a %d %b").to_string())
                        .unwrap_or_default()
                } else {
                    time_span(time, view.task.estimate)
                };
                let mut note = String::new();
                if kind == EntryKind::Scheduled {
                    note.push_str("  scheduled");
                }
                if let Some(c) = &view.task.category {
                    note.push_str(&format!("  #{c}"));
                }
                let mark_style = if view.blocked {
                    theme.dim
                } else {
                    theme.accent
                };
                let title_style = if view.blocked {
                    theme.dim
                } else {
                    Style::default()
                };
                let head = format!("  {time:<11} ");
                let body = format!("{} {}", view.task.id, view.task.title);
                // The title comes first: notes go when there is no room for both.
                if head.width() + 2 + body.width() + note.width() > width {
                    note.clear();
                }
                let room = width.saturating_sub(head.width() + 2 + note.width());
                Line::from(vec![
                    Span::styled(head, theme.dim),
                    Span::styled(status_mark(view), mark_style),
                    Span::raw(" "),
                    Span::styled(fit(&body, room.max(8)), title_style),
                    Span::styled(note, theme.dim),
                ])
            }
            Row::Upcoming(i) => {
                let Some(up) = model.calendar.upcoming.get(*i) else {
                    continue;
                };
                Line::styled(
                    fit(
                        &format!(
                            "  {:<11} ◇ {}  (series {}, {})",
                            time_span(up.time, up.estimate),
                            up.title,
                            up.template,
                            occurrence_word(up.day, model.time.today())
                        ),
                        width,
                    ),
                    theme.dim,
                )
            }
        };
        lines.push(if selected {
            line.style(theme.selection)
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// How task `index` sits on the selected day (its time and why it is there).
fn entry_for(model: &Model, index: usize) -> Option<(Option<chrono::NaiveTime>, EntryKind)> {
    let day = model.calendar.day(&model.time);
    let find = |entries: &Vec<Entry>| {
        entries.iter().find_map(|e| match e {
            Entry::Task {
                index: i,
                kind,
                time,
            } if *i == index => Some((*time, *kind)),
            _ => None,
        })
    };
    match model.calendar.mode {
        CalendarMode::Agenda => model.calendar.agenda.days.values().find_map(find),
        _ => model.calendar.agenda.days.get(&day).and_then(find),
    }
}

/// Seven days side by side: whole-day entries at the top, timed ones in the row of their hour.
/// The hours run from 8 to 18 (or the earliest and latest timed entry) and grow to fill the
/// height; whole-day entries get as many lines as the busiest day needs when there is room.
fn week(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let time = &model.time;
    let cursor = model.calendar.day(time);
    let today = time.today();
    let start = time.start_of_week(cursor);
    let days: Vec<NaiveDate> = (0..7).map(|i| shift_days(start, i)).collect();
    let gutter = 7usize;
    let col = (usize::from(area.width).saturating_sub(gutter) / 7).max(6);
    let agenda = &model.calendar.agenda;
    let mut lines = vec![Line::styled(
        format!(
            " Week of {} – {}",
            start.format("%a %d %b %Y"),
            days[6].format("%a %d %b %Y")
        ),
        theme.header,
    )];
    let mut header = vec![Span::raw(" ".repeat(gutter))];
    for day in &days {
        let style = if *day == cursor {
            theme.selection
        } else if *day == today {
            theme.today.add_modifier(Modifier::BOLD)
        } else {
            theme.accent
        };
        header.push(Span::styled(
            format!("{:<col$}", fit(&day.format("%a %d").to_string(), col - 1)),
            style,
        ));
    }
    lines.push(Line::from(header));
    let entries_of = |timed: bool| -> Vec<Vec<&Entry>> {
        days.iter()
            .map(|d| {
                agenda
                    .days
                    .get(d)
                    .map(|es| es.iter().filter(|e| e.time().is_some() == timed).collect())
                    .unwrap_or_default()
            })
            .collect()
    };
    let all_day = entries_of(false);
    let timed = entries_of(true);
    let hours: Vec<u32> = timed
        .iter()
        .flatten()
        .filter_map(|e| e.time().map(|t| t.hour()))
        .collect();
    let earliest = hours.iter().copied().min().unwrap_or(8);
    let latest = hours.iter().copied().max().unwrap_or(18);
    let (mut first, mut last) = (earliest.min(8), latest.max(18));
    let room = usize::from(area.height).saturating_sub(lines.len());
    let span = |first: u32, last: u32| (last + 1 - first) as usize;
    let busiest = all_day.iter().map(Vec::len).max().unwrap_or(0);
    let band = if busiest + span(first, last) <= room {
        busiest
    } else {
        busiest.min(3.max(room.saturating_sub(span(earliest, latest))))
    };
    if band + span(first, last) > room {
        first = earliest;
    }
    // An hour gets a line per entry at that time when there is room for the busiest hour.
    let most_in_an_hour = timed
        .iter()
        .flat_map(|entries| {
            (first..=last).map(move |h| {
                entries
                    .iter()
                    .filter(|e| e.time().is_some_and(|t| t.hour() == h))
                    .count()
            })
        })
        .max()
        .unwrap_or(0);
    let per_hour = (room.saturating_sub(band) / span(first, last))
        .min(most_in_an_hour)
        .max(1);
    // Room to spare: later hours first (evenings), then earlier ones.
    while band + span(first, last) * per_hour + per_hour <= room && (first > 0 || last < 23) {
        if last < 23 && (last - latest <= earliest - first || first == 0) {
            last += 1;
        } else {
            first -= 1;
        }
    }
    for k in 0..band {
        let mut spans = vec![Span::styled(
            if k == 0 {
                format!("{:<gutter$}", " all")
            } else {
                " ".repeat(gutter)
            },
            theme.dim,
        )];
        for (entries, day) in all_day.iter().zip(&days) {
            spans.push(slot_line(model, entries, (k, band), *day, col));
        }
        lines.push(Line::from(spans));
    }
    for hour in first..=last {
        for k in 0..per_hour {
            if lines.len() >= usize::from(area.height) {
                break;
            }
            let gutter_text = if k == 0 {
                format!("{:<gutter$}", format!(" {hour:02}:00"))
            } else {
                " ".repeat(gutter)
            };
            let mut spans = vec![Span::styled(gutter_text, theme.dim)];
            for (entries, day) in timed.iter().zip(&days) {
                let here: Vec<&Entry> = entries
                    .iter()
                    .copied()
                    .filter(|e| e.time().is_some_and(|t| t.hour() == hour))
                    .collect();
                spans.push(slot_line(model, &here, (k, per_hour), *day, col));
            }
            lines.push(Line::from(spans));
        }
    }
    if hours.is_empty() && lines.len() < usize::from(area.height) {
        lines.push(Line::styled(
            " No timed tasks this week: due:fri 14:00 gives a task a time.",
            theme.dim,
        ));
    }
    let used = u16::try_from(lines.len()).unwrap_or(area.height);
    frame.render_widget(Paragraph::new(lines), area);
    // Rows to spare below the hours: the selected day's tasks, as beside the month.
    if area.height.saturating_sub(used) >= 4 {
        let [_, below] =
            Layout::vertical([Constraint::Length(used + 1), Constraint::Min(3)]).areas(area);
        rows(model, frame, below, day_title(model, cursor));
    }
}
