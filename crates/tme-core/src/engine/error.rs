//! Engine errors: what the user asked for cannot be done, and why.

use crate::domain::{DepKind, MissingTitle, Step, TaskId};
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
    /// The change is not allowed in the task's current state (it is done already, say): a
    /// conflict with the state, not a bad value.
    #[error("{0}")]
    NotAllowed(String),
    /// The change would make a dependency or subtask cycle.
    #[error("that would make a cycle: {}", cycle_text(.0))]
    Cycle(Vec<TaskId>),
    /// Dependencies hold the task back from this step.
    #[error(
        "task {task} cannot {} yet: it waits on {}; {} first, or {} it anyway",
        step.verb(),
        blockers_text(blockers),
        remedy(blockers),
        step.verb()
    )]
    Blocked {
        /// The task held back.
        task: TaskId,
        /// What was asked of it.
        step: Step,
        /// What holds it back.
        blockers: Vec<Blocker>,
    },
    /// Completing a task whose subtasks are not all done.
    #[error(
        "task {task} has open subtasks ({}); complete them first, or complete it with them",
        ids_text(open)
    )]
    OpenSubtasks {
        /// The parent.
        task: TaskId,
        /// Its open subtasks, at any depth.
        open: Vec<TaskId>,
    },
    /// An import with bad records, none of which were to be skipped: nothing was imported.
    #[error("record {first}: {why}; nothing was imported ({bad} bad record(s))")]
    BadRecords {
        /// The first bad record (from 1).
        first: usize,
        /// What is wrong with it.
        why: String,
        /// How many are bad.
        bad: usize,
    },
    /// A rule given to one instance of a series: the rule belongs to the series.
    #[error(
        "task {task} is one instance of recurring task {template}; change the rule there, or from this instance on"
    )]
    InstanceRule {
        /// The instance.
        task: TaskId,
        /// Its template.
        template: TaskId,
    },
    /// A hook refused the change; what it said.
    #[error("{0}")]
    Vetoed(String),
    /// There is nothing left to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// A task changed after the command being undone; undoing would lose that change.
    #[error(
        "cannot undo '{summary}': task {task} was changed afterwards in the same fields; undo that change first, or edit the task by hand"
    )]
    UndoConflict {
        /// What the command being undone was.
        summary: String,
        /// The task that changed since.
        task: TaskId,
    },
    /// The sync server could not be reached, or refused what was sent (its words).
    #[error("cannot sync: {0}")]
    Sync(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A task that holds another back, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    /// The task depended on.
    pub id: TaskId,
    /// Its title.
    pub title: String,
    /// How the held-back task depends on it.
    pub kind: DepKind,
}

fn blockers_text(blockers: &[Blocker]) -> String {
    let each: Vec<String> = blockers
        .iter()
        .map(|b| format!("task {} '{}' ({})", b.id, b.title, b.kind.words()))
        .collect();
    each.join(" and ")
}

/// What would clear the way: starting start-to-start blockers, finishing the others.
fn remedy(blockers: &[Blocker]) -> &'static str {
    let all_start = blockers.iter().all(|b| b.kind == DepKind::StartToStart);
    match (all_start, blockers.len()) {
        (true, 1) => "start it",
        (true, _) => "start them",
        (false, 1) => "finish it",
        (false, _) => "finish them",
    }
}

fn ids_text(ids: &[TaskId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
                | EngineError::OpenSubtasks { .. }
                | EngineError::BadRecords { .. }
        )
    }
}
