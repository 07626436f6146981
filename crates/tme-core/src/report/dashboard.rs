//! The numbers behind the TUI's report panes, worked out together from one read of the tasks.

use super::{
    Flow, Range, ReportTask, Summary, Throughput, Times, TimesKind, flow, summary, throughput,
    times,
};
use crate::domain::TimeContext;

/// Everything the dashboard draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The range it covers.
    pub range: Range,
    /// Completions per period.
    pub throughput: Throughput,
    /// Completions on each day, for the sparkline.
    pub daily: Vec<u64>,
    /// Pending, started and done at the end of each day.
    pub flow: Flow,
    /// Lead times.
    pub lead: Times,
    /// Per-category counts and progress.
    pub summary: Summary,
}

impl Dashboard {
    /// Works out every pane over `tasks` for `range`.
    ///
    /// ```
    /// use tme_core::report::{Dashboard, Range};
    /// let time = tme_core::domain::TimeContext::new(chrono::Utc::now(), chrono_tz::UTC);
    /// let board = Dashboard::build(&[], Range::parse("7d").unwrap(), &time);
    /// assert_eq!(board.daily.len(), 7);
    /// ```
    pub fn build(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Dashboard {
        let flow = flow(tasks, range, time);
        let mut before = 0;
        let daily = flow
            .days
            .iter()
            .map(|d| {
                let today = d.done - before.min(d.done);
                before = d.done;
                today
            })
            .collect();
        Dashboard {
            range,
            throughput: throughput(tasks, range, time),
            daily,
            lead: times(tasks, range, TimesKind::Lead, time),
            summary: summary(tasks, range, time),
            flow,
        }
    }
}
