//! What a TaskManager's own commands changed, heard from the engine as each commits, kept
//! for the thread that made the change until its call returns; then (holding the
//! interpreter, outside the engine's write) the Python callbacks are called.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::ThreadId;

use tme_core::domain::{Op, Task};
use tme_core::engine::{Change, ChangeObserver};

/// The changes committed on each thread since its call began.
#[derive(Default)]
pub struct Heard {
    changes: Mutex<HashMap<ThreadId, Vec<(Op, Task)>>>,
}

impl Heard {
    /// A call begins on this thread: nothing heard yet.
    pub fn begin(&self) {
        if let Ok(mut all) = self.changes.lock() {
            all.remove(&std::thread::current().id());
        }
    }

    /// What this thread's call committed, in order.
    pub fn take(&self) -> Vec<(Op, Task)> {
        self.changes
            .lock()
            .ok()
            .and_then(|mut all| all.remove(&std::thread::current().id()))
            .unwrap_or_default()
    }
}

impl ChangeObserver for Heard {
    fn committed(&self, changes: &[Change]) {
        if let Ok(mut all) = self.changes.lock() {
            all.entry(std::thread::current().id())
                .or_default()
                .extend(changes.iter().map(|c| (c.op, c.task.clone())));
        }
    }
}
