//! When a dependency holds a task back (DESIGN §6): finish-to-start waits for the other task to
//! finish, start-to-start for it to start, finish-to-finish lets work begin but not end, and
//! `relates` never holds anything back.

use super::task::{DepKind, Task};

/// A step in a task's life that a dependency can hold back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Starting work (`tme start`).
    Start,
    /// Finishing it (`tme done`).
    Complete,
}

impl Step {
    /// The verb, for messages: "start", "complete".
    pub fn verb(self) -> &'static str {
        match self {
            Step::Start => "start",
            Step::Complete => "complete",
        }
    }
}

/// What a dependency needs to know about the task depended on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherState {
    /// It is still open (pending, started or waiting).
    pub open: bool,
    /// It has been started at some point.
    pub started: bool,
}

impl OtherState {
    /// The state of a task as a dependency sees it.
    pub fn of(task: &Task) -> OtherState {
        OtherState {
            open: task.status.is_open(),
            started: task.started.is_some(),
        }
    }
}

/// Whether a dependency of `kind` on a task in state `other` holds back `step`.
///
/// ```
/// use tme_core::domain::{DepKind, OtherState, Step, holds_back};
/// let running = OtherState { open: true, started: true };
/// assert!(holds_back(DepKind::FinishToStart, Step::Start, running));
/// assert!(!holds_back(DepKind::StartToStart, Step::Start, running));
/// assert!(!holds_back(DepKind::FinishToFinish, Step::Start, running));
/// assert!(holds_back(DepKind::FinishToFinish, Step::Complete, running));
/// ```
pub fn holds_back(kind: DepKind, step: Step, other: OtherState) -> bool {
    if !other.open {
        return false;
    }
    match kind {
        DepKind::FinishToStart => true,
        DepKind::StartToStart => !other.started,
        DepKind::FinishToFinish => step == Step::Complete,
        DepKind::Relates => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_against_each_state() {
        let states = [
            (false, false, "closed"),
            (true, false, "not started"),
            (true, true, "started"),
        ];
        // (kind, step) → held back for: closed, not started, started
        let table = [
            (DepKind::FinishToStart, Step::Start, [false, true, true]),
            (DepKind::FinishToStart, Step::Complete, [false, true, true]),
            (DepKind::StartToStart, Step::Start, [false, true, false]),
            (DepKind::StartToStart, Step::Complete, [false, true, false]),
            (DepKind::FinishToFinish, Step::Start, [false, false, false]),
            (DepKind::FinishToFinish, Step::Complete, [false, true, true]),
            (DepKind::Relates, Step::Start, [false, false, false]),
            (DepKind::Relates, Step::Complete, [false, false, false]),
        ];
        for (kind, step, expected) in table {
            for ((open, started, name), held) in states.iter().zip(expected) {
                let other = OtherState {
                    open: *open,
                    started: *started,
                };
                assert_eq!(
                    holds_back(kind, step, other),
                    held,
                    "{kind:?} {step:?} when the other is {name}"
                );
            }
        }
    }
}
