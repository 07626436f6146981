//! Undo: revert the newest command that has not been undone, as a unit.

use std::collections::HashMap;

use super::error::EngineError;
use super::{Change, TaskManager};
use crate::domain::{Command, CommandKind, JournalEntry, Op, Task, TaskId};
use crate::store::StoreRead;

/// What an undo reverted.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoReport {
    /// The command that was reverted.
    pub command: Command,
    /// The tasks it touched, in the order they were reverted.
    pub tasks: Vec<TaskId>,
}

/// The command an undo takes back, its journal entries, and what each task becomes, newest
/// entry first, worked out before it writes.
struct Plan {
    target: Command,
    entries: Vec<JournalEntry>,
    reverted: Vec<Option<Task>>,
}

/// Finds the newest user command not yet undone (of `actor`, when given; else of `person`,
/// so that a change another person made, synced here, is theirs to undo) and works out each
/// task as it will be: the fields the command changed set back, the others as they are now.
/// A later change to one of those fields (another command's, or another machine's, synced)
/// is never overwritten: the undo is refused, naming the task.
fn plan(read: &dyn StoreRead, actor: Option<&str>, person: &str) -> Result<Plan, EngineError> {
    let mut target = None;
    read.visit_commands_newest_first(&mut |c| {
        let whose = match actor {
            Some(a) => c.actor == a,
            None => super::conflicts::person(&c.actor) == person,
        };
        if c.kind == CommandKind::User && c.undone_by.is_none() && whose {
            target = Some(c);
        }
        target.is_none()
    })?;
    let target = target.ok_or(EngineError::NothingToUndo)?;
    let entries = read.entries_of(target.id)?;
    // Each task as it will be when the entries after this one are reverted.
    let mut now_at: HashMap<TaskId, Option<Task>> = HashMap::new();
    let mut reverted = Vec::new();
    for entry in entries.iter().rev() {
        let now = match now_at.get(&entry.task) {
            Some(task) => task.clone(),
            None => read.task(entry.task)?,
        };
        let refused = || EngineError::UndoConflict {
            summary: target.summary.clone(),
            task: entry.task,
        };
        let back = match (&now, &entry.before, &entry.after) {
            _ if now == entry.after => entry.before.clone(),
            (Some(now), Some(before), Some(after)) => {
                Some(fields_back(read, now, before, after).ok_or_else(refused)?)
            }
            _ => return Err(refused()),
        };
        now_at.insert(entry.task, back.clone());
        reverted.push(back);
    }
    Ok(Plan {
        target,
        entries,
        reverted,
    })
}

/// `now` with the fields that went from `before` to `after` set back, or none when one of them
/// changed since.
fn fields_back(read: &dyn StoreRead, now: &Task, before: &Task, after: &Task) -> Option<Task> {
    use super::sync_apply::wire_of;
    let wire = |t: &Task| wire_of(read, t);
    let merged = crate::sync::merge(&wire(after), &wire(before), &wire(now));
    if !merged.conflicts.is_empty() {
        return None;
    }
    let named = crate::sync::named_ids(&merged.task);
    let mut find = |u: uuid::Uuid| match named.get(&u) {
        Some(id) => Ok(*id),
        None => read.id_by_uuid(u).ok().flatten().ok_or_else(String::new),
    };
    let mut task = crate::sync::from_wire(&merged.task, &mut find).ok()?;
    task.created = now.created;
    Some(task)
}

/// Reverts the newest user command not yet undone. Undoing again goes further back. A task
/// changed since by a later command is never overwritten: the undo is refused instead.
///
/// The command and what it changed are read and checked on a snapshot, with no write lock
/// held; under the lock the plan is used as it is when no command was committed meanwhile
/// (and worked out again when one was), so other writers wait only for the writing.
pub fn undo_last(tm: &TaskManager, actor: Option<&str>) -> Result<UndoReport, EngineError> {
    let planned = {
        let read = tm.store.read()?;
        let stamp = read.change_stamp()?;
        plan(&*read, actor, super::conflicts::person(&tm.actor)).map(|plan| (stamp, plan))
    };
    let tx = tm.store.write()?;
    let Plan {
        target,
        entries,
        reverted,
    } = match planned {
        Ok((stamp, plan)) if tx.change_stamp()? == stamp => plan,
        // Something was committed since (or the snapshot found nothing to undo): again, now.
        _ => plan(&*tx, actor, super::conflicts::person(&tm.actor))?,
    };
    let summary = format!("undo {}", target.summary);
    let kind = CommandKind::Undo { of: target.id };
    let mut session = tm.begin(tx, kind, actor.unwrap_or(&tm.actor), &summary, tm.now())?;
    let now = session.now();
    let mut tasks = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut ended_series = Vec::new();
    for (entry, back) in entries.iter().rev().zip(&reverted) {
        let tx = &mut session.tx;
        match back {
            Some(task) => tx.put_task(Op::Revert, task, now)?,
            None => tx.remove_task(Op::Revert, entry.task, now)?,
        }
        // Observers hear the task as it is again (as it was, for an add taken back).
        if let Some(task) = back.as_ref().or(entry.after.as_ref()) {
            session.changes.push(Change {
                op: Op::Revert,
                task: task.clone(),
            });
        }
        let live_template = |t: &Option<Task>| {
            t.as_ref()
                .is_some_and(|t| t.is_template() && t.status.is_open())
        };
        if live_template(&entry.after) && !live_template(&entry.before) {
            ended_series.push(entry.task);
        }
        if seen.insert(entry.task) {
            tasks.push(entry.task);
        }
    }
    // A series the undo takes away takes the instances spawned since with it.
    for template in ended_series {
        session.delete_pending_instances(template)?;
    }
    let undo = session.command();
    session.tx.mark_undone(target.id, undo)?;
    tm.commit(session)?;
    tracing::info!(command = target.id.0, summary = %target.summary, "undone");
    Ok(UndoReport {
        command: target,
        tasks,
    })
}
