//! The state of things: per-category counts and progress, overdue tasks and the on-time rate,
//! estimates against tracked time, and the oldest open tasks.

use std::collections::BTreeMap;

use serde::Serialize;

use super::period::{Range, Window};
use super::stats::percentile;
use super::times::{days_cell, days_text};
use super::{Cell, ReportTask, Table};
use crate::domain::TimeContext;

/// Open and done, per category, like `task summary`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The range, as asked.
    pub range: String,
    /// Open tasks (series templates not counted).
    pub open: u64,
    /// Open tasks past their due date.
    pub overdue: u64,
    /// Completed within the range.
    pub done: u64,
    /// Of the tasks completed within the range that had a due date, the share done by it.
    pub on_time_rate: Option<f64>,
    /// One row per category.
    pub categories: Vec<CategoryRow>,
    /// The open tasks that have waited longest.
    pub oldest: Vec<OldTask>,
}

/// One category's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryRow {
    /// The category, or `(none)`.
    pub category: String,
    /// Open tasks.
    pub open: u64,
    /// Open and past due.
    pub overdue: u64,
    /// Completed within the range.
    pub done: u64,
    /// Mean age of the open tasks, in days.
    pub average_age_days: f64,
    /// Completed out of completed and open, all time (0–1).
    pub complete: f64,
}

/// An open task and how long it has been waiting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OldTask {
    /// Its id.
    pub id: u64,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: Option<String>,
    /// Days since it was added.
    pub age_days: f64,
}

/// How many of the oldest open tasks a summary lists.
const OLDEST: usize = 10;

fn age_days(task: &ReportTask, time: &TimeContext) -> f64 {
    (time.now - task.created).num_seconds().max(0) as f64 / 86_400.0
}

fn is_overdue(task: &ReportTask, time: &TimeContext) -> bool {
    task.is_open_work() && task.deadline.is_some_and(|d| d <= time.now)
}

/// The on-time tally of tasks completed within the window that had a due date.
fn on_time(tasks: &[ReportTask], window: &Window, time: &TimeContext) -> (u64, u64) {
    let (mut on, mut late) = (0, 0);
    for task in tasks {
        if let (Some(done), Some(deadline)) = (task.completed_at(), task.deadline)
            && window.holds(done, time)
        {
            if done <= deadline {
                on += 1;
            } else {
                late += 1;
            }
        }
    }
    (on, late)
}

fn rate(on: u64, late: u64) -> Option<f64> {
    (on + late > 0).then(|| on as f64 / (on + late) as f64)
}

/// Per-category counts, the on-time rate and the oldest open tasks.
pub fn summary(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Summary {
    let window = Window::new(range, tasks, time);
    #[derive(Default)]
    struct Tally {
        open: u64,
        overdue: u64,
        done: u64,
        done_ever: u64,
        age: f64,
    }
    let mut by: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut oldest: Vec<&ReportTask> = Vec::new();
    for task in tasks.iter().filter(|t| !t.template) {
        let tally = by.entry(task.category_name()).or_default();
        if task.is_open_work() {
            tally.open += 1;
            tally.age += age_days(task, time);
            tally.overdue += u64::from(is_overdue(task, time));
            oldest.push(task);
        } else if let Some(done) = task.completed_at() {
            tally.done_ever += 1;
            tally.done += u64::from(window.holds(done, time));
        }
    }
    oldest.sort_by_key(|t| (t.created, t.id));
    let (on, late) = on_time(tasks, &window, time);
    let categories: Vec<CategoryRow> = by
        .into_iter()
        .filter(|(_, t)| t.open + t.done_ever > 0)
        .map(|(name, t)| CategoryRow {
            category: name.to_string(),
            open: t.open,
            overdue: t.overdue,
            done: t.done,
            average_age_days: if t.open > 0 {
                t.age / t.open as f64
            } else {
                0.0
            },
            complete: t.done_ever as f64 / (t.done_ever + t.open).max(1) as f64,
        })
        .collect();
    Summary {
        range: range.label(),
        open: categories.iter().map(|c| c.open).sum(),
        overdue: categories.iter().map(|c| c.overdue).sum(),
        done: categories.iter().map(|c| c.done).sum(),
        on_time_rate: rate(on, late),
        categories,
        oldest: oldest
            .into_iter()
            .take(OLDEST)
            .map(|t| OldTask {
                id: t.id.0,
                title: t.title.clone(),
                category: t.category.as_deref().map(str::to_string),
                age_days: age_days(t, time),
            })
            .collect(),
    }
}

/// A progress bar of `width` cells: `████░░░░`.
fn bar(share: f64, width: usize) -> String {
    let full = ((share.clamp(0.0, 1.0)) * width as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(full),
        "░".repeat(width - full.min(width))
    )
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".into(), |s| format!("{:.0}%", s * 100.0))
}

impl Summary {
    /// The categories as a table, with the totals after it.
    pub fn table(&self) -> Table {
        let mut table = Table::new(&[
            "Category",
            "Open#",
            "Overdue#",
            "Done#",
            "Avg age#days",
            "Complete#share",
            "",
        ]);
        for c in &self.categories {
            table.row(vec![
                Cell::from(c.category.clone()),
                Cell::from(c.open.to_string()),
                Cell::from(c.overdue.to_string()),
                Cell::from(c.done.to_string()),
                if c.open > 0 {
                    days_cell(c.average_age_days)
                } else {
                    Cell::shown("–", "")
                },
                Cell::shown(percent(Some(c.complete)), format!("{:.3}", c.complete)),
                Cell::from(bar(c.complete, 20)),
            ]);
        }
        table.notes.push(format!(
            "{} open, {} overdue, {} done in {}; on time: {}",
            self.open,
            self.overdue,
            self.done,
            self.range,
            percent(self.on_time_rate)
        ));
        table
    }

    /// The oldest open tasks as a table.
    pub fn oldest_table(&self) -> Table {
        let mut table = Table::new(&["ID#", "Age#days", "Category", "Title"]);
        for t in &self.oldest {
            table.row(vec![
                Cell::from(t.id.to_string()),
                days_cell(t.age_days),
                Cell::from(t.category.clone().unwrap_or_default()),
                Cell::from(t.title.clone()),
            ]);
        }
        table
    }
}

/// Overdue tasks and how often things are done on time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    /// The range the on-time rate covers.
    pub range: String,
    /// Open tasks past due, most overdue first.
    pub tasks: Vec<OverdueTask>,
    /// Tasks completed in the range by their due date.
    pub on_time: u64,
    /// Tasks completed in the range after it.
    pub late: u64,
    /// `on_time` out of both.
    pub on_time_rate: Option<f64>,
    /// The median lateness of the late ones, in days.
    pub median_days_late: Option<f64>,
}

/// An overdue task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueTask {
    /// Its id.
    pub id: u64,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: Option<String>,
    /// Days past due.
    pub days_late: f64,
}

/// Open tasks past due, and the on-time rate of those completed within `range`.
pub fn overdue(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Overdue {
    let window = Window::new(range, tasks, time);
    let mut late_days: Vec<f64> = tasks
        .iter()
        .filter_map(|t| {
            let (done, deadline) = (t.completed_at()?, t.deadline?);
            (window.holds(done, time) && done > deadline)
                .then(|| (done - deadline).num_seconds() as f64 / 86_400.0)
        })
        .collect();
    let mut list: Vec<OverdueTask> = tasks
        .iter()
        .filter(|t| is_overdue(t, time))
        .filter_map(|t| {
            Some(OverdueTask {
                id: t.id.0,
                title: t.title.clone(),
                category: t.category.as_deref().map(str::to_string),
                days_late: (time.now - t.deadline?).num_seconds() as f64 / 86_400.0,
            })
        })
        .collect();
    list.sort_by(|a, b| b.days_late.total_cmp(&a.days_late).then(a.id.cmp(&b.id)));
    let (on, late) = on_time(tasks, &window, time);
    Overdue {
        range: range.label(),
        tasks: list,
        on_time: on,
        late,
        on_time_rate: rate(on, late),
        median_days_late: percentile(&mut late_days, 50.0),
    }
}

impl Overdue {
    /// The overdue tasks as a table, the on-time rate after it.
    pub fn table(&self) -> Table {
        let mut table = Table::new(&["ID#", "Late#days", "Category", "Title"]);
        for t in &self.tasks {
            table.row(vec![
                Cell::from(t.id.to_string()),
                days_cell(t.days_late),
                Cell::from(t.category.clone().unwrap_or_default()),
                Cell::from(t.title.clone()),
            ]);
        }
        table.notes.push(format!(
            "{} overdue. In {}: {} done on time, {} late ({} on time{})",
            self.tasks.len(),
            self.range,
            self.on_time,
            self.late,
            percent(self.on_time_rate),
            self.median_days_late
                .map(|d| format!("; late by {} at the median", days_text(d)))
                .unwrap_or_default()
        ));
        table
    }
}

/// Estimated against tracked time, per category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimates {
    /// The range, as asked.
    pub range: String,
    /// One row per category.
    pub categories: Vec<CategoryEstimates>,
    /// All categories together.
    pub all: CategoryEstimates,
}

/// Estimates against actuals for one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryEstimates {
    /// The category, `(none)` or `All`.
    pub category: String,
    /// Tasks completed in the range with both an estimate and tracked time.
    pub tasks: u64,
    /// Their estimates, in hours.
    pub estimated_hours: f64,
    /// Their tracked time, in hours.
    pub actual_hours: f64,
    /// Actual over estimated (above 1: took longer than thought).
    pub ratio: Option<f64>,
}

fn estimates_row(category: String, pairs: &[(u64, u64)]) -> CategoryEstimates {
    let estimated: u64 = pairs.iter().map(|p| p.0).sum();
    let actual: u64 = pairs.iter().map(|p| p.1).sum();
    CategoryEstimates {
        category,
        tasks: pairs.len() as u64,
        estimated_hours: estimated as f64 / 3600.0,
        actual_hours: actual as f64 / 3600.0,
        ratio: (estimated > 0).then(|| actual as f64 / estimated as f64),
    }
}

/// Estimates against time tracked, for tasks completed within `range` that have both.
pub fn estimates(tasks: &[ReportTask], range: Range, time: &TimeContext) -> Estimates {
    let window = Window::new(range, tasks, time);
    let mut by: BTreeMap<&str, Vec<(u64, u64)>> = BTreeMap::new();
    let mut all = Vec::new();
    for task in tasks {
        let Some(done) = task.completed_at() else {
            continue;
        };
        let Some(estimate) = task.estimate.filter(|e| *e > 0) else {
            continue;
        };
        if task.spent == 0 || !window.holds(done, time) {
            continue;
        }
        by.entry(task.category_name())
            .or_default()
            .push((estimate, task.spent));
        all.push((estimate, task.spent));
    }
    Estimates {
        range: range.label(),
        categories: by
            .into_iter()
            .map(|(c, pairs)| estimates_row(c.to_string(), &pairs))
            .collect(),
        all: estimates_row("All".into(), &all),
    }
}

impl Estimates {
    /// The rows as a table.
    pub fn table(&self) -> Table {
        let mut table = Table::new(&[
            "Category",
            "Tasks#",
            "Estimated#hours",
            "Actual#hours",
            "Actual/est#",
        ]);
        for c in self
            .categories
            .iter()
            .chain(std::iter::once(&self.all).filter(|a| a.tasks > 0))
        {
            table.row(vec![
                Cell::from(c.category.clone()),
                Cell::from(c.tasks.to_string()),
                Cell::shown(
                    format!("{:.1}h", c.estimated_hours),
                    format!("{:.1}", c.estimated_hours),
                ),
                Cell::shown(
                    format!("{:.1}h", c.actual_hours),
                    format!("{:.1}", c.actual_hours),
                ),
                c.ratio
                    .map_or_else(|| Cell::shown("–", ""), |r| Cell::from(format!("{r:.2}"))),
            ]);
        }
        table.notes.push(format!(
            "Tasks completed in {} with an estimate and time tracked (tme start/stop).",
            self.range
        ));
        table
    }
}
