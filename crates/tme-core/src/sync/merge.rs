//! Merging by field: a change made from `base` to `mine` is applied to the task as it now
//! is (`theirs`), field by field, so that changes to different fields of one task all survive.
//! Where both changed the same field, `mine` (the later in the server's order) stands and the
//! other value is named in a [`FieldConflict`].
//!
//! The fields are those of a task's JSON, with a few kept together because they only mean
//! something together: `status` with `started` and `completed`, `spent` with `tracking`,
//! `parent` with `parent_uuid`. Tags, dependencies and annotations are sets: what one side
//! added or removed is added or removed, whatever the other did. Each attribute is a field of
//! its own. Ids are not compared (a task added offline has a provisional one); links are
//! compared by uuid.

use std::collections::BTreeSet;

use chrono::DateTime;
use serde_json::{Map, Value};

use super::wire::WireTask;

/// A field both sides set, to different values.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    /// The field (`priority`, `status`, `attrs.owner`).
    pub field: String,
    /// The value that lost (`null` when it was unset).
    pub lost: Value,
    /// The value that stands.
    pub won: Value,
    /// Whether the side that lost is the change being merged (`mine`) rather than the one it
    /// was merged onto: only so for a change to a task the other side deleted.
    pub mine_lost: bool,
}

/// What a merge gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The task with both sides' changes.
    pub task: WireTask,
    /// The fields both sides set differently.
    pub conflicts: Vec<FieldConflict>,
}

/// The fields merged as one: a name, and the keys of the task's JSON it is made of.
const UNITS: [(&str, &[&str]); 14] = [
    ("title", &["title"]),
    ("description", &["description"]),
    ("category", &["category"]),
    ("status", &["status", "started", "completed"]),
    ("priority", &["priority"]),
    ("due", &["due"]),
    ("scheduled", &["scheduled"]),
    ("wait", &["wait"]),
    ("until", &["until"]),
    ("estimate", &["estimate"]),
    ("spent", &["spent", "tracking"]),
    ("parent", &["parent_uuid", "parent"]),
    ("recurrence", &["recurrence"]),
    ("type", &["task_type"]),
];

/// The fields that are sets, each element known by the key its identity is in (the whole
/// element when none).
const SETS: [(&str, Option<&str>); 3] = [
    ("tags", None),
    ("depends", Some("uuid")),
    ("annotations", None),
];

fn get<'a>(task: &'a WireTask, key: &str) -> &'a Value {
    task.get(key).unwrap_or(&Value::Null)
}

/// A unit's value as compared: its keys' values, without ids (links are known by uuid).
fn unit_value(task: &WireTask, keys: &[&str]) -> Value {
    let mut values: Vec<Value> = keys.iter().map(|k| get(task, k).clone()).collect();
    if keys == ["parent_uuid", "parent"] {
        values.truncate(1);
    }
    if let [Value::Object(recurrence)] = values.as_mut_slice() {
        recurrence.remove("template");
    }
    match values.len() {
        1 => values.pop().unwrap_or(Value::Null),
        _ => Value::Array(values),
    }
}

fn set_unit(task: &mut WireTask, keys: &[&str], from: &WireTask) {
    for key in keys {
        match from.get(*key) {
            Some(value) if !value.is_null() => task.insert((*key).to_string(), value.clone()),
            _ => task.remove(*key),
        };
    }
}

/// An element of a set field as compared: without the id a dependency carries.
fn element_identity(element: &Value, by: Option<&str>) -> Value {
    match (by, element) {
        (Some(key), Value::Object(map)) => map.get(key).cloned().unwrap_or(Value::Null),
        _ => element.clone(),
    }
}

fn element_value(element: &Value) -> Value {
    match element {
        Value::Object(map) => {
            let mut map = map.clone();
            map.remove("id");
            Value::Object(map)
        }
        other => other.clone(),
    }
}

fn elements(task: &WireTask, key: &str) -> Vec<Value> {
    match get(task, key) {
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    }
}

/// Applies what `mine` added to and removed from a set, relative to `base`, to `theirs`.
fn merge_set(base: &[Value], mine: &[Value], theirs: &[Value], by: Option<&str>) -> Vec<Value> {
    let values = |items: &[Value]| -> Vec<Value> { items.iter().map(element_value).collect() };
    let (base_v, mine_v) = (values(base), values(mine));
    let removed: Vec<Value> = base
        .iter()
        .zip(&base_v)
        .filter(|(_, v)| !mine_v.contains(v))
        .map(|(e, _)| element_identity(e, by))
        .collect();
    let added: Vec<&Value> = mine
        .iter()
        .zip(&mine_v)
        .filter(|(_, v)| !base_v.contains(v))
        .map(|(e, _)| e)
        .collect();
    let added_ids: Vec<Value> = added.iter().map(|e| element_identity(e, by)).collect();
    let mut out: Vec<Value> = theirs
        .iter()
        .filter(|e| {
            let id = element_identity(e, by);
            !removed.contains(&id) && !added_ids.contains(&id)
        })
        .cloned()
        .collect();
    out.extend(added.into_iter().cloned());
    out
}

/// The later of two RFC 3339 instants (the first when either cannot be read).
fn later(a: &Value, b: &Value) -> Value {
    let read = |v: &Value| {
        v.as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    };
    match (read(a), read(b)) {
        (Some(x), Some(y)) if y > x => b.clone(),
        _ => a.clone(),
    }
}

/// Merges the change `base → mine` onto `theirs`. When `theirs` is `base`, the result is
/// `mine` (field for field); when `mine` is `base`, it is `theirs`.
///
/// ```
/// use serde_json::json;
/// use tme_core::sync::merge;
/// let task = |v: serde_json::Value| v.as_object().unwrap().clone();
/// let base = task(json!({"title": "Pay rent", "priority": "M"}));
/// let mine = task(json!({"title": "Pay the rent", "priority": "M"}));
/// let theirs = task(json!({"title": "Pay rent", "priority": "H"}));
/// let merged = merge(&base, &mine, &theirs);
/// assert_eq!(merged.task, task(json!({"title": "Pay the rent", "priority": "H"})));
/// assert!(merged.conflicts.is_empty());
/// ```
pub fn merge(base: &WireTask, mine: &WireTask, theirs: &WireTask) -> Merged {
    let mut task = theirs.clone();
    let mut conflicts = Vec::new();
    let mut mine_changed = BTreeSet::new();
    let mut theirs_changed = BTreeSet::new();
    let mut apply = |field: String, b: Value, m: Value, t: Value| -> bool {
        if m != b {
            mine_changed.insert(field.clone());
        }
        if t != b {
            theirs_changed.insert(field.clone());
        }
        if m == b || m == t {
            return false;
        }
        if t != b {
            conflicts.push(FieldConflict {
                field,
                lost: t,
                won: m,
                mine_lost: false,
            });
        }
        true
    };
    for (field, keys) in UNITS {
        let (b, m, t) = (
            unit_value(base, keys),
            unit_value(mine, keys),
            unit_value(theirs, keys),
        );
        // Both sides took the task to the same status (completed it twice, say): the first
        // stands, with its times; that is no conflict.
        if field == "status" && m != b && t != b && m.get(0) == t.get(0) {
            continue;
        }
        if apply(field.to_string(), b, m, t) {
            set_unit(&mut task, keys, mine);
        }
    }
    let attrs = |t: &WireTask| match get(t, "attrs") {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    let (base_attrs, mine_attrs, mut merged_attrs) = (attrs(base), attrs(mine), attrs(theirs));
    let names: BTreeSet<&String> = base_attrs.keys().chain(mine_attrs.keys()).collect();
    for name in names {
        let value = |m: &Map<String, Value>| m.get(name).cloned().unwrap_or(Value::Null);
        let (b, m) = (value(&base_attrs), value(&mine_attrs));
        if apply(format!("attrs.{name}"), b, m.clone(), value(&merged_attrs)) {
            match m {
                Value::Null => merged_attrs.remove(name),
                m => merged_attrs.insert(name.clone(), m),
            };
        }
    }
    if !merged_attrs.is_empty() || task.contains_key("attrs") {
        task.insert("attrs".into(), Value::Object(merged_attrs));
    }
    for (field, by) in SETS {
        let (b, m, t) = (
            elements(base, field),
            elements(mine, field),
            elements(theirs, field),
        );
        let merged = merge_set(&b, &m, &t, by);
        if m != b {
            mine_changed.insert(field.to_string());
        }
        if t != b {
            theirs_changed.insert(field.to_string());
        }
        if merged.is_empty() && !theirs.contains_key(field) {
            task.remove(field);
        } else {
            task.insert(field.to_string(), Value::Array(merged));
        }
    }
    if !mine_changed.is_empty() {
        match later(get(theirs, "modified"), get(mine, "modified")) {
            Value::Null => task.remove("modified"),
            stamp => task.insert("modified".into(), stamp),
        };
    }
    note_deleted_under(
        &mut conflicts,
        &mine_changed,
        &theirs_changed,
        base,
        mine,
        theirs,
    );
    Merged { task, conflicts }
}

/// A change to a task the other side deleted (or the deletion of a task the other side
/// changed) is no same-field conflict, but the side whose change now sits on a deleted task
/// is told, as a conflict of `status`.
fn note_deleted_under(
    conflicts: &mut Vec<FieldConflict>,
    mine_changed: &BTreeSet<String>,
    theirs_changed: &BTreeSet<String>,
    base: &WireTask,
    mine: &WireTask,
    theirs: &WireTask,
) {
    let status = UNITS[3].1;
    let deleted = |t: &WireTask| get(t, "status") == "deleted";
    let others = |changed: &BTreeSet<String>| changed.iter().any(|f| f != "status");
    if conflicts.iter().any(|c| c.field == "status") {
        return;
    }
    if deleted(theirs) && !deleted(base) && !mine_changed.contains("status") && others(mine_changed)
    {
        conflicts.push(FieldConflict {
            field: "status".into(),
            lost: unit_value(base, status),
            won: unit_value(theirs, status),
            mine_lost: true,
        });
    } else if deleted(mine) && !deleted(base) && others(theirs_changed) {
        conflicts.push(FieldConflict {
            field: "status".into(),
            lost: unit_value(theirs, status),
            won: unit_value(mine, status),
            mine_lost: false,
        });
    }
}

/// Sets a field (as [`FieldConflict::field`] names it) of `task` to `value`, as a unit: the
/// inverse of reading it, used to take a lost value back.
pub fn set_field(task: &mut WireTask, field: &str, value: &Value) {
    if let Some(name) = field.strip_prefix("attrs.") {
        let mut attrs = match get(task, "attrs") {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        match value {
            Value::Null => attrs.remove(name),
            v => attrs.insert(name.to_string(), v.clone()),
        };
        task.insert("attrs".into(), Value::Object(attrs));
        return;
    }
    let Some((_, keys)) = UNITS.iter().find(|(name, _)| *name == field) else {
        match value {
            Value::Null => task.remove(field),
            v => task.insert(field.to_string(), v.clone()),
        };
        return;
    };
    let values: Vec<Value> = match (keys.len(), value) {
        (1, v) => vec![v.clone()],
        (_, Value::Array(items)) => items.clone(),
        (_, v) => vec![v.clone()],
    };
    for (key, v) in keys
        .iter()
        .zip(values.into_iter().chain(std::iter::repeat(Value::Null)))
    {
        match v {
            Value::Null => task.remove(*key),
            v => task.insert((*key).to_string(), v),
        };
    }
}

/// The value of a field (as [`FieldConflict::field`] names it) of `task`.
pub fn field_value(task: &WireTask, field: &str) -> Value {
    if let Some(name) = field.strip_prefix("attrs.") {
        return match get(task, "attrs") {
            Value::Object(map) => map.get(name).cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        };
    }
    match UNITS.iter().find(|(name, _)| *name == field) {
        Some((_, keys)) => unit_value(task, keys),
        None => get(task, field).clone(),
    }
}

/// The fields (as [`FieldConflict::field`] names them) in which `a` and `b` differ.
pub fn changed_fields(a: &WireTask, b: &WireTask) -> Vec<String> {
    let mut out: Vec<String> = UNITS
        .iter()
        .filter(|(_, keys)| unit_value(a, keys) != unit_value(b, keys))
        .map(|(name, _)| (*name).to_string())
        .collect();
    for (field, _) in SETS {
        let values = |t: &WireTask| -> BTreeSet<String> {
            elements(t, field)
                .iter()
                .map(|e| element_value(e).to_string())
                .collect()
        };
        if values(a) != values(b) {
            out.push(field.to_string());
        }
    }
    let attrs = |t: &WireTask| match get(t, "attrs") {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    let (x, y) = (attrs(a), attrs(b));
    let names: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
    for name in names {
        if x.get(name) != y.get(name) {
            out.push(format!("attrs.{name}"));
        }
    }
    out
}
