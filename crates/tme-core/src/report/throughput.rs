//! Throughput: tasks completed per period, and where it is heading.

use chrono::NaiveDate;
use serde::Serialize;

use super::period::{Period, Range, Window};
use super::stats::{Trend, sparkline, trend};
use super::{ReportTask, Table};
use crate::domain::TimeContext;

/// Tasks completed in each period of a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Throughput {
    /// The range, as asked (`30d`).
    pub range: String,
    /// What a period is.
    pub period: Period,
    /// Each period, oldest first.
    pub periods: Vec<PeriodCount>,
    /// Completed in the whole range.
    pub total: u64,
    /// The mean per period.
    pub mean: f64,
    /// The slope and its direction.
    pub trend: Trend,
}

/// One period's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    /// Its first day.
    pub start: NaiveDate,
    /// Tasks completed in it.
    pub completed: u64,
}

/// Counts the tasks completed in each period of `range`.
pub fn throughput(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Throughput {
    let window = Window::new(range, tasks, time);
    let mut counts = vec![0u64; window.starts.len()];
    for task in tasks {
        if let Some(i) = task
            .completed_at()
            .and_then(|at| window.bucket_of(at, time))
        {
            counts[i] += 1;
        }
    }
    let values: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
    let total: u64 = counts.iter().sum();
    Throughput {
        range: range.label(),
        period: window.period,
        periods: window
            .starts
            .iter()
            .zip(&counts)
            .map(|(start, completed)| PeriodCount {
                start: *start,
                completed: *completed,
            })
            .collect(),
        total,
        mean: if counts.is_empty() {
            0.0
        } else {
            total as f64 / counts.len() as f64
        },
        trend: trend(&values),
    }
}

impl Throughput {
    /// The counts as a table with a bar per period, and the trend.
    pub fn table(&self) -> Table {
        let mut table = Table::new(&["Period", "Done#", ""]);
        let top = self
            .periods
            .iter()
            .map(|p| p.completed)
            .max()
            .unwrap_or(0)
            .max(1);
        for p in &self.periods {
            let bar = "■".repeat(usize::try_from(p.completed * 40 / top).unwrap_or(0));
            table.row(vec![
                self.period.label(p.start),
                p.completed.to_string(),
                bar,
            ]);
        }
        let values: Vec<f64> = self.periods.iter().map(|p| p.completed as f64).collect();
        let word = self.period.word();
        table.notes.push(format!(
            "{} completed in {}, {:.1} per {word} on average: {}",
            self.total,
            self.range,
            self.mean,
            sparkline(&values)
        ));
        table
            .notes
            .push(format!("Trend: {}", self.trend.describe(word)));
        table
    }
}
