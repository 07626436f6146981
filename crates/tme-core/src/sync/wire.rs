//! What travels between a replica and the server (docs/sync.md): tasks in TME's JSON with
//! typed attributes, commands with their changes, and the push and pull bodies.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::domain::{AttrValue, Dependency, Duration, RecurrenceLink, Task, TaskId};
use crate::engine::TaskView;
use crate::interop::json::{TaskJson, from_json, read_when, task_json, when};

/// The protocol version this build speaks. A server answers a request of another version 400
/// with the versions it speaks; either side refuses what it cannot read.
pub const PROTOCOL: u32 = 1;

/// A task as it travels: TME's JSON (the form `tme export` writes) without what is worked out
/// from other tasks (`blocked`, `blocking`, `progress`, `urgency`), its stored status (never
/// `waiting` or `recurring`), times in UTC, and each date or duration attribute tagged
/// (`{"date": "2026-12-01"}`, `{"duration": 3600}`) so that it comes back as the same kind.
pub type WireTask = Map<String, Value>;

/// The keys of a task's JSON worked out from other tasks, which never travel.
const DERIVED: [&str; 4] = ["blocked", "blocking", "progress", "urgency"];

/// The travelling form of `task`; `uuid_of` finds the uuid of a task it links to.
pub fn to_wire(task: &Task, uuid_of: impl Fn(TaskId) -> Uuid) -> WireTask {
    let view = TaskView {
        task: Arc::new(task.clone()),
        status: task.status,
        urgency: 0.0,
        blocked: false,
        blocking: false,
        progress: None,
    };
    let json = task_json(&view, task.modified, chrono_tz::UTC, uuid_of);
    // A task's JSON is always an object.
    let mut map = match serde_json::to_value(json) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in DERIVED {
        map.remove(key);
    }
    // The time spent as stored: a running timer's share is worked out from `tracking`.
    match task.spent.as_secs() {
        0 => map.remove("spent"),
        secs => map.insert("spent".into(), Value::from(secs)),
    };
    let attrs: Map<String, Value> = task
        .attrs
        .iter()
        .map(|(name, value)| {
            let value = match value {
                AttrValue::Date(w) => tagged("date", Value::String(when(*w, chrono_tz::UTC))),
                AttrValue::Duration(d) => tagged("duration", Value::from(d.as_secs())),
                AttrValue::Text(t) => Value::String(t.clone()),
                AttrValue::Number(n) => {
                    serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
                }
                AttrValue::Bool(b) => Value::Bool(*b),
            };
            (name.clone(), value)
        })
        .collect();
    map.insert("attrs".into(), Value::Object(attrs));
    map
}

fn tagged(tag: &str, value: Value) -> Value {
    Value::Object(Map::from_iter([(tag.to_string(), value)]))
}

/// The uuid of a travelling task, if it has a readable one.
pub fn uuid_of_wire(task: &WireTask) -> Option<Uuid> {
    task.get("uuid")
        .and_then(Value::as_str)
        .and_then(|u| Uuid::parse_str(u).ok())
        .filter(|u| !u.is_nil())
}

/// The id a travelling task names for each task it links to (itself included), by uuid.
pub fn named_ids(task: &WireTask) -> HashMap<Uuid, TaskId> {
    let mut out = HashMap::new();
    let mut note = |uuid: Option<&Value>, id: Option<&Value>| {
        let uuid = uuid
            .and_then(Value::as_str)
            .and_then(|u| Uuid::parse_str(u).ok());
        if let (Some(uuid), Some(id)) = (uuid, id.and_then(Value::as_u64)) {
            out.insert(uuid, TaskId(id));
        }
    };
    note(task.get("uuid"), task.get("id"));
    note(task.get("parent_uuid"), task.get("parent"));
    if let Some(Value::Object(r)) = task.get("recurrence") {
        note(r.get("template_uuid"), r.get("template"));
    }
    if let Some(Value::Array(deps)) = task.get("depends") {
        for dep in deps {
            note(dep.get("uuid"), dep.get("id"));
        }
    }
    out
}

/// Reads a travelling task, checking every value as an import does; `find` gives the id of
/// a task it links to by uuid (for the task itself too), or says why there is none.
pub fn from_wire(
    wire: &WireTask,
    find: &mut dyn FnMut(Uuid) -> Result<TaskId, String>,
) -> Result<Task, String> {
    let mut fields = wire.clone();
    let attrs = match fields.remove("attrs") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(attrs)) => attrs,
        Some(other) => return Err(format!("attrs: {other} is not an object")),
    };
    let mut unknown = Vec::new();
    let json: TaskJson =
        serde_ignored::deserialize(Value::Object(fields), |path| unknown.push(path.to_string()))
            .map_err(|e| e.to_string())?;
    if let Some(path) = unknown.first() {
        return Err(format!("'{path}' is not a field of a task"));
    }
    if json.uuid.is_nil() {
        return Err("uuid: a task that travels has one".into());
    }
    if json.created.is_empty() || json.modified.is_empty() {
        return Err("created, modified: a task that travels has both".into());
    }
    let uuid = json.uuid;
    let mut incoming = from_json(json, &HashMap::new(), &Default::default(), Utc::now())?;
    let task = &mut incoming.task;
    task.id = find(uuid)?;
    for (name, value) in attrs {
        task.attrs.insert(name.clone(), attr(&name, value)?);
    }
    for (on, kind) in incoming.depends {
        let on = find(on).map_err(|e| format!("depends: {e}"))?;
        task.depends.push(Dependency { on, kind });
    }
    task.depends.sort();
    if let Some(parent) = incoming.subtask_of {
        task.parent = Some(find(parent).map_err(|e| format!("parent: {e}"))?);
    }
    if let Some((template, occurrence)) = incoming.template {
        let template = find(template).map_err(|e| format!("recurrence.template: {e}"))?;
        let occurrence =
            occurrence.ok_or("recurrence.occurrence: an instance that travels says it")?;
        task.recurrence = Some(RecurrenceLink::Instance {
            template,
            occurrence,
        });
    }
    Ok(incoming.task)
}

/// Reads one travelling attribute.
fn attr(name: &str, value: Value) -> Result<AttrValue, String> {
    let wrong = |value: &Value| format!("attrs.{name}: {value} is not an attribute's value");
    Ok(match value {
        Value::String(text) => AttrValue::Text(text),
        Value::Bool(b) => AttrValue::Bool(b),
        Value::Number(ref n) => AttrValue::Number(
            n.as_f64()
                .filter(|n| n.is_finite())
                .ok_or_else(|| wrong(&value))?,
        ),
        Value::Object(ref map) if map.len() == 1 => match map.iter().next() {
            Some((tag, Value::String(day))) if tag == "date" => {
                AttrValue::Date(read_when(&format!("attrs.{name}"), day)?)
            }
            Some((tag, Value::Number(secs))) if tag == "duration" => AttrValue::Duration(
                Duration::from_secs(secs.as_u64().ok_or_else(|| wrong(&value))?),
            ),
            _ => return Err(wrong(&value)),
        },
        other => return Err(wrong(&other)),
    })
}

/// A whole number, also when a client writes it as `7.0` (JSON does not tell them apart).
fn whole<'de, D: serde::Deserializer<'de>>(field: D) -> Result<u64, D::Error> {
    whole_number(serde_json::Number::deserialize(field)?)
}

fn whole_number<E: serde::de::Error>(number: serde_json::Number) -> Result<u64, E> {
    number
        .as_u64()
        .or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 18_446_744_073_709_551_616.0)
                .map(|f| f as u64)
        })
        .ok_or_else(|| E::custom(format!("{number} is not a whole number")))
}

/// [`whole`], or `null`.
fn whole_or_none<'de, D: serde::Deserializer<'de>>(field: D) -> Result<Option<u64>, D::Error> {
    Option::<serde_json::Number>::deserialize(field)?
        .map(whole_number)
        .transpose()
}

fn protocol<'de, D: serde::Deserializer<'de>>(field: D) -> Result<u32, D::Error> {
    use serde::de::Error;
    let n = whole(field)?;
    u32::try_from(n).map_err(|_| D::Error::custom(format!("protocol {n} is not one there is")))
}

/// What a command was, as it travels.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WireKind {
    /// A person's change.
    User,
    /// The revert of an earlier command.
    Undo,
    /// Work the engine did by itself (a recurring instance spawned).
    System,
}

/// One change of a command: a task before and after (none before an add, none after an add
/// taken back), and the journal's word for it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireChange {
    /// `add`, `modify`, `start`, `stop`, `complete`, `delete`, `annotate`, `spawn`, `revert`
    /// or (from the server) `conflict`.
    pub op: String,
    /// The task before.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<WireTask>,
    /// The task after.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<WireTask>,
}

/// A command a replica pushes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushedCommand {
    /// Its number among everything this replica ever pushed: 1, 2, 3, ... (a command pushed
    /// again under the same number is not applied twice).
    #[serde(deserialize_with = "whole")]
    pub number: u64,
    /// When it was made.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: DateTime<Utc>,
    /// Who made it, through what, on which machine (`alice via cli on laptop`).
    pub actor: String,
    /// What it was, in words.
    pub summary: String,
    /// What kind of command.
    pub kind: WireKind,
    /// For an undo: the server's number of the command it reverts, or `None` when that command
    /// was never synced (the undo then travels as the changes it made).
    #[serde(default, deserialize_with = "whole_or_none")]
    pub undoes: Option<u64>,
    /// Its changes, in the order they were made.
    pub changes: Vec<WireChange>,
}

/// `POST /api/v1/sync/push`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushBody {
    /// [`PROTOCOL`].
    #[serde(deserialize_with = "protocol")]
    pub protocol: u32,
    /// The replica's own uuid, made when it first synced.
    pub replica: Uuid,
    /// Its commands, by number.
    pub commands: Vec<PushedCommand>,
}

/// The answer to a push.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushAnswer {
    /// [`PROTOCOL`].
    pub protocol: u32,
    /// The highest number the server has applied from this replica.
    pub acknowledged: u64,
}

/// One command of the server's log, as a replica pulls it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogCommand {
    /// Its number in the server's log (the order of record).
    pub id: u64,
    /// When it was made.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: DateTime<Utc>,
    /// Who made it, through what, on which machine.
    pub actor: String,
    /// What it was, in words.
    pub summary: String,
    /// What kind of command.
    pub kind: WireKind,
    /// For an undo, the command it reverted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<u64>,
    /// The undo that reverted this command, if one has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone_by: Option<u64>,
    /// Its changes, in the order they were made.
    pub changes: Vec<LogChange>,
}

/// One change in the server's log: [`WireChange`] with the task's id.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogChange {
    /// The task's id on the server (and so on every replica).
    pub task: u64,
    /// What changed.
    pub op: String,
    /// The task before.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<WireTask>,
    /// The task after.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<WireTask>,
}

/// The answer to `GET /api/v1/sync/pull?after=N`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullAnswer {
    /// [`PROTOCOL`].
    pub protocol: u32,
    /// The newest command this answer brings the replica up to: the `after` of the next pull.
    pub cursor: u64,
    /// Every task as it is, when the replica asked from the start (`after=0`): a replica
    /// joins from the tasks as they are, not from the whole log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Object>>))]
    pub snapshot: Option<Vec<WireTask>>,
    /// The commands after `after`, oldest first (at most a page of them).
    pub commands: Vec<LogCommand>,
    /// Whether more commands follow: pull again from `cursor`.
    pub more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_whole_however_written_and_an_undo_may_name_none() {
        let read = |text: &str| serde_json::from_str::<PushedCommand>(text);
        let command = |undoes: &str| {
            format!(
                r#"{{"number": 3.0, "at": "2026-12-02T09:00:00Z", "actor": "ann via cli", "summary": "undo", "kind": "undo", "undoes": {undoes}, "changes": []}}"#
            )
        };
        let pushed = read(&command("424.0")).map_err(|e| e.to_string());
        assert_eq!(pushed.map(|c| (c.number, c.undoes)), Ok((3, Some(424))));
        let none = read(&command("null")).map_err(|e| e.to_string());
        assert_eq!(none.map(|c| c.undoes), Ok(None));
        assert!(read(&command("1.5")).is_err());
        assert!(read(&command("-1")).is_err());
    }
}
