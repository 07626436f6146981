//! Messages into `update` and commands out of it.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::data::{Data, Scope};
use crate::domain::{Filter, NewTask, TaskChanges, TaskId};
use crate::engine::{Fact, SortKey, TaskView, Upcoming};
use crate::report::{Dashboard, Range};

/// Everything that can happen to the TUI.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse was used.
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize(u16, u16),
    /// A second passed: relative dates move on.
    Tick(DateTime<Utc>),
    /// Another process (or this one) changed the store.
    StoreChanged,
    /// Tasks were loaded.
    Loaded(Box<Data>),
    /// The loaded tasks' sort orders were worked out (for the data with this stamp).
    Sorted(u64, HashMap<SortKey, Arc<Vec<usize>>>),
    /// What the detail pane shows beyond the task itself was read.
    Details(TaskId, Details),
    /// A command finished: what to tell the user.
    Feedback(Feedback),
    /// The external editor closed; the new text, if it was saved.
    EditorClosed(Option<String>),
    /// A change was refused, but the user may insist: ask this, and on yes run the command.
    Ask(String, Box<Cmd>),
    /// A task typed in could not be saved (the database could not be reached, say): its text
    /// and why.
    NotAdded(String, String),
    /// The occurrences of recurring series still to come between two days were read.
    Upcoming(NaiveDate, NaiveDate, Vec<Upcoming>),
    /// The dashboard asked for with this number was worked out.
    Dashboard(u64, Box<Dashboard>),
}

/// What the detail pane shows beyond the task itself, read by the worker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// For a recurring template: what comes next and its streak.
    pub series: Vec<Fact>,
    /// The history, as lines.
    pub history: Vec<String>,
    /// The tasks it links to (dependencies, parent) with their names, closed ones included:
    /// the list holds only the open ones.
    pub links: Vec<(TaskId, String)>,
}

/// A message for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// What happened.
    pub text: String,
    /// Whether it was an error.
    pub error: bool,
    /// Longer output to show in a window (from `:` commands).
    pub output: Option<String>,
    /// It comes from work the user did not ask for (the recurrence ticker), so it does not
    /// take the place of an error about something they did.
    pub background: bool,
}

impl Feedback {
    /// A success message.
    pub fn ok(text: impl Into<String>) -> Feedback {
        Feedback {
            text: text.into(),
            error: false,
            output: None,
            background: false,
        }
    }

    /// An error message.
    pub fn error(text: impl Into<String>) -> Feedback {
        Feedback {
            text: text.into(),
            error: true,
            output: None,
            background: false,
        }
    }
}

/// How far a user has said to push past what holds tasks back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Insist {
    /// Start rather than complete.
    pub start: bool,
    /// Go past dependencies (noted on the task).
    pub force: bool,
    /// Complete open subtasks too.
    pub subtasks: bool,
}

/// Work `update` asks the runtime to do; results come back as [`Msg`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    /// Load tasks.
    Load(Scope),
    /// Read what the detail pane shows beyond the task itself.
    LoadDetails(TaskId),
    /// Read the occurrences of recurring series still to come between two days.
    LoadUpcoming(NaiveDate, NaiveDate),
    /// Work out the dashboard (request number, range, filter).
    LoadDashboard(u64, Range, Box<Filter>),
    /// Add a task (and the text it was typed as, given back if it cannot be saved).
    Create(NewTask, String),
    /// Complete tasks.
    Complete(Vec<TaskId>),
    /// Complete or start tasks anyway, after the user said yes to a question.
    Insist(Vec<TaskId>, Insist),
    /// Delete tasks.
    Delete(Vec<TaskId>),
    /// Start or stop time tracking on tasks.
    StartStop(Vec<TaskId>),
    /// Change tasks.
    Update(Vec<TaskId>, TaskChanges),
    /// Add a note.
    Annotate(TaskId, String),
    /// Copy a task.
    Duplicate(TaskId),
    /// Undo the last command.
    Undo,
    /// Spawn the recurring instances that have come due (on every tick).
    CatchUp,
    /// Run a command line as `tme` would.
    RunCli(Vec<String>),
    /// Edit text in `$EDITOR` (the TUI steps aside meanwhile).
    Editor(String),
    /// Let go of tasks no longer shown (freeing 100,000 tasks takes long enough to notice, so
    /// the worker does it).
    Dispose(Arc<Vec<TaskView>>),
    /// Leave.
    Quit,
}
