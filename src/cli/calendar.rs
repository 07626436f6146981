//! `tme cal [MONTH]` and `tme agenda [--days N]`: the month with counts per day, and the days
//! ahead with what is on each.

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use super::context::Ctx;
use super::error::CliError;
use super::style::{Style, paint};
use crate::domain::calendar::{EntryKind, month_weeks, parse_month, shift_days, shift_month};
use crate::domain::{parse_when, relative_due};
use crate::engine::{Agenda, Entry, TaskView, Upcoming, occurrence_word, status_mark, time_span};

/// `tme cal`: a month grid like `cal`, with how much falls on each day.
#[derive(Debug, clap::Args)]
pub struct CalArgs {
    /// The month: `2026-12`, `dec`, `march 2027`, `next month`; this month when left out.
    #[arg(value_name = "MONTH", num_args = 0.., trailing_var_arg = true)]
    month: Vec<String>,
    /// Print the days as JSON instead.
    #[arg(long)]
    json: bool,
}

/// `tme agenda`: the days ahead, with what is due or scheduled on each.
#[derive(Debug, clap::Args)]
pub struct AgendaArgs {
    /// How many days, today included.
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u16).range(1..=366))]
    days: u16,
    /// The first day (any date: `mon`, `2026-12-24`); today when left out.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Print the agenda as JSON instead.
    #[arg(long)]
    json: bool,
}

/// The open tasks and the upcoming occurrences between two days, arranged.
fn gather(
    ctx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<TaskView>, Vec<Upcoming>, Agenda), CliError> {
    let tm = ctx.engine()?;
    let views = tm.snapshot()?.views;
    let upcoming = tm.upcoming(from, to)?;
    let agenda = Agenda::arrange(views.iter().enumerate(), &upcoming, from, to, &tm.time());
    Ok((views, upcoming, agenda))
}

impl CalArgs {
    /// Runs `tme cal`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let time = ctx.time();
        let first = if self.month.is_empty() {
            shift_month(time.today(), 0)
        } else {
            let text = self.month.join(" ");
            parse_month(&text, &time).ok_or_else(|| {
                CliError::Input(format!(
                    "'{text}' is not a month; try 2026-12, dec, march 2027 or next month"
                ))
            })?
        };
        let weeks = month_weeks(first.year(), first.month(), time.week_start);
        let (Some(start), Some(end)) = (weeks.first().map(|w| w[0]), weeks.last().map(|w| w[6]))
        else {
            return Err(CliError::Input("that month is outside the calendar".into()));
        };
        let today = time.today();
        let (_, _, agenda) = gather(ctx, start.min(today), end)?;
        let overdue_on = |day: NaiveDate| day < today && agenda.counts(day).0 > 0;
        if self.json {
            let days: Vec<Value> = weeks
                .iter()
                .flatten()
                .filter(|d| d.month() == first.month())
                .map(|day| {
                    let (tasks, upcoming) = agenda.counts(*day);
                    json!({
                        "date": day.to_string(),
                        "tasks": tasks,
                        "upcoming": upcoming,
                        "overdue": overdue_on(*day),
                        "today": *day == today,
                    })
                })
                .collect();
            let value = json!({
                "month": first.format("%Y-%m").to_string(),
                "week_start": format!("{:?}", time.week_start).to_lowercase(),
                "days": days,
            });
            return ctx.print_json(&value);
        }
        let color = ctx.color;
        let mut out = String::new();
        let title = first.format("%B %Y").to_string();
        out.push_str(format!("{title:^49}").trim_end());
        out.push('\n');
        let names: Vec<String> = weeks[0]
            .iter()
            .map(|d| format!("{:>3}    ", &d.format("%a").to_string()[..2]))
            .collect();
        out.push_str(names.concat().trim_end());
        out.push('\n');
        for week in &weeks {
            let mut line = String::new();
            for day in week {
                if day.month() != first.month() {
                    line.push_str("       ");
                    continue;
                }
                let (tasks, upcoming) = agenda.counts(*day);
                let number = format!("{:>3}", day.day());
                let number = if *day == today && color {
                    format!(" {}", paint(&number[1..], Style::Current, true))
                } else if *day == today {
                    format!("{:>3}", format!("*{}", day.day()))
                } else {
                    number
                };
                let count_mark = if overdue_on(*day) { "!" } else { "·" };
                let marks = format!(
                    "{}{}",
                    if tasks > 0 {
                        format!("{count_mark}{tasks}")
                    } else {
                        String::new()
                    },
                    if upcoming > 0 { "◇" } else { "" }
                );
                let pad = 4usize.saturating_sub(marks.chars().count());
                let marks = if overdue_on(*day) {
                    paint(&marks, Style::Overdue, color)
                } else if *day == today {
                    paint(&marks, Style::Today, color)
                } else {
                    paint(&marks, Style::Dim, color)
                };
                line.push_str(&number);
                line.push_str(&marks);
                line.push_str(&" ".repeat(pad));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let legend = format!(
            "·N tasks due or scheduled  !N overdue  ◇ series occurrence (missed if past)  {}",
            if color { "today reversed" } else { "*today" }
        );
        out.push_str(&paint(&legend, Style::Dim, color));
        out.push('\n');
        if !agenda.overdue.is_empty() && first <= today && today <= end {
            out.push_str(&paint(
                &format!(
                    "{} overdue from before this grid (tme agenda lists them)\n",
                    agenda.overdue.len()
                ),
                Style::Overdue,
                color,
            ));
        }
        ctx.print(&out)
    }
}

impl AgendaArgs {
    /// Runs `tme agenda`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let time = ctx.time();
        let today = time.today();
        let from = match &self.from {
            Some(text) => parse_when(text, &time)
                .map_err(|e| CliError::Input(format!("--from: {e}")))?
                .local_date(time.tz),
            None => today,
        };
        let to = shift_days(from, i64::from(self.days) - 1);
        let (views, upcoming, agenda) = gather(ctx, from, to)?;
        if self.json {
            let entry_json = |entry: &Entry| -> Value {
                match entry {
                    Entry::Task { index, kind, time } => {
                        let view = &views[*index];
                        json!({
                            "kind": kind.as_str(),
                            "id": view.task.id.0,
                            "title": view.task.title,
                            "status": view.status.as_str(),
                            "category": view.task.category.as_ref().map(ToString::to_string),
                            "time": time.map(|t| t.format("%H:%M").to_string()),
                            "all_day": time.is_none(),
                        })
                    }
                    Entry::Upcoming { index, time } => {
                        let up = &upcoming[*index];
                        json!({
                            "kind": EntryKind::Upcoming.as_str(),
                            "template": up.template.0,
                            "title": up.title,
                            "category": up.category.as_ref().map(ToString::to_string),
                            "time": time.map(|t| t.format("%H:%M").to_string()),
                            "all_day": time.is_none(),
                        })
                    }
                }
            };
            let overdue: Vec<Value> = agenda
                .overdue
                .iter()
                .map(|i| {
                    let view = &views[*i];
                    json!({
                        "id": view.task.id.0,
                        "title": view.task.title,
                        "due": view.task.due.map(|d| d.display(time.tz)),
                    })
                })
                .collect();
            let days: Vec<Value> = agenda
                .days
                .iter()
                .map(|(day, entries)| {
                    json!({
                        "date": day.to_string(),
                        "entries": entries.iter().map(entry_json).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let value = json!({
                "from": from.to_string(),
                "to": to.to_string(),
                "overdue": overdue,
                "days": days,
            });
            return ctx.print_json(&value);
        }
        let color = ctx.color;
        let mut out = String::new();
        if !agenda.overdue.is_empty() {
            out.push_str(&paint("Overdue", Style::Overdue, color));
            out.push('\n');
            for index in &agenda.overdue {
                let view = &views[*index];
                let late = view
                    .task
                    .due
                    .map(|d| relative_due(d, &time).0)
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {:<12} {}\n",
                    view.task
                        .due
                        .map(|d| d.local_date(time.tz).format("%a %d %b").to_string())
                        .unwrap_or_default(),
                    task_line(view, &late, color)
                ));
            }
        }
        let mut day = from;
        while day <= to {
            let entries = agenda.days.get(&day);
            if entries.is_some() || day == today {
                let mut heading = day.format("%a %d %b %Y").to_string();
                if day == today {
                    heading.push_str("  today");
                }
                out.push_str(&paint(&heading, Style::Header, color));
                out.push('\n');
                match entries {
                    None => out.push_str(&paint("  nothing due\n", Style::Dim, color)),
                    Some(entries) => {
                        for entry in entries {
                            out.push_str(&entry_line(entry, &views, &upcoming, today, color));
                        }
                    }
                }
            }
            day = shift_days(day, 1);
            if day == from {
                break;
            }
        }
        ctx.print(&out)
    }
}

fn task_line(view: &TaskView, note: &str, color: bool) -> String {
    let mut line = format!("{} {} {}", status_mark(view), view.task.id, view.task.title);
    let mut notes: Vec<String> = Vec::new();
    if let Some(category) = &view.task.category {
        notes.push(format!("#{category}"));
    }
    if !note.is_empty() {
        notes.push(note.to_string());
    }
    if !notes.is_empty() {
        line.push_str("  ");
        line.push_str(&paint(&notes.join(" · "), Style::Dim, color));
    }
    line
}

fn entry_line(
    entry: &Entry,
    views: &[TaskView],
    upcoming: &[Upcoming],
    today: NaiveDate,
    color: bool,
) -> String {
    match entry {
        Entry::Task { index, kind, time } => {
            let view = &views[*index];
            let note = if *kind == EntryKind::Scheduled {
                "scheduled"
            } else {
                ""
            };
            format!(
                "  {:<12} {}\n",
                time_span(*time, view.task.estimate),
                task_line(view, note, color)
            )
        }
        Entry::Upcoming { index, time } => {
            let up = &upcoming[*index];
            let text = format!(
                "◇ {}  (series {}, {})",
                up.title,
                up.template,
                occurrence_word(up.day, today)
            );
            format!(
                "  {:<12} {}\n",
                time_span(*time, up.estimate),
                paint(&text, Style::Dim, color)
            )
        }
    }
}
