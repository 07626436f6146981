//! Recurring series: how often their occurrences were completed, and the streaks.

use std::collections::BTreeMap;

use serde::Serialize;

use super::period::{Range, Window};
use super::{ReportTask, Table};
use crate::domain::{Outcome, Status, Streak, TaskId, TimeContext, streak};

/// One series over a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesStats {
    /// The template's id.
    pub template: u64,
    /// The series' title.
    pub title: String,
    /// Instances whose occurrence falls in the range.
    pub instances: u64,
    /// Completed out of those that are over (0–1).
    pub completion_rate: Option<f64>,
    /// Streaks within the range.
    pub streak: Streak,
}

/// Completion rate and streaks of every series with instances in `range`, by title.
pub fn recurring(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Vec<SeriesStats> {
    let window = Window::new(range, tasks, time);
    let titles: BTreeMap<TaskId, &str> = tasks
        .iter()
        .filter(|t| t.template)
        .map(|t| (t.id, t.title.as_str()))
        .collect();
    let mut by: BTreeMap<TaskId, Vec<(chrono::DateTime<chrono::Utc>, Outcome)>> = BTreeMap::new();
    for task in tasks {
        let Some((template, occurrence)) = task.instance_of else {
            continue;
        };
        // For `all`, every occurrence counts, even one before the first task was added.
        if window.range.days.is_some() && !window.holds(occurrence, time) {
            continue;
        }
        let outcome = match task.status {
            Status::Completed => Outcome::Done,
            Status::Deleted => Outcome::Missed,
            _ if task.deadline.is_some_and(|d| d <= time.now) => Outcome::Missed,
            _ => Outcome::Pending,
        };
        by.entry(template).or_default().push((occurrence, outcome));
    }
    let mut out: Vec<SeriesStats> = by
        .into_iter()
        .map(|(template, mut slots)| {
            slots.sort_by_key(|(at, _)| *at);
            let s = streak(slots.iter().map(|(_, o)| *o));
            SeriesStats {
                template: template.0,
                title: titles
                    .get(&template)
                    .map_or_else(|| format!("series {template}"), |t| t.to_string()),
                instances: slots.len() as u64,
                completion_rate: (s.over > 0).then(|| f64::from(s.done) / f64::from(s.over)),
                streak: s,
            }
        })
        .collect();
    out.sort_by(|a, b| a.title.cmp(&b.title).then(a.template.cmp(&b.template)));
    out
}

/// The series as a table.
pub fn recurring_table(series: &[SeriesStats], range: Range) -> Table {
    let mut table = Table::new(&[
        "ID#",
        "Series",
        "Instances#",
        "Done#",
        "Rate#",
        "Streak#",
        "Best#",
    ]);
    for s in series {
        table.row(vec![
            s.template.to_string(),
            s.title.clone(),
            s.instances.to_string(),
            format!("{}/{}", s.streak.done, s.streak.over),
            s.completion_rate
                .map_or_else(|| "–".into(), |r| format!("{:.0}%", r * 100.0)),
            s.streak.current.to_string(),
            s.streak.best.to_string(),
        ]);
    }
    table.notes.push(format!(
        "Occurrences in {}; missed means deleted, or open past its due date.",
        range.label()
    ));
    table
}
