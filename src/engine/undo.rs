//! Undo: revert the newest command that has not been undone, as a unit.

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{Command, CommandKind, Op, TaskId};
use crate::store::CommandStart;

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
    let mut tx = tm.store.write()?;
    let mut target = None;
    tx.visit_commands_newest_first(&mut |c| {
        if c.kind == CommandKind::User && c.undone_by.is_none() {
            target = Some(c);
        }
        target.is_none()
    })?;
    let target = target.ok_or(EngineError::NothingToUndo)?;
    let entries = tx.entries_of(target.id)?;
    let now = tm.now();
    let undo = tx.begin_command(CommandStart {
        at: now,
        actor: tm.actor.clone(),
        summary: format!("undo {}", target.summary),
        kind: CommandKind::Undo { of: target.id },
    })?;
    let mut tasks = Vec::new();
    for entry in entries.iter().rev() {
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
        if !tasks.contains(&entry.task) {
            tasks.push(entry.task);
        }
    }
    tx.mark_undone(target.id, undo)?;
    tx.commit()?;
    tracing::info!(command = target.id.0, summary = %target.summary, "undone");
    Ok(UndoReport {
        command: target,
        tasks,
    })
}
