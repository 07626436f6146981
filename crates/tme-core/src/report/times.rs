//! Lead time (added → completed) and cycle time (started → completed), per category.

use std::collections::BTreeMap;

use serde::Serialize;

use super::period::{Range, Window};
use super::stats::percentile;
use super::{Cell, ReportTask, Table};
use crate::domain::TimeContext;

/// Which time a [`Times`] report measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimesKind {
    /// From being added to being completed.
    Lead,
    /// From first being started to being completed.
    Cycle,
}

/// How long tasks completed in a range took, per category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Times {
    /// Lead or cycle time.
    pub kind: TimesKind,
    /// The range, as asked.
    pub range: String,
    /// One row per category, by name, then `All`.
    pub rows: Vec<TimeRow>,
    /// How many tasks took how long, all categories together: (bucket, count).
    pub histogram: Vec<(String, u64)>,
}

/// The times of one category, in days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeRow {
    /// The category, or `(none)`, or `All`.
    pub category: String,
    /// Tasks measured.
    pub tasks: u64,
    /// Median, in days.
    pub median_days: f64,
    /// 90th percentile, in days.
    pub p90_days: f64,
    /// Mean, in days.
    pub mean_days: f64,
}

/// Histogram buckets: the upper bound in days, and the label.
const BUCKETS: [(f64, &str); 8] = [
    (1.0 / 24.0, "<1h"),
    (1.0, "<1d"),
    (3.0, "1-3d"),
    (7.0, "3-7d"),
    (14.0, "1-2w"),
    (30.0, "2-4w"),
    (91.0, "1-3m"),
    (f64::INFINITY, ">3m"),
];

fn row(category: String, mut days: Vec<f64>) -> TimeRow {
    let mean = days.iter().sum::<f64>() / days.len().max(1) as f64;
    TimeRow {
        category,
        tasks: days.len() as u64,
        median_days: percentile(&mut days, 50.0).unwrap_or(0.0),
        p90_days: percentile(&mut days, 90.0).unwrap_or(0.0),
        mean_days: mean,
    }
}

/// Lead or cycle times of the tasks completed within `range`.
pub fn times(tasks: &[ReportTask], range: Range, kind: TimesKind, time: &TimeContext) -> Times {
    let window = Window::new(range, tasks, time);
    let mut by_category: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut all = Vec::new();
    for task in tasks {
        let Some(done) = task.completed_at().filter(|at| window.holds(*at, time)) else {
            continue;
        };
        let from = match kind {
            TimesKind::Lead => Some(task.created),
            TimesKind::Cycle => task.started,
        };
        let Some(from) = from else { continue };
        let days = ((done - from).num_seconds().max(0)) as f64 / 86_400.0;
        by_category
            .entry(task.category_name())
            .or_default()
            .push(days);
        all.push(days);
    }
    let mut histogram: Vec<(String, u64)> =
        BUCKETS.iter().map(|(_, l)| (l.to_string(), 0)).collect();
    for days in &all {
        if let Some(i) = BUCKETS.iter().position(|(top, _)| days < top) {
            histogram[i].1 += 1;
        }
    }
    let mut rows: Vec<TimeRow> = by_category
        .into_iter()
        .map(|(c, days)| row(c.to_string(), days))
        .collect();
    if !all.is_empty() {
        rows.push(row("All".into(), all));
    }
    Times {
        kind,
        range: range.label(),
        rows,
        histogram,
    }
}

/// Days as a cell: shown short (`6.5h`), written to CSV as days (`0.27`).
pub fn days_cell(days: f64) -> Cell {
    Cell::shown(days_text(days), format!("{days:.2}"))
}

/// Days as a short duration: `45m`, `6.5h`, `3.2d`.
pub fn days_text(days: f64) -> String {
    if days < 1.0 / 24.0 {
        format!("{:.0}m", days * 1440.0)
    } else if days < 1.0 {
        format!("{:.1}h", days * 24.0)
    } else {
        format!("{days:.1}d")
    }
}

impl Times {
    /// The rows as a table.
    pub fn table(&self) -> Table {
        let mut table = Table::new(&["Category", "Tasks#", "Median#days", "p90#days", "Mean#days"]);
        for r in &self.rows {
            table.row(vec![
                Cell::from(r.category.clone()),
                Cell::from(r.tasks.to_string()),
                days_cell(r.median_days),
                days_cell(r.p90_days),
                days_cell(r.mean_days),
            ]);
        }
        let what = match self.kind {
            TimesKind::Lead => "added to completed",
            TimesKind::Cycle => "first started to completed",
        };
        table.notes.push(format!(
            "Time from {what}, for tasks completed in {}.",
            self.range
        ));
        table
    }
}
