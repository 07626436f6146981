//! Tasks in words: the labelled facts and the history lines that `tme show` and the TUI's
//! detail pane both show.

use chrono::{DateTime, Utc};

use super::TaskManager;
use super::error::EngineError;
use super::query::TaskView;
use crate::domain::{
    FieldChange, Op, RecurrenceLink, Series, Status, Task, TaskId, TimeContext, When, ago,
    changed_fields, relative_due,
};

/// One labelled fact about a task (`Due`, `2026-12-01 (in 5d)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// What it is.
    pub label: String,
    /// Its value, in words.
    pub value: String,
}

/// How a linked task is named among another's facts: `7 Collect bills [pending]` (after its id).
pub fn link_name(view: &TaskView) -> String {
    format!("{} [{}]", view.task.title, view.status)
}

/// The facts about a task worth showing, in order; empty fields are left out. `title_of` names
/// a linked task (`7 Collect bills [pending]`), or says it is unknown.
///
/// ```
/// use chrono::Utc;
/// use std::sync::Arc;
/// use tme_core::domain::{Status, Task, TaskId, TimeContext};
/// use tme_core::engine::{facts, TaskView};
/// let time = TimeContext::new(Utc::now(), chrono_tz::UTC);
/// let task = Task::new(TaskId(1), uuid::Uuid::nil(), "Pay rent", time.now);
/// let view = TaskView { task: Arc::new(task), status: Status::Pending, urgency: 0.0, blocked: false, blocking: false, progress: None };
/// let labels: Vec<String> = facts(&view, &time, &|_| None).into_iter().map(|f| f.label).collect();
/// assert_eq!(labels[0], "Status");
/// ```
pub fn facts(
    view: &TaskView,
    time: &TimeContext,
    title_of: &dyn Fn(TaskId) -> Option<String>,
) -> Vec<Fact> {
    let task = &view.task;
    let mut out = Vec::new();
    let mut add = |label: &str, value: String| {
        if !value.is_empty() {
            out.push(Fact {
                label: label.to_string(),
                value,
            });
        }
    };
    let link = |id: TaskId| {
        title_of(id).map_or_else(|| format!("{id} (not found)"), |t| format!("{id} {t}"))
    };
    let local = |at: DateTime<Utc>| {
        format!(
            "{} ({})",
            at.with_timezone(&time.tz).format("%Y-%m-%d %H:%M"),
            ago(at, time)
        )
    };
    let mut status = view.status.to_string();
    if view.blocked {
        status.push_str(", blocked");
    }
    if view.blocking {
        status.push_str(", blocking");
    }
    add("Status", status);
    add(
        "Category",
        task.category
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    add(
        "Tags",
        task.tags
            .iter()
            .map(|t| format!("+{t}"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    add(
        "Priority",
        task.priority
            .map(|p| p.letter().to_string())
            .unwrap_or_default(),
    );
    if let Some(due) = task.due {
        add(
            "Due",
            format!("{} ({})", due.display(time.tz), relative_due(due, time).0),
        );
    }
    for (label, value) in [
        ("Scheduled", task.scheduled),
        ("Wait", task.wait),
        ("Until", task.until),
    ] {
        add(label, value.map(|w| w.display(time.tz)).unwrap_or_default());
    }
    add(
        "Estimate",
        task.estimate.map(|d| d.to_string()).unwrap_or_default(),
    );
    let spent = task.spent_at(time.now);
    let running = if task.tracking_since.is_some() {
        " (tracking now)"
    } else {
        ""
    };
    if spent.as_secs() > 0 || task.tracking_since.is_some() {
        add("Spent", format!("{spent}{running}"));
    }
    match &task.recurrence {
        Some(RecurrenceLink::Template { rule }) => {
            if let Some(Ok(series)) = Series::of_template(task, time.tz) {
                add("Repeats", series.describe());
            }
            add("Rule", format!("every:{rule}"));
        }
        Some(RecurrenceLink::Instance { template, .. }) => {
            add("Instance of", link(*template));
        }
        None => {}
    }
    for dep in &task.depends {
        add(&format!("Depends ({})", dep.kind.as_str()), link(dep.on));
    }
    if let Some(parent) = task.parent {
        add("Parent", link(parent));
    }
    if let Some(progress) = view.progress {
        add("Subtasks", format!("{progress} done"));
    }
    add("Type", task.task_type.clone().unwrap_or_default());
    for (name, value) in &task.attrs {
        add(&format!("  {name}"), value.text(time.tz));
    }
    add("Created", local(task.created));
    add("Modified", local(task.modified));
    add("Started", task.started.map(local).unwrap_or_default());
    let closed = if task.status == Status::Deleted {
        "Deleted"
    } else {
        "Completed"
    };
    add(closed, task.completed.map(local).unwrap_or_default());
    if view.status.is_work() {
        add("Urgency", format!("{:.2}", view.urgency));
    }
    add("UUID", task.uuid.to_string());
    out
}

/// One change in a task's history, with who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    /// When.
    pub at: DateTime<Utc>,
    /// What kind of change.
    pub op: Op,
    /// Who, through what (`ann via cli`).
    pub actor: String,
    /// Which fields changed (none for the task's creation).
    pub changes: Vec<FieldChange>,
}

impl HistoryItem {
    /// Its JSON, as `tme history --json` and the server give it: `at` (in zone `tz`), `op`,
    /// `actor` and `changes` (one line each).
    pub fn json(&self, tz: chrono_tz::Tz) -> HistoryJson {
        HistoryJson {
            at: crate::interop::json::timestamp(self.at, tz),
            op: self.op.as_str().to_string(),
            actor: self.actor.clone(),
            changes: self.changes.iter().map(|c| c.line()).collect(),
        }
    }
}

/// One change in a task's history as JSON.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryJson {
    /// When, in RFC 3339 with the local offset.
    pub at: String,
    /// What kind of change: `add`, `modify`, `done`, `delete`, `undo`…
    pub op: String,
    /// Who made it, through what (`ann via cli`, `ci-bot via api`).
    pub actor: String,
    /// What changed, one field a line (none for the task's creation).
    pub changes: Vec<String>,
}

/// The recurring instances a command spawned, in words: `task 7 'Pay rent' due 2026-12-31`;
/// `None` when there were none.
///
/// ```
/// use chrono::Utc;
/// use tme_core::domain::{Task, TaskId, TimeContext};
/// let time = TimeContext::new(Utc::now(), chrono_tz::UTC);
/// let task = Task::new(TaskId(7), uuid::Uuid::nil(), "Pay rent", time.now);
/// assert_eq!(tme_core::engine::spawned_words(&[task], &time).unwrap(), "task 7 'Pay rent'");
/// assert!(tme_core::engine::spawned_words(&[], &time).is_none());
/// ```
pub fn spawned_words(spawned: &[Task], time: &TimeContext) -> Option<String> {
    match spawned {
        [] => None,
        [one] => Some(match one.due {
            Some(due) => format!(
                "task {} '{}' due {}",
                one.id,
                one.title,
                due.display(time.tz)
            ),
            None => format!("task {} '{}'", one.id, one.title),
        }),
        many => {
            let ids: Vec<String> = many.iter().map(|t| t.id.to_string()).collect();
            Some(format!("tasks {}", ids.join(", ")))
        }
    }
}

/// An occurrence with its weekday: `Mon 2026-11-30`, `Thu 2026-12-31 09:30`.
fn occurrence_text(occurrence: When, time: &TimeContext) -> String {
    match occurrence {
        When::Day(day) => day.format("%a %Y-%m-%d").to_string(),
        When::At(at) => at
            .with_timezone(&time.tz)
            .format("%a %Y-%m-%d %H:%M")
            .to_string(),
    }
}

/// One character for a task's state, the same in `tme tree` and the TUI: `○` pending, `⊘`
/// blocked, `▶` started, `…` waiting, `⟳` a recurring series, `✓` done, `✗` deleted.
pub fn status_mark(view: &TaskView) -> &'static str {
    match view.status {
        Status::Completed => "✓",
        Status::Deleted => "✗",
        Status::Started => "▶",
        Status::Waiting => "…",
        Status::Recurring => "⟳",
        Status::Pending if view.blocked => "⊘",
        Status::Pending => "○",
    }
}

impl TaskManager {
    /// For a recurring template, what comes next (one fact per occurrence, the first labelled
    /// `Next`), how it has been kept (`Streak`) and its open instances (`Open`); nothing for
    /// other tasks.
    pub fn series_facts(&self, id: TaskId) -> Result<Vec<Fact>, EngineError> {
        let Some(outlook) = self.series_outlook(id, 5)? else {
            return Ok(Vec::new());
        };
        let time = self.time();
        let streak = outlook.streak;
        let mut out: Vec<Fact> = outlook
            .next
            .iter()
            .enumerate()
            .map(|(i, o)| Fact {
                label: if i == 0 { "Next".into() } else { String::new() },
                value: occurrence_text(*o, &time),
            })
            .collect();
        if out.is_empty() {
            out.push(Fact {
                label: "Next".into(),
                value: "nothing: the series has ended".into(),
            });
        }
        if streak.over > 0 {
            out.push(Fact {
                label: "Streak".into(),
                value: format!(
                    "{} in a row (best {}; {} of {} done)",
                    streak.current, streak.best, streak.done, streak.over
                ),
            });
        }
        if !outlook.open.is_empty() {
            let ids: Vec<String> = outlook.open.iter().map(ToString::to_string).collect();
            let noun = if ids.len() == 1 { "task" } else { "tasks" };
            out.push(Fact {
                label: "Open".into(),
                value: format!("{noun} {}", ids.join(", ")),
            });
        }
        Ok(out)
    }

    /// A task's history, oldest first, with who made each change and what changed.
    pub fn history_items(&self, id: TaskId) -> Result<Vec<HistoryItem>, EngineError> {
        let tz = self.time().tz;
        self.history(id)?
            .into_iter()
            .map(|entry| {
                let actor = self
                    .command(entry.command)?
                    .map(|c| c.actor)
                    .unwrap_or_default();
                let changes = match (&entry.before, &entry.after, entry.op) {
                    (Some(lost), _, Op::Conflict) => {
                        super::conflicts::in_words(lost).into_iter().collect()
                    }
                    (Some(before), Some(after), op) if op != Op::Add => {
                        changed_fields(before, after, tz)
                    }
                    _ => Vec::new(),
                };
                Ok(HistoryItem {
                    at: entry.at,
                    op: entry.op,
                    actor,
                    changes,
                })
            })
            .collect()
    }
}
