//! Conflicts met at sync (`tme conflicts`): each is a journal entry of the command whose
//! change stood, holding the task as the losing side would have it. A conflict is open while
//! the field still holds the value that stood; taking it back is a new command that sets the
//! lost value again (and so syncs, and stands, like any later change).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::TaskManager;
use super::error::EngineError;
use super::sync_apply::{
    CONFLICT_BY, CONFLICT_FIELD, CONFLICT_LOST, CONFLICT_WHY, CONFLICT_WON, wire_of,
};
use crate::domain::{AttrValue, CommandId, JournalEntry, Op, Task, TaskId};
use crate::store::StoreRead;
use crate::sync::{field_value, from_wire, named_ids, set_field};

/// One conflict, as `tme conflicts` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Its number: the journal entry that keeps it.
    pub seq: u64,
    /// The task.
    pub task: TaskId,
    /// Its title, as it stands.
    pub title: String,
    /// The field (`priority`, `status`, `attrs.owner`).
    pub field: String,
    /// The value that lost, as it travels (`null`: unset).
    pub lost: Value,
    /// The value that stood.
    pub won: Value,
    /// Who lost (`alice via cli on laptop`).
    pub by: String,
    /// Whose change stood.
    pub over: String,
    /// When the change that stood was made.
    pub at: DateTime<Utc>,
    /// Why, when the engine refused something (a cycle, with its path).
    pub why: Option<String>,
    /// Whether the field still holds the value that stood (nobody has changed it since).
    pub open: bool,
}

/// The person part of an actor (`alice` of `alice via cli on laptop`).
pub fn person(actor: &str) -> &str {
    actor.split(" via ").next().unwrap_or(actor).trim()
}

impl Conflict {
    /// Whether the side that lost is `actor`'s person.
    pub fn lost_by(&self, actor: &str) -> bool {
        person(&self.by) == person(actor)
    }

    /// The value that lost, as a person reads it.
    pub fn lost_words(&self) -> String {
        Conflict::field_words(&self.field, &self.lost)
    }

    /// The value that stood, as a person reads it.
    pub fn won_words(&self) -> String {
        Conflict::field_words(&self.field, &self.won)
    }

    /// A field's value as a person reads it: of a status, the status alone (not its times).
    pub fn field_words(field: &str, value: &Value) -> String {
        match (field, value) {
            ("status", Value::Array(parts)) => {
                Conflict::words(parts.first().unwrap_or(&Value::Null))
            }
            _ => Conflict::words(value),
        }
    }

    /// A value as a person reads it: text as it is, a list joined, nothing as `(none)`.
    pub fn words(value: &Value) -> String {
        match value {
            Value::Null => "(none)".into(),
            Value::String(s) => s.clone(),
            Value::Array(items) => {
                let words: Vec<String> = items
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(Conflict::words)
                    .collect();
                match words.is_empty() {
                    true => "(none)".into(),
                    false => words.join(", "),
                }
            }
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| format!("{k} {}", Conflict::words(v)))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        }
    }

    fn of_entry(
        read: &dyn StoreRead,
        entry: &JournalEntry,
    ) -> Result<Option<Conflict>, EngineError> {
        let (Some(lost_side), Some(stands)) = (&entry.before, &entry.after) else {
            return Ok(None);
        };
        let text = |name: &str| match lost_side.attrs.get(name) {
            Some(AttrValue::Text(t)) => Some(t.clone()),
            _ => None,
        };
        let json = |name: &str| {
            text(name)
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null)
        };
        let Some(field) = text(CONFLICT_FIELD) else {
            return Ok(None);
        };
        let over = read
            .command(entry.command)?
            .map_or_else(|| "someone".to_string(), |c| c.actor);
        let won = json(CONFLICT_WON);
        let now = read.task(entry.task)?;
        let open = now
            .as_ref()
            .is_some_and(|t| field_value(&wire_of(read, t), &field) == won);
        Ok(Some(Conflict {
            seq: entry.seq,
            task: entry.task,
            title: now
                .as_ref()
                .map_or_else(|| stands.title.clone(), |t| t.title.clone()),
            field,
            lost: json(CONFLICT_LOST),
            won,
            by: text(CONFLICT_BY).unwrap_or_else(|| "someone".into()),
            over,
            at: entry.at,
            why: text(CONFLICT_WHY),
            open,
        }))
    }
}

/// A conflict's journal entry as a line of history: `conflict: priority H of bob via cli on
/// desk → L`, from the losing side's task (`lost`).
pub(super) fn in_words(lost: &Task) -> Option<crate::domain::FieldChange> {
    let text = |name: &str| match lost.attrs.get(name) {
        Some(AttrValue::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let field = text(CONFLICT_FIELD)?;
    let value = |name: &str| {
        let value = text(name).and_then(|t| serde_json::from_str(&t).ok());
        Conflict::field_words(&field, &value.unwrap_or(Value::Null))
    };
    let why = text(CONFLICT_WHY)
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    Some(crate::domain::FieldChange {
        field: "conflict",
        before: format!(
            "{field} {} of {}",
            value(CONFLICT_LOST),
            text(CONFLICT_BY).unwrap_or_else(|| "someone".into())
        ),
        after: format!("{}{why}", value(CONFLICT_WON)),
    })
}

/// The conflicts one command met.
pub(super) fn of_command(
    read: &dyn StoreRead,
    command: CommandId,
) -> Result<Vec<Conflict>, EngineError> {
    let mut out = Vec::new();
    for entry in read
        .entries_of(command)?
        .iter()
        .filter(|e| e.op == Op::Conflict)
    {
        out.extend(Conflict::of_entry(read, entry)?);
    }
    Ok(out)
}

impl TaskManager {
    /// The conflicts met at sync, newest first: those still open whose losing side is this
    /// manager's person, or with `all` every one.
    pub fn conflicts(&self, all: bool) -> Result<Vec<Conflict>, EngineError> {
        let read = self.store.read()?;
        let mut out = Vec::new();
        for entry in read.journal_after(CommandId(0))?.iter().rev() {
            if entry.op != Op::Conflict {
                continue;
            }
            if let Some(conflict) = Conflict::of_entry(&*read, entry)?
                && (all || (conflict.open && conflict.lost_by(&self.actor)))
            {
                out.push(conflict);
            }
        }
        Ok(out)
    }

    /// Takes back the value that lost in conflict `seq`: a new command that sets it again,
    /// refused (naming the task) when the field no longer holds the value that stood.
    pub fn take_back(&self, seq: u64) -> Result<Task, EngineError> {
        let conflict = self
            .conflicts(true)?
            .into_iter()
            .find(|c| c.seq == seq)
            .ok_or_else(|| {
                EngineError::Invalid(format!(
                    "there is no conflict {seq}; `tme conflicts --all` lists them"
                ))
            })?;
        let summary = format!(
            "take back conflict {seq}: {} of task {}",
            conflict.field, conflict.task
        );
        self.transaction(&summary, |s| {
            let now = s.task(conflict.task)?;
            let mut wire = wire_of(&*s.tx, &now);
            if field_value(&wire, &conflict.field) != conflict.won {
                return Err(EngineError::NotAllowed(format!(
                    "task {}'s {} was changed since the conflict (it is {} now); nothing was taken back",
                    conflict.task,
                    conflict.field,
                    Conflict::field_words(&conflict.field, &field_value(&wire, &conflict.field))
                )));
            }
            set_field(&mut wire, &conflict.field, &conflict.lost);
            let named = named_ids(&wire);
            let mut find = |u: uuid::Uuid| match named.get(&u) {
                Some(id) => Ok(*id),
                None => s
                    .tx
                    .id_by_uuid(u)
                    .ok()
                    .flatten()
                    .ok_or_else(|| format!("task {u} is not here")),
            };
            let mut task = from_wire(&wire, &mut find).map_err(EngineError::Invalid)?;
            task.created = now.created;
            s.check_values(&task)?;
            s.check_links(&task, Some(&now))?;
            s.save(Op::Modify, task)
        })
    }
}
