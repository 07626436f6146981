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
use crate::engine::{Entry, status_mark, time_span};
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
    let (grid_area, list_area) = if side {
        let grid_width = (area.width * 11 / 20).clamp(36, 84);
        let [g, l] = Layout::horizontal([Constraint::Length(grid_width), Constraint::Min(20)])
            .spacing(1)
            .areas(area);
        (g, l)
    } else {
        let [g, l] = Layout::vertical([Constraint::Length(15), Constraint::Min(3)]).areas(area);
        (g, l)
    };
    frame.render_widget(
        Paragraph::new(grid_lines(model, grid_area.width)),
        grid_area,
    );
    let day = model.calendar.day(&model.time);
    let (tasks, upcoming) = model.calendar.agenda.counts(day);
    let mut title = format!(" {}", day.format("%a %d %b %Y"));
    if tasks + upcoming > 0 {
        title.push_str(&format!(" · {tasks} due or scheduled"));
        if upcoming > 0 {
            title.push_str(&format!(", {upcoming} to come"));
        }
    }
    rows(model, frame, list_area, title);
}

/// The month grid: the month's name, the weekdays, then each week as a line of day numbers
/// and a line of bars (one per task due or scheduled, `◇` for series occurrences to come).
fn grid_lines(model: &Model, width: u16) -> Vec<Line<'static>> {
    let theme = &model.theme;
    let time = &model.time;
    let cursor = model.calendar.day(time);
    let today = time.today();
    let cell = usize::from(width / 7).max(4);
    let weeks = month_weeks(cursor.year(), cursor.month(), time.week_start);
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
        let mut numbers = Vec::with_capacity(7);
        let mut bars = Vec::with_capacity(7);
        for day in week {
            let (tasks, upcoming) = model.calendar.agenda.counts(*day);
            let mut style = if day.month() == cursor.month() {
                Style::default()
            } else {
                theme.dim
            };
            if *day == today {
                style = theme.today.add_modifier(Modifier::BOLD);
            }
            if *day == cursor {
                style = if model.calendar.moving.is_some() {
                    theme.marked.add_modifier(Modifier::REVERSED)
                } else {
                    theme.selection
                };
            }
            let label = if *day == today {
                format!("{:>2}•", day.day())
            } else {
                format!("{:>2}", day.day())
            };
            numbers.push(Span::styled(format!(" {:<w$}", label, w = cell - 1), style));
            let room = cell.saturating_sub(2);
            let mut bar = "■".repeat(tasks.min(room));
            if tasks > room {
                bar = format!(
                    "{}+{}",
                    "■".repeat(room.saturating_sub(3)),
                    tasks - room.saturating_sub(3)
                );
            }
            let bar_style = if *day < today && tasks > 0 {
                theme.overdue
            } else {
                theme.accent
            };
            let mut spans = vec![Span::raw(" "), Span::styled(bar.clone(), bar_style)];
            let mut used = 1 + bar.chars().count();
            if upcoming > 0 && used < cell {
                spans.push(Span::styled("◇", theme.dim));
                used += 1;
            }
            spans.push(Span::raw(" ".repeat(cell.saturating_sub(used))));
            bars.extend(spans);
        }
        lines.push(Line::from(numbers));
        lines.push(Line::from(bars));
    }
    lines.push(Line::styled(
        fit(" ■ due or scheduled  ◇ to come  • today", cell * 7),
        theme.dim,
    ));
    lines
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
                            "  {:<11} ◇ {}  (series {}, to come)",
                            time_span(up.time, up.estimate),
                            up.title,
                            up.template
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
fn week(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let time = &model.time;
    let cursor = model.calendar.day(time);
    let today = time.today();
    let start = time.start_of_week(cursor);
    let days: Vec<NaiveDate> = (0..7).map(|i| shift_days(start, i)).collect();
    let gutter = 6usize;
    let col = (usize::from(area.width).saturating_sub(gutter) / 7).max(6);
    let agenda = &model.calendar.agenda;
    let selected_entry = model.rows.get(model.selected).cloned();
    let label = |entry: &Entry| -> (String, bool) {
        match entry {
            Entry::Task { index, .. } => {
                let view = &model.data.views[*index];
                let chosen = selected_entry == Some(Row::Task(*index));
                (format!("{} {}", status_mark(view), view.task.title), chosen)
            }
            Entry::Upcoming { index, .. } => {
                let title = model
                    .calendar
                    .upcoming
                    .get(*index)
                    .map(|u| u.title.clone())
                    .unwrap_or_default();
                (format!("◇ {title}"), false)
            }
        }
    };
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
    // Whole-day entries: as many lines as the busiest day needs, up to three.
    let all_day: Vec<Vec<&Entry>> = days
        .iter()
        .map(|d| {
            agenda
                .days
                .get(d)
                .map(|es| es.iter().filter(|e| e.time().is_none()).collect())
                .unwrap_or_default()
        })
        .collect();
    let band = all_day.iter().map(Vec::len).max().unwrap_or(0).min(3);
    for k in 0..band {
        let mut spans = vec![Span::styled(
            if k == 0 {
                format!("{:<gutter$}", " all")
            } else {
                " ".repeat(gutter)
            },
            theme.dim,
        )];
        for entries in &all_day {
            let text = match (entries.get(k), entries.len()) {
                (Some(_), n) if k == 2 && n > 3 => (format!("+{} more", n - 2), false),
                (Some(e), _) => label(e),
                (None, _) => (String::new(), false),
            };
            let style = if text.1 {
                theme.selection
            } else {
                Style::default()
            };
            spans.push(Span::styled(
                format!("{:<col$}", fit(&text.0, col - 1)),
                style,
            ));
        }
        lines.push(Line::from(spans));
    }
    // Hours: from 8 (or the earliest timed entry) to 18 (or the latest), as many as fit.
    let timed: Vec<Vec<&Entry>> = days
        .iter()
        .map(|d| {
            agenda
                .days
                .get(d)
                .map(|es| es.iter().filter(|e| e.time().is_some()).collect())
                .unwrap_or_default()
        })
        .collect();
    let hours: Vec<u32> = timed
        .iter()
        .flatten()
        .filter_map(|e| e.time().map(|t| t.hour()))
        .collect();
    let earliest = hours.iter().copied().min().unwrap_or(8);
    let last = hours.iter().copied().max().unwrap_or(18).max(18);
    let room = usize::from(area.height).saturating_sub(lines.len());
    // From 8 in the morning when it all fits, else from the first timed entry.
    let first = if (last + 1 - earliest.min(8)) as usize <= room {
        earliest.min(8)
    } else {
        earliest
    };
    for hour in first..=last {
        if lines.len() >= usize::from(area.height) {
            break;
        }
        let mut spans = vec![Span::styled(format!(" {hour:02}:00"), theme.dim)];
        for entries in &timed {
            let here: Vec<&&Entry> = entries
                .iter()
                .filter(|e| e.time().is_some_and(|t| t.hour() == hour))
                .collect();
            let (mut text, chosen) = here.first().map(|e| label(e)).unwrap_or_default();
            if here.len() > 1 {
                text = format!("{} +{}", fit(&text, col.saturating_sub(5)), here.len() - 1);
            }
            let style = if chosen {
                theme.selection
            } else {
                Style::default()
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                format!("{:<w$}", fit(&text, col - 2), w = col - 1),
                style,
            ));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
