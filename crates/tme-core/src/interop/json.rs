//! TME's own JSON form of a task (DESIGN "JSON"), used by `--json` output, `tme export` and
//! `tme import --format json`. An export read back gives the same tasks, field for field.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::types::{AttrKind, TaskTypes};
use crate::domain::{
    Annotation, AttrValue, Category, DepKind, Duration, Priority, RecurrenceLink, RecurrenceRule,
    Status, Tag, Task, TaskId, When,
};
use crate::engine::{Incoming, TaskView};

/// A dependency as written in JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DependencyJson {
    /// The task depended on.
    pub id: u64,
    /// Its UUID.
    pub uuid: Uuid,
    /// `fs`, `ss`, `ff` or `relates`.
    pub kind: String,
}

/// The recurrence of a template (`rule`) or an instance (`template`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecurrenceJson {
    /// The rule, in `every:` form (templates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The template's id (instances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<u64>,
    /// The template's UUID (instances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_uuid: Option<Uuid>,
    /// The occurrence an instance stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<String>,
}

/// An annotation as written in JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AnnotationJson {
    /// When it was written.
    pub at: String,
    /// The note.
    pub text: String,
}

/// Time tracking that is running: since when, and what was tracked before it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TrackingJson {
    /// When the running session began.
    pub since: String,
    /// Seconds tracked before it.
    pub spent_before: u64,
}

/// A task in TME's JSON format. Absent fields are left out (and read as empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
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
    /// `pending|started|waiting|recurring|completed|deleted`.
    pub status: String,
    /// `H|M|L`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
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
    /// Time tracking, while it runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking: Option<TrackingJson>,
    /// Dependencies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends: Vec<DependencyJson>,
    /// Parent id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
    /// Parent UUID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_uuid: Option<Uuid>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressJson {
    /// Completed subtasks.
    pub done: u32,
    /// Subtasks in all (deleted ones do not count).
    pub total: u32,
}

/// An instant in RFC 3339 with the local offset, to the second (and its fraction when it
/// has one).
pub fn timestamp(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
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

/// Builds the JSON form of a task. `uuid_of` finds the UUID of a task it links to.
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
        status: view.status.as_str().to_string(),
        priority: task.priority.map(|p| p.letter().to_string()),
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
        tracking: task.tracking_since.map(|since| TrackingJson {
            since: timestamp(since, tz),
            spent_before: task.spent.as_secs(),
        }),
        depends: task
            .depends
            .iter()
            .map(|d| DependencyJson {
                id: d.on.0,
                uuid: uuid_of(d.on),
                kind: d.kind.as_str().to_string(),
            })
            .collect(),
        parent: task.parent.map(|p| p.0),
        parent_uuid: task.parent.map(&uuid_of),
        recurrence: task.recurrence.as_ref().map(|r| match r {
            RecurrenceLink::Template { rule } => RecurrenceJson {
                rule: Some(rule.to_string()),
                ..RecurrenceJson::default()
            },
            RecurrenceLink::Instance {
                template,
                occurrence,
            } => RecurrenceJson {
                rule: None,
                template: Some(template.0),
                template_uuid: Some(uuid_of(*template)),
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

/// Reads a date (`YYYY-MM-DD`, a whole day) or an RFC 3339 instant.
pub(crate) fn read_when(field: &str, text: &str) -> Result<When, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(When::Day(day));
    }
    read_instant(field, text).map(When::At)
}

/// Reads an RFC 3339 instant.
fn read_instant(field: &str, text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.to_utc())
        .map_err(|_| format!("{field}: '{text}' is not a time like 2026-12-01T09:00:00+01:00"))
}

/// Reads an attribute as its kind in the task types says, or as the JSON value says when no
/// type declares it.
fn read_attr(
    name: &str,
    value: &serde_json::Value,
    kind: Option<&AttrKind>,
) -> Result<AttrValue, String> {
    use serde_json::Value as J;
    let wrong = |kind: &AttrKind| format!("attrs.{name}: {value} is not {}", kind.expected());
    Ok(match (kind, value) {
        (Some(AttrKind::Date), J::String(s)) => AttrValue::Date(read_when(name, s)?),
        (Some(AttrKind::Duration), J::Number(n)) => n
            .as_u64()
            .map(|s| AttrValue::Duration(Duration::from_secs(s)))
            .ok_or_else(|| wrong(&AttrKind::Duration))?,
        (Some(AttrKind::Duration), J::String(s)) => Duration::parse(s)
            .map(AttrValue::Duration)
            .ok_or_else(|| wrong(&AttrKind::Duration))?,
        (Some(k @ (AttrKind::Date | AttrKind::Duration)), _) => return Err(wrong(k)),
        (Some(AttrKind::Number) | None, J::Number(n)) => n
            .as_f64()
            .filter(|n| n.is_finite())
            .map(AttrValue::Number)
            .ok_or_else(|| wrong(&AttrKind::Number))?,
        (Some(AttrKind::Bool) | None, J::Bool(b)) => AttrValue::Bool(*b),
        (Some(AttrKind::String | AttrKind::Enum(_)) | None, J::String(s)) => {
            AttrValue::Text(s.clone())
        }
        (Some(k), _) => return Err(wrong(k)),
        (None, _) => {
            return Err(format!(
                "attrs.{name}: {value} is not text, a number or yes/no"
            ));
        }
    })
}

/// The UUID of a task a record links to: the one it names, or else that of the record with the
/// id it names.
fn linked_uuid(
    field: &str,
    uuid: Option<Uuid>,
    id: Option<u64>,
    file: &HashMap<u64, Uuid>,
) -> Result<Option<Uuid>, String> {
    match (uuid.filter(|u| !u.is_nil()), id) {
        (Some(uuid), _) => Ok(Some(uuid)),
        (None, Some(id)) => {
            file.get(&id).copied().map(Some).ok_or_else(|| {
                format!("{field}: task {id} is not in the file and no uuid is given")
            })
        }
        (None, None) => Ok(None),
    }
}

/// Reads the records of a `tme export` (the text of each, or why it could not be had). A record
/// without a uuid gets a new one; links name tasks by uuid, or by the id of another record.
///
/// ```
/// let text = r#"[{"id": 1, "title": "Write paper", "category": "Research", "due": "2026-12-01"},
///               {"id": 2, "title": "Submit", "depends": [{"id": 1, "kind": "fs"}]}]"#;
/// let list: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).unwrap();
/// let texts = list.iter().map(|r| Ok(r.get())).collect();
/// let records = tme_core::interop::json::read(texts, &Default::default(), chrono::Utc::now());
/// let (first, second) = (records[0].as_ref().unwrap(), records[1].as_ref().unwrap());
/// assert_eq!(second.depends[0].0, first.task.uuid);
/// ```
pub fn read(
    records: Vec<Result<&str, String>>,
    types: &TaskTypes,
    now: DateTime<Utc>,
) -> Vec<Result<Incoming, String>> {
    let records: Vec<Result<(TaskJson, Vec<String>), String>> = records
        .into_iter()
        .map(|text| {
            let mut reader = serde_json::Deserializer::from_str(text?);
            let mut unknown = Vec::new();
            let mut note = |path: serde_ignored::Path<'_>| unknown.push(path.to_string());
            let fields = serde_ignored::Deserializer::new(&mut reader, &mut note);
            let mut record: TaskJson = serde_path_to_error::deserialize(fields)
                .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
            if record.uuid.is_nil() {
                record.uuid = Uuid::new_v4();
            }
            let left_out = unknown
                .into_iter()
                .map(|path| format!("'{path}' is not a field of TME's JSON, so it was left out"))
                .collect();
            Ok((record, left_out))
        })
        .collect();
    let file: HashMap<u64, Uuid> = records
        .iter()
        .flatten()
        .filter(|(r, _)| r.id > 0)
        .map(|(r, _)| (r.id, r.uuid))
        .collect();
    records
        .into_iter()
        .map(|r| {
            r.and_then(|(r, left_out)| {
                let mut incoming = from_json(r, &file, types, now)?;
                incoming.left_out = left_out;
                Ok(incoming)
            })
        })
        .collect()
}

/// One record of TME's JSON as a task to import.
pub(crate) fn from_json(
    json: TaskJson,
    file: &HashMap<u64, Uuid>,
    types: &TaskTypes,
    now: DateTime<Utc>,
) -> Result<Incoming, String> {
    let undated = json.created.is_empty();
    let created = match &json.created {
        c if c.is_empty() => now,
        c => read_instant("created", c)?,
    };
    let mut task = Task::new(TaskId(0), json.uuid, json.title, created);
    task.description = json.description.unwrap_or_default();
    task.category = json
        .category
        .map(|c| Category::parse(&c).map_err(|e| e.to_string()))
        .transpose()?;
    for tag in json.tags {
        task.tags
            .insert(Tag::parse(&tag).map_err(|e| format!("tag {e}"))?);
    }
    task.status = match json.status.as_str() {
        "" | "pending" | "waiting" | "recurring" => Status::Pending,
        other => {
            Status::parse(other).ok_or_else(|| format!("status '{other}' is not one TME has"))?
        }
    };
    task.priority = json
        .priority
        .map(|p| Priority::parse(&p).ok_or_else(|| format!("priority '{p}' is not H, M or L")))
        .transpose()?;
    let when = |field: &str, value: Option<String>| value.map(|v| read_when(field, &v)).transpose();
    task.due = when("due", json.due)?;
    task.scheduled = when("scheduled", json.scheduled)?;
    task.wait = when("wait", json.wait)?;
    task.until = when("until", json.until)?;
    let instant =
        |field: &str, value: Option<String>| value.map(|v| read_instant(field, &v)).transpose();
    task.modified =
        instant("modified", Some(json.modified).filter(|m| !m.is_empty()))?.unwrap_or(created);
    task.started = instant("started", json.started)?;
    task.completed = instant("completed", json.completed)?;
    if !task.status.is_open() && task.completed.is_none() {
        task.completed = Some(task.modified);
    }
    task.estimate = json.estimate.map(Duration::from_secs);
    match json.tracking {
        Some(tracking) => {
            task.spent = Duration::from_secs(tracking.spent_before);
            task.tracking_since = Some(read_instant("tracking.since", &tracking.since)?);
        }
        None => task.spent = Duration::from_secs(json.spent.unwrap_or(0)),
    }
    for note in json.annotations {
        task.annotations.push(Annotation {
            at: read_instant("annotations.at", &note.at)?,
            text: note.text,
        });
    }
    let spec = |name: &str| match json.task_type.as_deref().and_then(|t| types.get(t)) {
        Some(t) => t.attr(name),
        None => types.knows_attr(name),
    };
    for (name, value) in &json.attrs {
        let kind = spec(name).map(|s| &s.kind);
        task.attrs
            .insert(name.clone(), read_attr(name, value, kind)?);
    }
    task.task_type = json.task_type;
    let mut depends = Vec::new();
    for dep in json.depends {
        let kind = match dep.kind.as_str() {
            "" => DepKind::FinishToStart,
            k => DepKind::parse(k)
                .ok_or_else(|| format!("depends: '{k}' is not fs, ss, ff or relates"))?,
        };
        let id = Some(dep.id).filter(|id| *id > 0);
        if let Some(uuid) = linked_uuid("depends", Some(dep.uuid), id, file)? {
            depends.push((uuid, kind));
        }
    }
    let subtask_of = linked_uuid("parent", json.parent_uuid, json.parent, file)?;
    let mut template = None;
    if let Some(recurrence) = json.recurrence {
        if let Some(rule) = recurrence.rule {
            let rule = RecurrenceRule::parse(&rule).map_err(|e| format!("recurrence.rule: {e}"))?;
            task.recurrence = Some(RecurrenceLink::Template { rule });
        }
        let occurrence = recurrence
            .occurrence
            .map(|o| read_instant("recurrence.occurrence", &o))
            .transpose()?;
        template = linked_uuid(
            "recurrence.template",
            recurrence.template_uuid,
            recurrence.template,
            file,
        )?
        .map(|uuid| (uuid, occurrence));
    }
    Ok(Incoming {
        task,
        id: TaskId::from_file(json.id)?,
        depends,
        template,
        subtask_of,
        undated,
        left_out: Vec::new(),
        carried: None,
    })
}
