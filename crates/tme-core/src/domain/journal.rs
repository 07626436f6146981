//! The journal: every change to every task, grouped into the commands that made them.
//!
//! Undo, history and the reports are all read from here.

use std::fmt;

use chrono::{DateTime, Utc};

use super::task::{Task, TaskId};

/// Identifies one command (one `tme ...` invocation, one TUI action): the unit of undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommandId(pub u64);

impl fmt::Display for CommandId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a command was, for undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// A change a user asked for; undo reverts it.
    User,
    /// The revert of an earlier command.
    Undo {
        /// The command that was reverted.
        of: CommandId,
    },
    /// Work the engine did by itself (spawning recurring instances, automation); undo skips it.
    System,
}

/// One command: who ran it, when, and what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Its id, increasing over time.
    pub id: CommandId,
    /// When it ran.
    pub at: DateTime<Utc>,
    /// Who ran it, and through what (`alice via cli`).
    pub actor: String,
    /// What it was, in words (`done 3 4`).
    pub summary: String,
    /// User, undo or system.
    pub kind: CommandKind,
    /// The undo command that reverted this one, if any.
    pub undone_by: Option<CommandId>,
}

/// The kind of change a journal entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// The task was created.
    Add,
    /// Fields changed.
    Modify,
    /// Time tracking started.
    Start,
    /// Time tracking stopped.
    Stop,
    /// The task was completed.
    Complete,
    /// The task was deleted.
    Delete,
    /// A note was added.
    Annotate,
    /// A recurring instance was spawned.
    Spawn,
    /// A change was reverted by undo.
    Revert,
    /// Not a change: at sync, two machines set a field of the task differently. `before` is
    /// the task as the side that lost would have it (its `tme.conflict.*` attributes say who
    /// lost, and why), `after` the task as it stands.
    Conflict,
}

impl Op {
    /// Every kind of change.
    pub const ALL: [Op; 10] = [
        Op::Add,
        Op::Modify,
        Op::Start,
        Op::Stop,
        Op::Complete,
        Op::Delete,
        Op::Annotate,
        Op::Spawn,
        Op::Revert,
        Op::Conflict,
    ];

    /// A lowercase name for display and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Modify => "modify",
            Op::Start => "start",
            Op::Stop => "stop",
            Op::Complete => "complete",
            Op::Delete => "delete",
            Op::Annotate => "annotate",
            Op::Spawn => "spawn",
            Op::Revert => "revert",
            Op::Conflict => "conflict",
        }
    }
}

/// One change to one task, with the task as it was before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// Position in the journal, increasing.
    pub seq: u64,
    /// The command this change belongs to.
    pub command: CommandId,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// The task changed.
    pub task: TaskId,
    /// What kind of change.
    pub op: Op,
    /// The task before (none when it was created).
    pub before: Option<Task>,
    /// The task after.
    pub after: Option<Task>,
}
