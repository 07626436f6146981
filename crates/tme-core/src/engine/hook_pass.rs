//! Hooks outside the write transaction. A command with hooks is first rehearsed: run without
//! them, noting each change they must see, and thrown away, so no other process waits while
//! a hook runs. The hooks are then asked, with no transaction open, and the command runs
//! again taking their answers. If a change is not what the hooks were shown (another process
//! wrote in between, or an answer changed what follows), that run is thrown away too and the
//! hooks are asked about what they have not seen; a run in which every change was answered
//! is the one committed.

use uuid::Uuid;

use super::ChangeHooks;
use crate::domain::Task;

/// One change a hook is shown: the task before (none for an add) and as it would be saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The task as it was (a modification), or none (an add).
    pub before: Option<Task>,
    /// The task as the command would save it.
    pub after: Task,
}

/// What a hook answered: the task to save, or why it must not be.
pub type Answer = Result<Task, String>;

/// How a session treats the changes hooks must see.
#[derive(Default)]
pub enum HookPass {
    /// No hooks: changes are saved as made.
    #[default]
    Off,
    /// Answers already had are taken while the changes are the ones the hooks were shown;
    /// from the first that is not, changes are noted (and saved as made, in a run that will
    /// be thrown away) for the hooks to be asked about.
    Answered {
        /// The answers so far, in the order the command makes its changes.
        known: Vec<(Shown, Answer)>,
        /// Where the changes stopped matching the answers.
        first_unasked: Option<usize>,
        /// The changes from there on.
        unasked: Vec<Shown>,
    },
}

/// What the hooks must still be asked about after a run of a command.
pub struct Unasked {
    /// The answers that still hold (the rest were for changes the command no longer makes).
    pub known: Vec<(Shown, Answer)>,
    /// The changes to ask about, in order.
    pub changes: Vec<Shown>,
}

impl HookPass {
    /// What to save for the `n`th change a hook must see, or why it must not be saved.
    pub fn judge(&mut self, n: usize, shown: Shown) -> Result<Task, String> {
        let HookPass::Answered {
            known,
            first_unasked,
            unasked,
        } = self
        else {
            return Ok(shown.after);
        };
        if first_unasked.is_none()
            && let Some((seen, answer)) = known.get(n)
            && *seen == shown
        {
            return answer.clone();
        }
        first_unasked.get_or_insert(n);
        let after = shown.after.clone();
        unasked.push(shown);
        Ok(after)
    }

    /// What is left to ask the hooks, if anything: then this run must not be committed.
    pub fn unasked(self) -> Option<Unasked> {
        match self {
            HookPass::Answered {
                mut known,
                first_unasked: Some(first),
                unasked,
            } => {
                known.truncate(first);
                Some(Unasked {
                    known,
                    changes: unasked,
                })
            }
            _ => None,
        }
    }
}

/// Asks `hooks` about each change, in order, with no transaction open; the answers, after
/// the ones already known.
pub fn ask(hooks: &dyn ChangeHooks, unasked: Unasked) -> Vec<(Shown, Answer)> {
    let mut answers = unasked.known;
    for shown in unasked.changes {
        let answer = match &shown.before {
            None => hooks.on_add(&shown.after),
            Some(before) => hooks.on_modify(before, &shown.after),
        };
        answers.push((shown, answer));
    }
    answers
}
/// The UUIDs a command gives new tasks, the same in every run of it (so that a hook is shown
/// the uuid the task is then saved with).
#[derive(Debug, Default, Clone)]
pub struct FreshUuids {
    made: Vec<Uuid>,
    used: usize,
}

impl FreshUuids {
    /// The next UUID: the one an earlier run of the command used at this point, or a new one.
    pub fn next(&mut self) -> Uuid {
        if self.used == self.made.len() {
            self.made.push(Uuid::new_v4());
        }
        self.used += 1;
        self.made[self.used - 1]
    }

    /// The same UUIDs again, from the first, for the next run of the command.
    pub fn rewound(&self) -> FreshUuids {
        FreshUuids {
            made: self.made.clone(),
            used: 0,
        }
    }
}
