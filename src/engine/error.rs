//! Engine errors: what the user asked for cannot be done, and why.

use crate::domain::{MissingTitle, TaskId};
use crate::store::StoreError;

/// Why an engine call failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// No task has this id.
    #[error("task {0} does not exist")]
    NotFound(TaskId),
    /// A new task without a title.
    #[error(transparent)]
    MissingTitle(#[from] MissingTitle),
    /// A value given to the engine is not valid (a bad category name, say).
    #[error("{0}")]
    Invalid(String),
    /// The change is not allowed in the task's current state.
    #[error("{0}")]
    NotAllowed(String),
    /// The change would make a dependency or subtask cycle.
    #[error("that would make a cycle: {}", cycle_text(.0))]
    Cycle(Vec<TaskId>),
    /// There is nothing left to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// A task changed after the command being undone; undoing would lose that change.
    #[error(
        "cannot undo '{summary}': task {task} was changed afterwards; undo that change first, or edit the task by hand"
    )]
    UndoConflict {
        /// What the command being undone was.
        summary: String,
        /// The task that changed since.
        task: TaskId,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn cycle_text(ids: &[TaskId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" → ")
}

impl EngineError {
    /// Whether the error is about what the user typed (exit code 2) rather than a failure of
    /// the system (exit code 1).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            EngineError::NotFound(_)
                | EngineError::MissingTitle(_)
                | EngineError::Invalid(_)
                | EngineError::Cycle(_)
        )
    }
}
