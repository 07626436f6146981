//! Undo: revert the newest command that has not been undone, as a unit.

use super::error::EngineError;
use super::{Change, TaskManager};
use crate::domain::{Command, CommandKind, Op, Task, TaskId};

/// What an undo reverted.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoReport {
    /// The command that was reverted.
    pub command: Command,
    /// The tasks it touched, in the order they were reverted.
    pub tasks: Vec<TaskId>,
}

/// Reverts the newest user command not yet undone. Undoing again goes further back. A task
/// changed since by a later command is never overwritten: the undo is refused instead.
pub fn undo_last(tm: &TaskManager) -> Result<UndoReport, EngineError> {
    let tx = tm.store.write()?;
    let mut target = None;
    tx.visit_commands_newest_first(&mut |c| {
        if c.kind == CommandKind::User && c.undone_by.is_none() {
            target = Some(c);
        }
        target.is_none()
    })?;
    let target = target.ok_or(EngineError::NothingToUndo)?;
    let entries = tx.entries_of(target.id)?;
    let summary = format!("undo {}", target.summary);
    let kind = CommandKind::Undo { of: target.id };
    let mut session = tm.begin(tx, kind, &tm.actor, &summary, tm.now())?;
    let now = session.now();
    let mut tasks = Vec::new();
    let mut ended_series = Vec::new();
    for entry in entries.iter().rev() {
        let tx = &mut session.tx;
        if tx.task(entry.task)? != entry.after {
            return Err(EngineError::UndoConflict {
                summary: target.summary.clone(),
                task: entry.task,
            });
        }
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
        if !tasks.contains(&entry.task) {
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
