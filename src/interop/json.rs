//! TME's own JSON form of a task (DESIGN "JSON"), used by `--json` output and `tme export`.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::{AttrValue, RecurrenceLink, Task, TaskId, When};
use crate::engine::TaskView;

/// A dependency as written in JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DependencyJson {
    /// The task depended on.
    pub id: u64,
    /// Its UUID.
    pub uuid: Uuid,
    /// `fs`, `ss`, `ff` or `relates`.
    pub kind: &'static str,
}

/// The recurrence of a template (`rule`) or an instance (`template`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurrenceJson {
    /// The rule, in `every:` form (templates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The template's id (instances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<u64>,
    /// The occurrence an instance stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<String>,
}

/// An annotation as written in JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnotationJson {
    /// When it was written.
    pub at: String,
    /// The note.
    pub text: String,
}

/// A task in TME's JSON format. Absent fields are left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskJson {
    /// Numeric id.
    pub id: u64,
    /// UUID.
    pub uuid: Uuid,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `pending|started|waiting|completed|deleted`.
    pub status: &'static str,
    /// `H|M|L`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<&'static str>,
    /// Due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<String>,
    /// Wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait: Option<String>,
    /// Until.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Created.
    pub created: String,
    /// Modified.
    pub modified: String,
    /// First started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Completed or deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<String>,
    /// Estimate in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<u64>,
    /// Time spent in seconds (including a running session).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spent: Option<u64>,
    /// Dependencies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends: Vec<DependencyJson>,
    /// Parent id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
    /// Recurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<RecurrenceJson>,
    /// Annotations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<AnnotationJson>,
    /// Task type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub task_type: Option<String>,
    /// Typed attributes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, serde_json::Value>,
    /// Held back from starting by a dependency.
    pub blocked: bool,
    /// Holding an open task back from starting.
    pub blocking: bool,
    /// Subtasks done out of all, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<ProgressJson>,
    /// Urgency score.
    pub urgency: f64,
}

/// Subtasks done out of all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressJson {
    /// Completed subtasks.
    pub done: u32,
    /// Subtasks in all (deleted ones do not count).
    pub total: u32,
}

/// An instant in RFC 3339 with the local offset, to the second.
pub fn timestamp(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A day as `YYYY-MM-DD`, an instant as [`timestamp`].
pub fn when(value: When, tz: Tz) -> String {
    match value {
        When::Day(day) => day.format("%Y-%m-%d").to_string(),
        When::At(at) => timestamp(at, tz),
    }
}

fn attr(value: &AttrValue, tz: Tz) -> serde_json::Value {
    match value {
        AttrValue::Text(s) => serde_json::Value::String(s.clone()),
        AttrValue::Number(n) => serde_json::Number::from_f64(*n)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        AttrValue::Date(w) => serde_json::Value::String(when(*w, tz)),
        AttrValue::Duration(d) => serde_json::Value::from(d.as_secs()),
        AttrValue::Bool(b) => serde_json::Value::Bool(*b),
    }
}

/// Builds the JSON form of a task. `uuid_of` finds the UUID of a dependency.
pub fn task_json(
    view: &TaskView,
    now: DateTime<Utc>,
    tz: Tz,
    uuid_of: impl Fn(TaskId) -> Uuid,
) -> TaskJson {
    let task: &Task = &view.task;
    let spent = task.spent_at(now).as_secs();
    TaskJson {
        id: task.id.0,
        uuid: task.uuid,
        title: task.title.clone(),
        description: Some(task.description.clone()).filter(|d| !d.is_empty()),
        category: task.category.as_ref().map(ToString::to_string),
        tags: task.tags.iter().map(ToString::to_string).collect(),
        status: view.status.as_str(),
        priority: task.priority.map(|p| p.letter()),
        due: task.due.map(|w| when(w, tz)),
        scheduled: task.scheduled.map(|w| when(w, tz)),
        wait: task.wait.map(|w| when(w, tz)),
        until: task.until.map(|w| when(w, tz)),
        created: timestamp(task.created, tz),
        modified: timestamp(task.modified, tz),
        started: task.started.map(|t| timestamp(t, tz)),
        completed: task.completed.map(|t| timestamp(t, tz)),
        estimate: task.estimate.map(|d| d.as_secs()),
        spent: (spent > 0).then_some(spent),
        depends: task
            .depends
            .iter()
            .map(|d| DependencyJson {
                id: d.on.0,
                uuid: uuid_of(d.on),
                kind: d.kind.as_str(),
            })
            .collect(),
        parent: task.parent.map(|p| p.0),
        recurrence: task.recurrence.as_ref().map(|r| match r {
            RecurrenceLink::Template { rule } => RecurrenceJson {
                rule: Some(rule.to_string()),
                template: None,
                occurrence: None,
            },
            RecurrenceLink::Instance {
                template,
                occurrence,
            } => RecurrenceJson {
                rule: None,
                template: Some(template.0),
                occurrence: Some(timestamp(*occurrence, tz)),
            },
        }),
        annotations: task
            .annotations
            .iter()
            .map(|a| AnnotationJson {
                at: timestamp(a.at, tz),
                text: a.text.clone(),
            })
            .collect(),
        task_type: task.task_type.clone(),
        attrs: task
            .attrs
            .iter()
            .map(|(k, v)| (k.clone(), attr(v, tz)))
            .collect(),
        blocked: view.blocked,
        blocking: view.blocking,
        progress: view.progress.map(|p| ProgressJson {
            done: p.done,
            total: p.total,
        }),
        urgency: (view.urgency * 1000.0).round() / 1000.0,
    }
}
