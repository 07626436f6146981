//! Burndown and cumulative flow: how much was open, in progress and done at the end of each
//! day of a range.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::period::{Range, Window};
use super::stats::sparkline;
use super::{ReportTask, Table};
use crate::domain::{Status, TimeContext};

/// The state at the end of each day of a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    /// The range, as asked.
    pub range: String,
    /// One entry per day, oldest first.
    pub days: Vec<FlowDay>,
    /// The last day of each period, for tables: (period label, index into `days`).
    #[serde(skip)]
    pub period_ends: Vec<(String, usize)>,
}

/// The end of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowDay {
    /// The day.
    pub day: NaiveDate,
    /// Open and not started.
    pub pending: u64,
    /// Started and not closed.
    pub started: u64,
    /// Completed since the range began.
    pub done: u64,
}

impl FlowDay {
    /// Open at the end of the day (what a burndown shows).
    pub fn remaining(&self) -> u64 {
        self.pending + self.started
    }
}

/// Adds `delta` from day index `at` on, when `at` falls within `len` days.
fn mark(changes: &mut [i64], at: i64, delta: i64) {
    if let Some(slot) = usize::try_from(at.max(0))
        .ok()
        .and_then(|i| changes.get_mut(i))
    {
        *slot += delta;
    }
}

/// Pending, started and done at the end of each day of `range`, from each task's timestamps:
/// one pass over the tasks, then a running sum over the days.
pub fn flow(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Flow {
    let window = Window::new(range, tasks, time);
    let len = usize::try_from((window.last - window.first).num_days() + 1).unwrap_or(0);
    let day_of =
        |at: DateTime<Utc>| (at.with_timezone(&time.tz).date_naive() - window.first).num_days();
    let last = i64::try_from(len).unwrap_or(0) - 1;
    let (mut open, mut started, mut done) = (vec![0i64; len], vec![0i64; len], vec![0i64; len]);
    for task in tasks.iter().filter(|t| !t.template) {
        let created = day_of(task.created);
        let closed = task.closed.map(day_of);
        if created > last || closed.is_some_and(|c| c < 0) {
            continue;
        }
        mark(&mut open, created, 1);
        if let Some(c) = closed {
            mark(&mut open, c, -1);
        }
        if let Some(s) = task.started.map(day_of).filter(|s| *s <= last) {
            mark(&mut started, s.max(created), 1);
            if let Some(c) = closed {
                mark(&mut started, c.max(s), -1);
            }
        }
        if let (Status::Completed, Some(c)) = (task.status, closed)
            && c >= 0
        {
            mark(&mut done, c, 1);
        }
    }
    let (mut o, mut s, mut d) = (0i64, 0i64, 0i64);
    let mut days = Vec::with_capacity(len);
    for i in 0..len {
        o += open[i];
        s += started[i];
        d += done[i];
        let day = window.first + chrono::Duration::days(i64::try_from(i).unwrap_or(0));
        let started_now = s.clamp(0, o.max(0));
        days.push(FlowDay {
            day,
            pending: u64::try_from(o - started_now).unwrap_or(0),
            started: u64::try_from(started_now).unwrap_or(0),
            done: u64::try_from(d).unwrap_or(0),
        });
    }
    let period_ends = window
        .starts
        .iter()
        .map(|start| {
            let end = window
                .period
                .next(*start)
                .pred_opt()
                .unwrap_or(*start)
                .min(window.last);
            let index = usize::try_from((end - window.first).num_days()).unwrap_or(0);
            (
                window.period.label(*start),
                index.min(len.saturating_sub(1)),
            )
        })
        .collect();
    Flow {
        range: range.label(),
        days,
        period_ends,
    }
}

impl Flow {
    /// Open tasks at the end of each period, with a sparkline of every day.
    pub fn burndown_table(&self) -> Table {
        let mut table = Table::new(&["Period end", "Open#", "Done#"]);
        for (label, i) in &self.period_ends {
            if let Some(day) = self.days.get(*i) {
                table.row(vec![
                    label.clone(),
                    day.remaining().to_string(),
                    day.done.to_string(),
                ]);
            }
        }
        let values: Vec<f64> = self.days.iter().map(|d| d.remaining() as f64).collect();
        if let (Some(first), Some(last)) = (self.days.first(), self.days.last()) {
            table.notes.push(format!(
                "Open: {} → {} over {} ({:+}): {}",
                first.remaining(),
                last.remaining(),
                self.range,
                last.remaining() as i64 - first.remaining() as i64,
                sparkline(&values)
            ));
        }
        table
    }

    /// Pending, started and done at the end of each period.
    pub fn flow_table(&self) -> Table {
        let mut table = Table::new(&["Period end", "Pending#", "Started#", "Done#"]);
        for (label, i) in &self.period_ends {
            if let Some(day) = self.days.get(*i) {
                table.row(vec![
                    label.clone(),
                    day.pending.to_string(),
                    day.started.to_string(),
                    day.done.to_string(),
                ]);
            }
        }
        table.notes.push(format!(
            "At the end of each period of {}; done counts completions since it began.",
            self.range
        ));
        table
    }
}
