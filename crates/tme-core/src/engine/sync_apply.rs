//! One travelling change applied to the tasks as they are (docs/sync.md, "Merging"): on the
//! server when a replica pushes, and on a replica when it takes the server's log and puts
//! back on top what it made meanwhile. A task is known by its uuid; a link to a task that is
//! nowhere, or one that would close a cycle, is left out and said.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::EngineError;
use super::session::{Change, Session};
use crate::domain::{AttrValue, Op, Task, TaskId};
use crate::store::StoreRead;
use crate::sync::{
    FieldConflict, WireChange, WireTask, changed_fields, field_value, from_wire, merge, named_ids,
    to_wire, uuid_of_wire,
};

/// The attributes a conflict's losing side carries in the journal.
pub const CONFLICT_FIELD: &str = "tme.conflict.field";
/// Who lost (`alice via cli on laptop`).
pub const CONFLICT_BY: &str = "tme.conflict.by";
/// The value that lost, as it travels (JSON).
pub const CONFLICT_LOST: &str = "tme.conflict.lost";
/// The value that stands, as it travels (JSON).
pub const CONFLICT_WON: &str = "tme.conflict.won";
/// Why, when the engine refused something (a cycle, with its path).
pub const CONFLICT_WHY: &str = "tme.conflict.why";

/// The uuid of task `id`: as `known` has it (tasks already in hand, whose uuids need no
/// reading), else as `read` has it. A task that is gone (an undo took its add back) still needs
/// naming in the journal's older entries: when nothing in hand names it, it is named by a
/// stand-in made from its id, which no real task has (version 0), so that a replica writing
/// those entries finds the id again while a server never links to it.
fn uuid_in(read: &dyn StoreRead, id: TaskId, known: &HashMap<TaskId, Uuid>) -> Uuid {
    match known.get(&id) {
        Some(uuid) => *uuid,
        None => read
            .task(id)
            .ok()
            .flatten()
            .map_or(Uuid::from_u64_pair(0, id.0), |t| t.uuid),
    }
}

/// The travelling form of `task`, its links named by the uuids `read` has for them.
pub(super) fn wire_of(read: &dyn StoreRead, task: &Task) -> WireTask {
    wire_in(read, task, &HashMap::new())
}

/// The uuids of these tasks, by id.
pub(super) fn uuids_of<'t>(tasks: impl IntoIterator<Item = &'t Task>) -> HashMap<TaskId, Uuid> {
    tasks.into_iter().map(|t| (t.id, t.uuid)).collect()
}

/// The uuids of the tasks journal entries hold, by id: what names a link to a task that is
/// gone now (an undo took its add back) in the travelling form of an older entry.
pub(super) fn uuids_in(entries: &[crate::domain::JournalEntry]) -> HashMap<TaskId, Uuid> {
    uuids_of(
        entries
            .iter()
            .flat_map(|e| e.before.iter().chain(e.after.iter())),
    )
}

/// [`wire_of`] with the uuids of tasks already in hand (`known`): a journal entry's links to a
/// task that is gone, or a snapshot's links, which then need no reading.
pub(super) fn wire_in(
    read: &dyn StoreRead,
    task: &Task,
    known: &HashMap<TaskId, Uuid>,
) -> WireTask {
    to_wire(task, |id| uuid_in(read, id, known))
}

/// Reads a travelling op name (a replica never sends `conflict`).
fn op_named(name: &str) -> Result<Op, EngineError> {
    Op::ALL
        .into_iter()
        .find(|op| op.as_str() == name && *op != Op::Conflict)
        .ok_or_else(|| EngineError::Invalid(format!("op '{name}' is not a change a replica makes")))
}

/// A conflict to journal, and why when the engine refused something.
type Note = (FieldConflict, Option<String>);

/// How a change is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// On the server: conflicts are journaled, for everyone to see.
    Server,
    /// On a replica, putting its own unsynced change back on top: conflicts are met again,
    /// and journaled, by the server when it is pushed.
    Replay,
}

/// What applying the changes of one command met.
pub(super) struct Applying<'s, 'a> {
    pub session: &'s mut Session<'a>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub mode: Mode,
}

impl Applying<'_, '_> {
    /// Applies one travelling change.
    pub fn change(&mut self, change: &WireChange) -> Result<(), EngineError> {
        let op = op_named(&change.op)?;
        let uuid = change
            .after
            .as_ref()
            .or(change.before.as_ref())
            .and_then(uuid_of_wire)
            .ok_or_else(|| EngineError::Invalid("a change names its task by uuid".into()))?;
        let tx = &self.session.tx;
        let current = match tx.id_by_uuid(uuid)? {
            Some(id) => tx.task(id)?,
            None => None,
        };
        match (&change.before, &change.after, current) {
            (before, Some(after), None) => self.add(op, uuid, before.is_some(), after),
            // The same task added on two machines (an occurrence of a series, spawned on both
            // offline, has one uuid everywhere): the first in the server's order stands.
            (None, Some(_), Some(_)) => Ok(()),
            (Some(before), Some(after), Some(current)) => {
                self.merge_onto(op, before, after, current, Vec::new())
            }
            (Some(before), None, Some(current)) => self.take_away(op, before, current),
            (_, None, _) => Ok(()),
        }
    }

    /// A task new here (or taken away here meanwhile, by an undo of its add: it comes back,
    /// so that nobody's change is lost).
    fn add(
        &mut self,
        op: Op,
        uuid: Uuid,
        came_back: bool,
        after: &WireTask,
    ) -> Result<(), EngineError> {
        let wanted = after
            .get("id")
            .and_then(serde_json::Value::as_u64)
            .and_then(|id| TaskId::from_file(id).ok().flatten());
        let id = match wanted {
            Some(id) => self.session.tx.claim_task_id(id)?,
            None => self.session.tx.next_task_id()?,
        };
        let (mut task, mut notes) = self.read(after, uuid, id)?;
        self.session.check_values(&task)?;
        if let Some(why) = self.settle_links(&mut task, None)? {
            notes.push((link_conflict(after, &task, &*self.session.tx), Some(why)));
        }
        if came_back {
            notes.push((
                FieldConflict {
                    field: "status".into(),
                    lost: serde_json::Value::Null,
                    won: field_value(after, "status"),
                    mine_lost: false,
                },
                Some("the task had been taken away by an undo of its add; this change brought it back".into()),
            ));
        }
        let op = if op == Op::Spawn { Op::Spawn } else { Op::Add };
        self.save(op, &task)?;
        self.note(&task, notes)
    }

    /// A change to a task that is here: merged by field onto it as it is.
    fn merge_onto(
        &mut self,
        op: Op,
        before: &WireTask,
        after: &WireTask,
        current: Task,
        mut notes: Vec<Note>,
    ) -> Result<(), EngineError> {
        let theirs = wire_of(&*self.session.tx, &current);
        let merged = merge(before, after, &theirs);
        let (mut task, dropped) = self.read(&merged.task, current.uuid, current.id)?;
        task.created = current.created;
        self.session.check_values(&task)?;
        notes.extend(dropped);
        if let Some(why) = self.settle_links(&mut task, Some(&current))? {
            notes.push((
                link_conflict(&merged.task, &task, &*self.session.tx),
                Some(why),
            ));
        }
        notes.extend(merged.conflicts.into_iter().map(|c| (c, None)));
        if task != current {
            self.save(op, &task)?;
        }
        self.note(&task, notes)
    }

    /// An add taken back: the task goes when nobody changed it since; otherwise it is
    /// deleted (not taken away), so the other change stays, and both sides are told.
    fn take_away(&mut self, op: Op, before: &WireTask, current: Task) -> Result<(), EngineError> {
        let theirs = wire_of(&*self.session.tx, &current);
        if changed_fields(before, &theirs).is_empty() {
            self.session.tx.remove_task(op, current.id, self.at)?;
            self.session.changes.push(Change { op, task: current });
            return Ok(());
        }
        let mut deleted = before.clone();
        deleted.insert("status".into(), "deleted".into());
        deleted.insert(
            "completed".into(),
            crate::interop::json::timestamp(self.at, chrono_tz::UTC).into(),
        );
        self.merge_onto(Op::Delete, before, &deleted, current, Vec::new())
    }

    /// Reads a travelling task as task `id`, leaving out the links to tasks that are nowhere
    /// here (each said as a conflict of the side that pushed it).
    fn read(
        &self,
        wire: &WireTask,
        uuid: Uuid,
        id: TaskId,
    ) -> Result<(Task, Vec<Note>), EngineError> {
        let tx = &self.session.tx;
        let mut known: HashMap<Uuid, TaskId> = HashMap::from([(uuid, id)]);
        for other in named_ids(wire).into_keys().filter(|u| *u != uuid) {
            if let Some(found) = tx.id_by_uuid(other)? {
                known.insert(other, found);
            }
        }
        let (wire, notes) = leave_out_unknown(wire, &known);
        let mut find = |u: Uuid| {
            known
                .get(&u)
                .copied()
                .ok_or_else(|| format!("task {u} is not here"))
        };
        let task = from_wire(&wire, &mut find).map_err(EngineError::Invalid)?;
        Ok((task, notes))
    }

    /// Checks the links `task` has and `before` did not; when the engine refuses them (a
    /// cycle, a link to a recurring template), they are left out and the reason given.
    fn settle_links(
        &self,
        task: &mut Task,
        before: Option<&Task>,
    ) -> Result<Option<String>, EngineError> {
        match self.session.check_links(task, before) {
            Ok(()) => Ok(None),
            Err(e @ (EngineError::Cycle(_) | EngineError::NotAllowed(_))) => {
                let why = format!("left out at sync: {e}");
                task.depends
                    .retain(|d| before.is_some_and(|b| b.depends.contains(d)));
                if before.is_none_or(|b| b.parent != task.parent) {
                    task.parent = before.and_then(|b| b.parent);
                }
                Ok(Some(why))
            }
            Err(other) => Err(other),
        }
    }

    fn save(&mut self, op: Op, task: &Task) -> Result<(), EngineError> {
        self.session.tx.put_task(op, task, self.at)?;
        self.session.changes.push(Change {
            op,
            task: task.clone(),
        });
        Ok(())
    }

    /// Journals each conflict as the task as the losing side would have it (with who lost and
    /// why in its `tme.conflict.*` attributes) beside the task as it stands.
    fn note(&mut self, stands: &Task, notes: Vec<Note>) -> Result<(), EngineError> {
        if self.mode == Mode::Replay {
            return Ok(());
        }
        for (conflict, why) in notes {
            let by = match conflict.mine_lost {
                true => self.actor.clone(),
                false => self.last_setter(stands.id, &conflict.field)?,
            };
            let mut lost = stands.clone();
            let text = |s: String| AttrValue::Text(s);
            lost.attrs
                .insert(CONFLICT_FIELD.into(), text(conflict.field.clone()));
            lost.attrs.insert(CONFLICT_BY.into(), text(by));
            lost.attrs
                .insert(CONFLICT_LOST.into(), text(conflict.lost.to_string()));
            lost.attrs
                .insert(CONFLICT_WON.into(), text(conflict.won.to_string()));
            if let Some(why) = why {
                lost.attrs.insert(CONFLICT_WHY.into(), text(why));
            }
            self.session.tx.note_entry(
                Op::Conflict,
                stands.id,
                (Some(&lost), Some(stands)),
                self.at,
            )?;
        }
        Ok(())
    }

    /// Who last set `field` of the task before this command (the side whose value lost).
    fn last_setter(&self, id: TaskId, field: &str) -> Result<String, EngineError> {
        let tx = &*self.session.tx;
        let mine = self.session.command;
        for entry in tx
            .history(id)?
            .iter()
            .rev()
            .filter(|e| e.command != mine && e.op != Op::Conflict)
        {
            let value = |t: &Option<Task>| t.as_ref().map(|t| field_value(&wire_of(tx, t), field));
            if value(&entry.before) != value(&entry.after)
                && let Some(command) = tx.command(entry.command)?
            {
                return Ok(command.actor);
            }
        }
        Ok("someone".into())
    }
}

/// A conflict for links the engine refused: the pushing side's links lost to those that stand.
fn link_conflict(wanted: &WireTask, stands: &Task, read: &dyn StoreRead) -> FieldConflict {
    let kept = wire_of(read, stands);
    let field = match field_value(wanted, "parent") == field_value(&kept, "parent") {
        true => "depends",
        false => "parent",
    };
    FieldConflict {
        field: field.into(),
        lost: field_value_or_set(wanted, field),
        won: field_value_or_set(&kept, field),
        mine_lost: true,
    }
}

fn field_value_or_set(task: &WireTask, field: &str) -> serde_json::Value {
    match field {
        "depends" => task
            .get("depends")
            .cloned()
            .unwrap_or(serde_json::Value::Null),
        other => field_value(task, other),
    }
}

/// `wire` without its links to tasks `known` does not have, and a conflict for each.
fn leave_out_unknown(wire: &WireTask, known: &HashMap<Uuid, TaskId>) -> (WireTask, Vec<Note>) {
    use serde_json::Value;
    let mut out = wire.clone();
    let mut notes = Vec::new();
    let is_known = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .and_then(|u| Uuid::parse_str(u).ok())
            .is_none_or(|u| known.contains_key(&u))
    };
    let mut note = |field: &str, lost: Value| {
        notes.push((
            FieldConflict {
                field: field.into(),
                lost,
                won: Value::Null,
                mine_lost: true,
            },
            Some(format!(
                "left out at sync: the {field} it names is not on the server"
            )),
        ));
    };
    if !is_known(out.get("parent_uuid")) {
        let lost = field_value(&out, "parent");
        out.remove("parent_uuid");
        out.remove("parent");
        note("parent", lost);
    }
    if let Some(Value::Object(r)) = out.get("recurrence")
        && !is_known(r.get("template_uuid"))
    {
        let lost = field_value(&out, "recurrence");
        out.remove("recurrence");
        note("recurrence", lost);
    }
    if let Some(Value::Array(deps)) = out.get("depends").cloned() {
        let (keep, gone): (Vec<Value>, Vec<Value>) =
            deps.into_iter().partition(|d| is_known(d.get("uuid")));
        if !gone.is_empty() {
            out.insert("depends".into(), Value::Array(keep));
            note("depends", Value::Array(gone));
        }
    }
    (out, notes)
}
