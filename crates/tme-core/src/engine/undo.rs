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

/// The command an undo takes back, and its journal entries, worked out before it writes.
struct Plan {
    target: Command,
    entries: Vec<JournalEntry>,
}

/// Finds the newest user command not yet undone (of `actor`, when given) and checks that every
/// task it touched is still as it left it (a later command's change is never overwritten).
fn plan(read: &dyn StoreRead, actor: Option<&str>) -> Result<Plan, EngineError> {
    let mut target = None;
    read.visit_commands_newest_first(&mut |c| {
        if c.kind == CommandKind::User
            && c.undone_by.is_none()
            && actor.is_none_or(|a| c.actor == a)
        {
            target = Some(c);
        }
        target.is_none()
    })?;
    let target = target.ok_or(EngineError::NothingToUndo)?;
    let entries = read.entries_of(target.id)?;
    // Each task as it will be when the entries after this one are reverted.
    let mut reverted: HashMap<TaskId, Option<&Task>> = HashMap::new();
    for entry in entries.iter().rev() {
        let now = match reverted.get(&entry.task) {
            Some(task) => task.cloned(),
            None => read.task(entry.task)?,
        };
        if now != entry.after {
            return Err(EngineError::UndoConflict {
                summary: target.summary.clone(),
                task: entry.task,
            });
        }
        reverted.insert(entry.task, entry.before.as_ref());
    }
    Ok(Plan { target, entries })
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
        plan(&*read, actor).map(|plan| (stamp, plan))
    };
    let tx = tm.store.write()?;
    let Plan { target, entries } = match planned {
        Ok((stamp, plan)) if tx.change_stamp()? == stamp => plan,
        // Something was committed since (or the snapshot found nothing to undo): again, now.
        _ => plan(&*tx, actor)?,
    };
    let summary = format!("undo {}", target.summary);
    let kind = CommandKind::Undo { of: target.id };
    let mut session = tm.begin(tx, kind, actor.unwrap_or(&tm.actor), &summary, tm.now())?;
    let now = session.now();
    let mut tasks = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut ended_series = Vec::new();
    for entry in entries.iter().rev() {
        let tx = &mut session.tx;
        match &entry.before {
            Some(before) => tx.put_task(Op::Revert, before, now)?,
            None => tx.remove_task(Op::Revert, entry.task, now)?,
        }
        // Observers hear the task as it is again (as it was, for an add taken back).
        if let Some(task) = entry.before.as_ref().or(entry.after.as_ref()) {
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
