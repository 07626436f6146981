//! The urgency score that orders `tme next` and the default list.
//!
//! Each factor is a number between 0 and 1 (or a flag), multiplied by a weight from config:
//! being due (rising from two weeks before the deadline to a week after it), priority, being
//! started, being scheduled, age, blocking other work (up), being blocked (down), waiting
//! (down), the `next` tag, and having tags, a category or annotations.

use serde::{Deserialize, Serialize};

use super::rank::Rank;
use super::task::{Priority, Status, Task};
use super::when::{TimeContext, When};

/// How much each factor weighs. The defaults follow long experience with Taskwarrior's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UrgencyWeights {
    /// The task has the tag `next`.
    pub next_tag: f64,
    /// Multiplied by the due factor (0.2 two weeks out, 1.0 a week overdue).
    pub due: f64,
    /// Other open tasks wait on this one.
    pub blocking: f64,
    /// This task waits on an open task (usually negative).
    pub blocked: f64,
    /// Priority H.
    pub priority_high: f64,
    /// Priority M.
    pub priority_medium: f64,
    /// Priority L.
    pub priority_low: f64,
    /// The scheduled date has come.
    pub scheduled: f64,
    /// Time tracking is running.
    pub started: f64,
    /// Multiplied by the age in years, up to one year.
    pub age: f64,
    /// The task has annotations.
    pub annotations: f64,
    /// The task has tags.
    pub tags: f64,
    /// The task has a category.
    pub category: f64,
    /// The task is waiting (usually negative).
    pub waiting: f64,
}

impl Default for UrgencyWeights {
    fn default() -> UrgencyWeights {
        UrgencyWeights {
            next_tag: 15.0,
            due: 12.0,
            blocking: 8.0,
            blocked: -5.0,
            priority_high: 6.0,
            priority_medium: 3.9,
            priority_low: 1.8,
            scheduled: 5.0,
            started: 4.0,
            age: 2.0,
            annotations: 1.0,
            tags: 1.0,
            category: 1.0,
            waiting: -3.0,
        }
    }
}

/// What the score needs to know beyond the task: derived from the dependency graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphState {
    /// A dependency holds the task back from starting.
    pub blocked: bool,
    /// This task holds an open task back from starting.
    pub blocking: bool,
    /// How far its subtasks (at any depth) have got, if it has any.
    pub progress: Option<Progress>,
}

/// Subtasks done out of subtasks in all (deleted ones do not count), shown as `3/5`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Completed subtasks.
    pub done: u32,
    /// Subtasks in all.
    pub total: u32,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.done, self.total)
    }
}

/// How pressing the due date is: 0 without one, 0.2 two weeks or more ahead, rising linearly to
/// 1.0 at a week overdue.
fn due_factor(due: Option<When>, ctx: &TimeContext) -> f64 {
    let Some(due) = due else { return 0.0 };
    let seconds_overdue = (ctx.now - due.deadline(ctx.tz)).num_seconds() as f64;
    let days_overdue = seconds_overdue / 86_400.0;
    if days_overdue >= 7.0 {
        1.0
    } else if days_overdue >= -14.0 {
        (days_overdue + 14.0) * 0.8 / 21.0 + 0.2
    } else {
        0.2
    }
}

/// The urgency of `task` at `ctx.now`.
///
/// ```
/// use chrono::Utc;
/// use tme_core::domain::{urgency, GraphState, Priority, Task, TaskId, TimeContext, UrgencyWeights};
/// let ctx = TimeContext::new(Utc::now(), chrono_tz::UTC);
/// let mut task = Task::new(TaskId(1), uuid::Uuid::nil(), "x", ctx.now);
/// let plain = urgency(&task, &ctx, &UrgencyWeights::default(), GraphState::default());
/// task.priority = Some(Priority::High);
/// let high = urgency(&task, &ctx, &UrgencyWeights::default(), GraphState::default());
/// assert!((high - plain - 6.0).abs() < 1e-9);
/// ```
pub fn urgency(task: &Task, ctx: &TimeContext, weights: &UrgencyWeights, graph: GraphState) -> f64 {
    rank_urgency(&Rank::of(task), ctx, weights, graph)
}

/// The urgency of a task at `ctx.now` from its [`Rank`]: the same number as [`urgency`] of the
/// whole task.
pub fn rank_urgency(
    rank: &Rank,
    ctx: &TimeContext,
    weights: &UrgencyWeights,
    graph: GraphState,
) -> f64 {
    let flag = |on: bool, weight: f64| if on { weight } else { 0.0 };
    let priority = match rank.priority {
        Some(Priority::High) => weights.priority_high,
        Some(Priority::Medium) => weights.priority_medium,
        Some(Priority::Low) => weights.priority_low,
        None => 0.0,
    };
    let age_years =
        ((ctx.now - rank.created).num_seconds() as f64 / (365.0 * 86_400.0)).clamp(0.0, 1.0);
    let scheduled_now = rank.scheduled.is_some_and(|s| s.start(ctx.tz) <= ctx.now);
    let status = rank.status_at(ctx.now, ctx.tz);
    weights.due * due_factor(rank.due, ctx)
        + priority
        + weights.age * age_years
        + flag(rank.next_tag, weights.next_tag)
        + flag(graph.blocking, weights.blocking)
        + flag(graph.blocked, weights.blocked)
        + flag(scheduled_now, weights.scheduled)
        + flag(status == Status::Started, weights.started)
        + flag(status == Status::Waiting, weights.waiting)
        + flag(rank.annotated, weights.annotations)
        + flag(rank.tagged, weights.tags)
        + flag(rank.categorized, weights.category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{TaskId, When};
    use chrono::{Duration, TimeZone, Utc};
    use uuid::Uuid;

    fn ctx() -> TimeContext {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).single();
        TimeContext::new(now.unwrap_or_default(), chrono_tz::UTC)
    }

    fn score(task: &Task, graph: GraphState) -> f64 {
        urgency(task, &ctx(), &UrgencyWeights::default(), graph)
    }

    #[test]
    fn due_dates_rise_towards_and_past_the_deadline() {
        let mut task = Task::new(TaskId(1), Uuid::nil(), "x", ctx().now);
        let none = score(&task, GraphState::default());
        let mut previous = none;
        for days in [30, 14, 7, 1, 0, -3, -7] {
            task.due = Some(When::At(ctx().now + Duration::days(days)));
            let s = score(&task, GraphState::default());
            assert!(s >= previous, "due in {days}d: {s} < {previous}");
            previous = s;
        }
        assert!((previous - none - 12.0).abs() < 1e-9);
    }

    #[test]
    fn blocking_raises_and_blocked_lowers() {
        let task = Task::new(TaskId(1), Uuid::nil(), "x", ctx().now);
        let base = score(&task, GraphState::default());
        let blocking = score(
            &task,
            GraphState {
                blocking: true,
                ..GraphState::default()
            },
        );
        let blocked = score(
            &task,
            GraphState {
                blocked: true,
                ..GraphState::default()
            },
        );
        assert!((blocking - base - 8.0).abs() < 1e-9);
        assert!((blocked - base + 5.0).abs() < 1e-9);
    }

    #[test]
    fn age_counts_up_to_a_year() {
        let mut task = Task::new(TaskId(1), Uuid::nil(), "x", ctx().now);
        let fresh = score(&task, GraphState::default());
        task.created = ctx().now - Duration::days(365 * 3);
        assert!((score(&task, GraphState::default()) - fresh - 2.0).abs() < 1e-9);
    }
}
