//! Tasks in Taskwarrior's JSON (the format of `task export` and of hook scripts), so that
//! hooks written for Taskwarrior work unchanged and tasks move between the two.
//!
//! | Taskwarrior | TME |
//! |---|---|
//! | `description` | title |
//! | `project` | category |
//! | `tags`, `priority` (H/M/L) | tags, priority |
//! | `entry`, `modified`, `start`, `end` | created, modified, started (while started), completed |
//! | `due`, `scheduled`, `wait`, `until` | the same (`20261201T090000Z`) |
//! | `depends` (array, or a comma string from 2.6) | finish-to-start dependencies, by uuid |
//! | `annotations` (`entry`, `description`) | notes |
//! | `status` | pending, completed, deleted, waiting, recurring |
//! | `tme_description`, `tme_type`, `tme_estimate`, `tme_spent` (seconds), `tme_started` | what Taskwarrior has no field for, kept as UDAs (Taskwarrior keeps them) |
//! | `tme_depends` (`uuid:ss,uuid:ff`), `tme_occurrence` | a dependency's kind other than finish-to-start, an instance's occurrence |
//! | any other key (a UDA, and Taskwarrior's `mask`, `imask`, `rtype`) | an attribute, written back |

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use crate::domain::{Annotation, AttrValue, Category, Priority, Status, Tag, Task, When};
use crate::engine::Incoming;

/// Keys that are Taskwarrior's own or TME's fields, never attributes.
const KNOWN: [&str; 28] = [
    "id",
    "uuid",
    "description",
    "project",
    "tags",
    "priority",
    "entry",
    "modified",
    "start",
    "end",
    "due",
    "scheduled",
    "wait",
    "until",
    "depends",
    "annotations",
    "status",
    "urgency",
    "recur",
    "parent",
    "tme_parent",
    "tme_description",
    "tme_type",
    "tme_estimate",
    "tme_spent",
    "tme_started",
    "tme_depends",
    "tme_occurrence",
];

/// An instant in UTC as Taskwarrior and iCalendar write it: `20261201T090000Z`.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Reads `20261201T090000Z` (or RFC 3339).
pub fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|n| n.and_utc())
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
}

fn when_stamp(when: When, tz: Tz) -> String {
    stamp(when.start(tz))
}

/// A task in Taskwarrior's JSON. `uuid_of` gives the uuid of a task it links to (a dependency,
/// its template as `parent`, its parent as TME's own `tme_parent`); links it cannot name are
/// left out.
pub fn to_taskwarrior(
    task: &Task,
    tz: Tz,
    uuid_of: &dyn Fn(crate::domain::TaskId) -> Option<uuid::Uuid>,
) -> Value {
    let status = match task.status {
        Status::Completed => "completed",
        Status::Deleted => "deleted",
        _ if task.is_template() => "recurring",
        Status::Waiting => "waiting",
        _ if task.wait.is_some_and(|w| w.start(tz) > task.modified) => "waiting",
        _ => "pending",
    };
    let mut object = Map::new();
    object.insert("id".into(), json!(task.id.0));
    object.insert("uuid".into(), json!(task.uuid.to_string()));
    object.insert("description".into(), json!(task.title));
    object.insert("status".into(), json!(status));
    object.insert("entry".into(), json!(stamp(task.created)));
    object.insert("modified".into(), json!(stamp(task.modified)));
    if let Some(c) = &task.category {
        object.insert("project".into(), json!(c.as_str()));
    }
    if !task.tags.is_empty() {
        let tags: Vec<&str> = task.tags.iter().map(Tag::as_str).collect();
        object.insert("tags".into(), json!(tags));
    }
    if let Some(p) = task.priority {
        object.insert("priority".into(), json!(p.letter()));
    }
    for (key, value) in [
        ("due", task.due),
        ("scheduled", task.scheduled),
        ("wait", task.wait),
        ("until", task.until),
    ] {
        if let Some(w) = value {
            object.insert(key.into(), json!(when_stamp(w, tz)));
        }
    }
    let start = match task.status {
        Status::Started => task.tracking_since.or(task.started),
        _ => None,
    };
    if let Some(since) = start {
        object.insert("start".into(), json!(stamp(since)));
    }
    if let Some(started) = task.started.filter(|s| Some(*s) != start) {
        object.insert("tme_started".into(), json!(stamp(started)));
    }
    if !task.description.is_empty() {
        object.insert("tme_description".into(), json!(task.description));
    }
    if let Some(kind) = &task.task_type {
        object.insert("tme_type".into(), json!(kind));
    }
    if let Some(estimate) = task.estimate {
        object.insert("tme_estimate".into(), json!(estimate.as_secs()));
    }
    if task.spent > crate::domain::Duration::ZERO {
        object.insert("tme_spent".into(), json!(task.spent.as_secs()));
    }
    if let Some(end) = task.completed {
        object.insert("end".into(), json!(stamp(end)));
    }
    let depends: Vec<String> = task
        .depends
        .iter()
        .filter_map(|d| uuid_of(d.on).map(|u| u.to_string()))
        .collect();
    if !depends.is_empty() {
        object.insert("depends".into(), json!(depends));
    }
    let kinds: Vec<String> = task
        .depends
        .iter()
        .filter(|d| d.kind != crate::domain::DepKind::FinishToStart)
        .filter_map(|d| uuid_of(d.on).map(|u| format!("{u}:{}", d.kind.as_str())))
        .collect();
    if !kinds.is_empty() {
        object.insert("tme_depends".into(), json!(kinds.join(",")));
    }
    match &task.recurrence {
        Some(crate::domain::RecurrenceLink::Template { rule }) => {
            object.insert("recur".into(), json!(rule.to_string()));
        }
        Some(crate::domain::RecurrenceLink::Instance {
            template,
            occurrence,
        }) => {
            if let Some(uuid) = uuid_of(*template) {
                object.insert("parent".into(), json!(uuid.to_string()));
                object.insert("tme_occurrence".into(), json!(stamp(*occurrence)));
            }
        }
        None => {}
    }
    if let Some(uuid) = task.parent.and_then(uuid_of) {
        object.insert("tme_parent".into(), json!(uuid.to_string()));
    }
    if !task.annotations.is_empty() {
        let notes: Vec<Value> = task
            .annotations
            .iter()
            .map(|a| json!({"entry": stamp(a.at), "description": a.text}))
            .collect();
        object.insert("annotations".into(), json!(notes));
    }
    for (name, value) in &task.attrs {
        if KNOWN.contains(&name.as_str()) {
            continue;
        }
        let value = match value {
            AttrValue::Text(t) => json!(t),
            // Whole numbers go out as integers: Taskwarrior reads `imask` as one.
            AttrValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => json!(*n as i64),
            AttrValue::Number(n) => json!(n),
            AttrValue::Date(w) => json!(when_stamp(*w, tz)),
            AttrValue::Duration(d) => json!(format!("PT{}S", d.as_secs())),
            AttrValue::Bool(b) => json!(if *b { "yes" } else { "no" }),
        };
        object.insert(name.clone(), value);
    }
    Value::Object(object)
}

/// Why a task in Taskwarrior's JSON could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TaskwarriorError(pub String);

/// Applies what a Taskwarrior JSON object says to `task` (the fields a hook may change: title,
/// project, tags, priority, dates, annotations, attributes, and TME's description, type,
/// estimate and time spent when given). The uuid must be the task's. What it had to leave out
/// (an attribute that is a list, a tag that is not text) comes back, each said in a line.
pub fn apply_taskwarrior(
    task: &mut Task,
    value: &Value,
    tz: Tz,
) -> Result<Vec<String>, TaskwarriorError> {
    let bad = |m: String| TaskwarriorError(m);
    let mut left_out = Vec::new();
    let object = value
        .as_object()
        .ok_or_else(|| bad("not a JSON object".into()))?;
    let uuid = object
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if uuid != task.uuid.to_string() {
        return Err(bad(format!(
            "the task came back with uuid '{uuid}', not {}",
            task.uuid
        )));
    }
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    if let Some(title) = text("description") {
        task.title = title.to_string();
    }
    task.category = match text("project") {
        Some(p) => Some(Category::parse(p).map_err(|e| bad(format!("project {e}")))?),
        None => None,
    };
    let tag = |t: &str| Tag::parse(t).map_err(|e| bad(format!("tag {e}")));
    task.tags = Default::default();
    match object.get("tags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(tags)) => {
            for value in tags {
                match value {
                    Value::String(t) => {
                        task.tags.insert(tag(t)?);
                    }
                    other => left_out.push(format!("tags: {other} is not a tag name")),
                }
            }
        }
        // Taskwarrior writes a list; a hand-made file may give `"a,b"` or `"a b"`.
        Some(Value::String(list)) => {
            for t in list.split([',', ' ']).filter(|t| !t.is_empty()) {
                task.tags.insert(tag(t)?);
            }
        }
        Some(other) => left_out.push(format!("tags: {other} is not a list of tag names")),
    }
    task.priority = match text("priority") {
        None | Some("") => None,
        Some(p) => Some(
            Priority::parse(p).ok_or_else(|| bad(format!("priority '{p}' is not H, M or L")))?,
        ),
    };
    let date = |key: &str| -> Result<Option<When>, TaskwarriorError> {
        match text(key) {
            None => Ok(None),
            Some(s) => parse_stamp(s)
                .map(|at| Some(day_or_moment(at, tz)))
                .ok_or_else(|| bad(format!("{key}: '{s}' is not a date like 20261201T090000Z"))),
        }
    };
    task.due = date("due")?;
    task.scheduled = date("scheduled")?;
    task.wait = date("wait")?;
    task.until = date("until")?;
    if let Some(description) = text("tme_description") {
        task.description = description.to_string();
    }
    if let Some(kind) = text("tme_type") {
        task.task_type = Some(kind.to_string());
    }
    let seconds = |key: &str| match object.get(key) {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .map(|s| Some(crate::domain::Duration::from_secs(s)))
            .ok_or_else(|| bad(format!("{key}: {value} is not a whole number of seconds"))),
    };
    if let Some(estimate) = seconds("tme_estimate")? {
        task.estimate = Some(estimate);
    }
    if let Some(spent) = seconds("tme_spent")? {
        task.spent = spent;
    }
    match object.get("annotations") {
        None | Some(Value::Null) => {}
        Some(Value::Array(notes)) => {
            task.annotations = notes
                .iter()
                .map(|n| {
                    Some(Annotation {
                        at: parse_stamp(n.get("entry")?.as_str()?)?,
                        text: n.get("description")?.as_str()?.to_string(),
                    })
                })
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    bad("annotations: each needs an entry date and a description".into())
                })?;
        }
        Some(_) => return Err(bad("annotations: not a list of notes".into())),
    }
    for (key, value) in object {
        if KNOWN.contains(&key.as_str()) {
            continue;
        }
        let attr = match value {
            Value::String(s) => AttrValue::Text(s.clone()),
            Value::Number(n) => AttrValue::Number(n.as_f64().unwrap_or(0.0)),
            Value::Bool(b) => AttrValue::Bool(*b),
            Value::Null => continue,
            Value::Array(_) | Value::Object(_) => {
                left_out.push(format!(
                    "{key}: an attribute holds text, a number or yes/no, not {value}"
                ));
                continue;
            }
        };
        // A typed attribute keeps its kind when the hook sends back what it was given.
        let same = task.attrs.get(key).is_some_and(|old| match old {
            AttrValue::Date(w) => attr == AttrValue::Text(when_stamp(*w, tz)),
            AttrValue::Duration(d) => attr == AttrValue::Text(format!("PT{}S", d.as_secs())),
            AttrValue::Bool(b) => attr == AttrValue::Text(if *b { "yes" } else { "no" }.into()),
            other => *other == attr,
        });
        if !same {
            task.attrs.insert(key.clone(), attr);
        }
    }
    Ok(left_out)
}

/// The attributes of a task as they come back from Taskwarrior's JSON: TME's own field names
/// are not attributes there, and a moment at local midnight is read as that whole day.
pub fn attrs_carried(
    attrs: &std::collections::BTreeMap<String, AttrValue>,
    tz: Tz,
) -> std::collections::BTreeMap<String, AttrValue> {
    attrs
        .iter()
        .filter(|(name, _)| !KNOWN.contains(&name.as_str()))
        .map(|(name, value)| {
            let value = match value {
                AttrValue::Date(w) => AttrValue::Date(when_carried(*w, tz)),
                other => other.clone(),
            };
            (name.clone(), value)
        })
        .collect()
}

/// A day or moment as it comes back from Taskwarrior's JSON: to the second, and a moment at
/// local midnight as that whole day.
pub fn when_carried(when: When, tz: Tz) -> When {
    match when {
        When::At(at) => day_or_moment(chrono::SubsecRound::trunc_subsecs(at, 0), tz),
        day => day,
    }
}

/// Reads the attributes a task's type declares as their kind: Taskwarrior's JSON writes dates,
/// durations and yes/no as text.
pub fn typed_attrs(task: &mut Task, types: &crate::domain::types::TaskTypes, tz: Tz) {
    let kinds = task.task_type.as_deref().and_then(|t| types.get(t));
    for (name, value) in &mut task.attrs {
        let AttrValue::Text(text) = value else {
            continue;
        };
        let spec = match kinds {
            Some(kind) => kind.attr(name),
            None => types.knows_attr(name),
        };
        let typed = match spec.map(|s| &s.kind) {
            Some(crate::domain::types::AttrKind::Date) => {
                parse_stamp(text).map(|at| AttrValue::Date(day_or_moment(at, tz)))
            }
            Some(crate::domain::types::AttrKind::Duration) => {
                crate::domain::Duration::parse(text).map(AttrValue::Duration)
            }
            Some(crate::domain::types::AttrKind::Bool) => match text.as_str() {
                "yes" => Some(AttrValue::Bool(true)),
                "no" => Some(AttrValue::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        if let Some(typed) = typed {
            *value = typed;
        }
    }
}

/// A Taskwarrior instant as TME stores it: local midnight means the whole day.
fn day_or_moment(at: DateTime<Utc>, tz: Tz) -> When {
    let local = tz.from_utc_datetime(&at.naive_utc());
    if local.time() == chrono::NaiveTime::MIN {
        When::Day(local.date_naive())
    } else {
        When::At(at)
    }
}

/// Taskwarrior's `recur` in TME's `every:` words: `weekly`, `3wks` → `3w`, `P1M` → `1m`.
pub fn recur_rule(recur: &str) -> Option<crate::domain::RecurrenceRule> {
    let lower = recur.trim().to_lowercase();
    let words = match lower.as_str() {
        "biweekly" | "fortnight" => "2w".to_string(),
        "bimonthly" => "2m".to_string(),
        "annual" | "annually" => "yearly".to_string(),
        "weekdays" => "weekday".to_string(),
        other => {
            let iso = other.strip_prefix('p').map(|rest| rest.replace('t', ""));
            let text = iso.unwrap_or_else(|| other.to_string());
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            let unit: String = text[digits.len()..].chars().collect();
            let unit = match unit.as_str() {
                "d" | "day" | "days" => "d",
                "w" | "wk" | "wks" | "week" | "weeks" => "w",
                "m" | "mo" | "mos" | "month" | "months" => "m",
                "y" | "yr" | "yrs" | "year" | "years" => "y",
                "q" | "qtr" | "qtrs" | "quarter" | "quarters" => "q",
                _ => "",
            };
            match (digits.is_empty(), unit) {
                (false, "q") => format!("{}m", digits.parse::<u32>().ok()? * 3),
                (false, u) if !u.is_empty() => format!("{digits}{u}"),
                _ => text,
            }
        }
    };
    crate::domain::RecurrenceRule::parse(&words).ok()
}

/// Reads one task of `task export`'s JSON; one without an `entry` was made `now` (the import).
pub fn from_taskwarrior(
    value: &Value,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Incoming, TaskwarriorError> {
    let bad = |m: String| TaskwarriorError(m);
    let object = value
        .as_object()
        .ok_or_else(|| bad("not a JSON object".into()))?;
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let uuid = text("uuid")
        .and_then(|u| uuid::Uuid::parse_str(u).ok())
        .ok_or_else(|| bad("it has no valid uuid".into()))?;
    let description = text("description").unwrap_or_default();
    if description.trim().is_empty() {
        return Err(bad(format!("task {uuid} has no description")));
    }
    let stamp_of = |key: &str| -> Result<Option<DateTime<Utc>>, TaskwarriorError> {
        match text(key) {
            None => Ok(None),
            Some(s) => parse_stamp(s)
                .map(Some)
                .ok_or_else(|| bad(format!("{key}: '{s}' is not a date like 20261201T090000Z"))),
        }
    };
    let undated = text("entry").is_none();
    let entry = stamp_of("entry")?.unwrap_or(now);
    let mut task = Task::new(crate::domain::TaskId(0), uuid, description, entry);
    let mut left_out = apply_taskwarrior(&mut task, value, tz)?;
    task.modified = stamp_of("modified")?.unwrap_or(entry);
    let end = stamp_of("end")?;
    task.status = match text("status").unwrap_or("pending") {
        "pending" | "waiting" => Status::Pending,
        "completed" => Status::Completed,
        "deleted" => Status::Deleted,
        "recurring" => Status::Pending,
        other => return Err(bad(format!("status '{other}' is not one Taskwarrior has"))),
    };
    if matches!(task.status, Status::Completed | Status::Deleted) {
        task.completed = Some(end.unwrap_or(task.modified));
    }
    let start = stamp_of("start")?;
    task.started = stamp_of("tme_started")?.or(start);
    if let Some(start) = start.filter(|_| task.status == Status::Pending) {
        task.status = Status::Started;
        task.tracking_since = Some(start);
    }
    if text("status") == Some("recurring") || (text("recur").is_some() && text("parent").is_none())
    {
        let recur = text("recur").unwrap_or_default();
        let rule = recur_rule(recur)
            .ok_or_else(|| bad(format!("recur '{recur}' is not a rule TME knows")))?;
        task.recurrence = Some(crate::domain::RecurrenceLink::Template { rule });
    }
    let depends: Vec<String> = match object.get("depends") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|d| match d {
                Value::String(d) => Some(d.clone()),
                other => {
                    left_out.push(format!("depends: {other} is not a uuid"));
                    None
                }
            })
            .collect(),
        Some(Value::String(s)) => s.split(',').map(|p| p.trim().to_string()).collect(),
        Some(other) => {
            left_out.push(format!("depends: {other} is not a list of uuids"));
            Vec::new()
        }
    };
    let kinds = dependency_kinds(text("tme_depends").unwrap_or_default()).map_err(bad)?;
    let depends = depends
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| {
            let uuid = uuid::Uuid::parse_str(d)
                .map_err(|_| bad(format!("depends: '{d}' is not a uuid")))?;
            let kind = kinds
                .get(&uuid)
                .copied()
                .unwrap_or(crate::domain::DepKind::FinishToStart);
            Ok((uuid, kind))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let template = match text("parent") {
        Some(p) => Some((
            uuid::Uuid::parse_str(p).map_err(|_| bad(format!("parent: '{p}' is not a uuid")))?,
            stamp_of("tme_occurrence")?,
        )),
        None => None,
    };
    let subtask_of = match text("tme_parent") {
        Some(p) => Some(
            uuid::Uuid::parse_str(p)
                .map_err(|_| bad(format!("tme_parent: '{p}' is not a uuid")))?,
        ),
        None => None,
    };
    let id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(id) => match id.as_u64() {
            Some(id) => crate::domain::TaskId::from_file(id).map_err(bad)?,
            None => {
                left_out.push(format!(
                    "id: {id} is not a task id, so the task gets a new one"
                ));
                None
            }
        },
    };
    Ok(Incoming {
        task,
        id,
        depends,
        template,
        subtask_of,
        undated,
        left_out,
        carried: None,
    })
}

/// Reads `tme_depends`: `uuid:kind` pairs for the dependencies that are not finish-to-start.
fn dependency_kinds(
    text: &str,
) -> Result<std::collections::HashMap<uuid::Uuid, crate::domain::DepKind>, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let wrong = || format!("tme_depends: '{pair}' is not a uuid and a kind (uuid:ss)");
            let (uuid, kind) = pair.trim().rsplit_once(':').ok_or_else(wrong)?;
            let uuid = uuid::Uuid::parse_str(uuid).map_err(|_| wrong())?;
            let kind = crate::domain::DepKind::parse(kind).ok_or_else(wrong)?;
            Ok((uuid, kind))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TaskId;

    #[test]
    fn a_task_goes_to_taskwarrior_and_back_unchanged() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
            .single()
            .unwrap_or_default();
        let tz = chrono_tz::Europe::Berlin;
        let mut task = Task::new(TaskId(3), uuid::Uuid::new_v4(), "Pay rent", now);
        task.category = Category::parse("Finance.Home").ok();
        task.tags = ["bills", "home"]
            .iter()
            .filter_map(|t| Tag::parse(t).ok())
            .collect();
        task.priority = Some(Priority::High);
        task.due = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).map(When::Day);
        task.scheduled = Some(When::At(now));
        task.annotations.push(Annotation {
            at: now,
            text: "landlord changed bank".into(),
        });
        task.attrs.insert("samples".into(), AttrValue::Number(30.0));
        task.attrs
            .insert("note".into(), AttrValue::Text("x".into()));
        let value = to_taskwarrior(&task, tz, &|_| None);
        assert_eq!(value["description"], "Pay rent");
        assert_eq!(value["project"], "Finance.Home");
        assert_eq!(value["due"], "20261129T230000Z", "Berlin midnight in UTC");
        assert_eq!(value["entry"], "20261126T080000Z");
        assert_eq!(value["samples"], 30.0);
        let mut back = task.clone();
        back.title.clear();
        back.attrs.clear();
        apply_taskwarrior(&mut back, &value, tz).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, task);
        let mut other = value.clone();
        other["uuid"] = json!("00000000-0000-0000-0000-000000000000");
        assert!(apply_taskwarrior(&mut back, &other, tz).is_err());
    }
}
