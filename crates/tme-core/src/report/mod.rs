//! Reports and analytics (DESIGN §11): pure functions from tasks and a time range to the
//! numbers, independent of how they are shown. The CLI prints them as tables, CSV or JSON;
//! the TUI draws them as charts.
//!
//! Everything is worked out from each task's own timestamps (created, started, completed or
//! deleted, due) in one pass or a sort, so a million tasks take well under a second.

mod dashboard;
mod flow;
mod period;
mod recurring;
mod stats;
mod summary;
mod table;
mod throughput;
mod times;

pub use dashboard::Dashboard;
pub use flow::{Flow, FlowDay, flow};
pub use period::{Period, Range, RangeError, Window};
pub use recurring::{SeriesStats, recurring, recurring_table};
pub use stats::{Trend, percentile, sparkline, trend};
pub use summary::{
    CategoryEstimates, CategoryRow, Estimates, OldTask, Overdue, OverdueTask, Summary, estimates,
    overdue, summary,
};
pub use table::{Cell, Table};
pub use throughput::{Throughput, throughput};
pub use times::{TimeRow, Times, TimesKind, days_text, times};

use chrono::{DateTime, Utc};

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{Category, Status, Task, TaskId, TimeContext};

/// What a report needs to know about one task: a slim copy, so that a million fit in memory
/// and are walked quickly.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTask {
    /// Its id.
    pub id: TaskId,
    /// Its title; left empty for closed tasks, which no report names (a million titles
    /// would cost more to copy than everything else).
    pub title: String,
    /// Its category, as written (`Work.Backend`), if any; shared between tasks.
    pub category: Option<Arc<str>>,
    /// Its status as stored (a series' template is pending; see `template`).
    pub status: Status,
    /// When it was added.
    pub created: DateTime<Utc>,
    /// When work on it first started.
    pub started: Option<DateTime<Utc>>,
    /// When it was completed or deleted.
    pub closed: Option<DateTime<Utc>>,
    /// The instant by which it was due.
    pub deadline: Option<DateTime<Utc>>,
    /// The estimate, in seconds.
    pub estimate: Option<u64>,
    /// Time tracked with start/stop, in seconds.
    pub spent: u64,
    /// For a recurring instance: its template and occurrence.
    pub instance_of: Option<(TaskId, DateTime<Utc>)>,
    /// It is a recurring series' template (not work itself).
    pub template: bool,
}

impl ReportTask {
    /// The slim copy of a task; `names` keeps one copy of each category name.
    pub fn of(task: &Task, time: &TimeContext, names: &mut CategoryNames) -> ReportTask {
        use crate::domain::RecurrenceLink;
        let named = task.status.is_open() || task.is_template();
        ReportTask {
            id: task.id,
            title: if named {
                task.title.clone()
            } else {
                String::new()
            },
            category: task.category.as_ref().map(|c| names.name(c)),
            status: task.status,
            created: task.created,
            started: task.started,
            closed: task.completed,
            deadline: task.due.map(|d| d.deadline(time.tz)),
            estimate: task.estimate.map(|e| e.as_secs()),
            spent: task.spent.as_secs(),
            instance_of: match &task.recurrence {
                Some(RecurrenceLink::Instance {
                    template,
                    occurrence,
                }) => Some((*template, *occurrence)),
                _ => None,
            },
            template: task.is_template(),
        }
    }

    /// Completed (not deleted), and when.
    pub fn completed_at(&self) -> Option<DateTime<Utc>> {
        (self.status == Status::Completed)
            .then_some(self.closed)
            .flatten()
    }

    /// Open (pending, started or waiting) and real work (not a series' template).
    pub fn is_open_work(&self) -> bool {
        self.status.is_open() && !self.template
    }

    /// The category, or `(none)`.
    pub fn category_name(&self) -> &str {
        self.category.as_deref().unwrap_or("(none)")
    }
}

/// One shared copy of each category's name, for [`ReportTask::of`].
#[derive(Debug, Default)]
pub struct CategoryNames(HashMap<Category, Arc<str>>);

impl CategoryNames {
    /// The shared name of `category`.
    pub fn name(&mut self, category: &Category) -> Arc<str> {
        self.0
            .entry(category.clone())
            .or_insert_with(|| Arc::from(category.as_str()))
            .clone()
    }
}

/// The reports `tme report` knows, with what each shows.
pub const REPORTS: [(&str, &str); 10] = [
    (
        "summary",
        "per category: open, overdue, done in the range, average age, progress",
    ),
    (
        "throughput",
        "tasks completed per day, week or month, with the trend",
    ),
    ("leadtime", "added → completed, median and p90 per category"),
    (
        "cycletime",
        "started → completed, median and p90 per category",
    ),
    ("burndown", "open tasks at the end of each day or week"),
    (
        "flow",
        "cumulative flow: pending, started and done over time",
    ),
    (
        "overdue",
        "overdue tasks, oldest first, and the on-time rate",
    ),
    ("recurring", "recurring series: completion rate and streaks"),
    ("estimates", "estimated against tracked time, per category"),
    ("oldest", "the open tasks that have waited longest"),
];

/// One report, worked out.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// `summary`.
    Summary(Summary),
    /// `throughput`.
    Throughput(Throughput),
    /// `leadtime` or `cycletime`.
    Times(Times),
    /// `burndown`.
    Burndown(Flow),
    /// `flow`.
    Flow(Flow),
    /// `overdue`.
    Overdue(Overdue),
    /// `recurring`.
    Recurring(Range, Vec<SeriesStats>),
    /// `estimates`.
    Estimates(Estimates),
    /// `oldest`.
    Oldest(Summary),
}

/// A report name that is not one of [`REPORTS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "there is no report '{0}'; tme report --list shows them: summary, throughput, leadtime, cycletime, burndown, flow, overdue, recurring, estimates, oldest"
)]
pub struct UnknownReport(pub String);

impl Report {
    /// Works out the report called `name` over `tasks` for `range`.
    ///
    /// ```
    /// use tme_core::report::{Range, Report};
    /// let time = tme_core::domain::TimeContext::new(chrono::Utc::now(), chrono_tz::UTC);
    /// let report = Report::build("throughput", &[], Range::parse("7d").unwrap(), &time).unwrap();
    /// assert_eq!(report.table().rows.len(), 7);
    /// assert!(Report::build("velocity", &[], Range::parse("7d").unwrap(), &time).is_err());
    /// ```
    pub fn build(
        name: &str,
        tasks: &[ReportTask],
        range: Range,
        time: &TimeContext,
    ) -> Result<Report, UnknownReport> {
        Ok(match name {
            "summary" => Report::Summary(summary(tasks, range, time)),
            "throughput" => Report::Throughput(throughput(tasks, range, time)),
            "leadtime" => Report::Times(times(tasks, range, TimesKind::Lead, time)),
            "cycletime" => Report::Times(times(tasks, range, TimesKind::Cycle, time)),
            "burndown" => Report::Burndown(flow(tasks, range, time)),
            "flow" => Report::Flow(flow(tasks, range, time)),
            "overdue" => Report::Overdue(overdue(tasks, range, time)),
            "recurring" => Report::Recurring(range, recurring(tasks, range, time)),
            "estimates" => Report::Estimates(estimates(tasks, range, time)),
            "oldest" => Report::Oldest(summary(tasks, range, time)),
            other => return Err(UnknownReport(other.to_string())),
        })
    }

    /// The report as a table (for aligned text and CSV).
    pub fn table(&self) -> Table {
        match self {
            Report::Summary(s) => s.table(),
            Report::Throughput(t) => t.table(),
            Report::Times(t) => t.table(),
            Report::Burndown(f) => f.burndown_table(),
            Report::Flow(f) => f.flow_table(),
            Report::Overdue(o) => o.table(),
            Report::Recurring(range, s) => recurring_table(s, *range),
            Report::Estimates(e) => e.table(),
            Report::Oldest(s) => s.oldest_table(),
        }
    }

    /// The report as JSON: its numbers, not its table, with `range` as the days `window`
    /// covers (`{"asked": "30d", "from": …, "to": …, "days": 30}`).
    pub fn json(&self, window: &Window) -> serde_json::Value {
        let value = match self {
            Report::Summary(s) => serde_json::to_value(s),
            Report::Throughput(t) => serde_json::to_value(t),
            Report::Times(t) => serde_json::to_value(t),
            Report::Burndown(f) | Report::Flow(f) => serde_json::to_value(f),
            Report::Overdue(o) => serde_json::to_value(o),
            Report::Recurring(range, s) => {
                serde_json::to_value(serde_json::json!({"range": range.label(), "series": s}))
            }
            Report::Estimates(e) => serde_json::to_value(e),
            Report::Oldest(s) => {
                serde_json::to_value(serde_json::json!({"range": s.range, "tasks": s.oldest}))
            }
        };
        let mut value = value.unwrap_or(serde_json::Value::Null);
        // The range as days, not as the words it was asked in (`30d`).
        if let Some(range) = value.get_mut("range") {
            *range = serde_json::json!({
                "asked": window.range.label(),
                "from": window.first.to_string(),
                "to": window.last.to_string(),
                "days": (window.last - window.first).num_days() + 1,
            });
        }
        value
    }
}

#[cfg(test)]
mod tests;
