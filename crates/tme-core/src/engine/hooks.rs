//! Hooks: something outside the engine that sees each change a user makes before it is saved,
//! and may change it or refuse it (Taskwarrior's `on-add` and `on-modify` scripts, through
//! the CLI).

use crate::domain::Task;

/// Sees each task a user's command is about to add or change. Changes made by the system
/// (recurring instances spawned by the ticker, undo) do not pass through hooks.
pub trait ChangeHooks: Send + Sync {
    /// A task about to be added: returns it as it should be saved, or why it must not be.
    fn on_add(&self, task: &Task) -> Result<Task, String>;
    /// A task about to change from `before` to `after`: returns it as it should be saved, or
    /// why it must not be.
    fn on_modify(&self, before: &Task, after: &Task) -> Result<Task, String>;
    /// What the hooks said since this was last asked, when they keep it for a front end that
    /// owns the screen (the TUI) rather than printing it.
    fn take_feedback(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Told about each command's changes once they are saved (plugins listening for events).
pub trait ChangeObserver: Send + Sync {
    /// The changes one command made, in order, after they were committed.
    fn committed(&self, changes: &[super::Change]);
    /// What was said since this was last asked (see [`ChangeHooks::take_feedback`]).
    fn take_feedback(&self) -> Vec<String> {
        Vec::new()
    }
}
