//! The part of the work graph within reach of one task, for trees drawn from it.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use super::TaskManager;
use super::blocking;
use super::error::EngineError;
use super::query::TaskView;
use crate::domain::TaskId;
use crate::domain::tree::Direction;

/// The most tasks a tree drawn from one task reads.
const MOST: usize = 100_000;

impl TaskManager {
    /// `id` and every task within reach of it reading `direction` (what it waits on, or what
    /// waits on it), whatever their status, with their derived fields.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::tree::Direction;
    /// let paper = tm.add_task("Write paper", None).unwrap();
    /// let data = tm.add_task("Collect data", None).unwrap();
    /// tm.add_task("Unrelated", None).unwrap();
    /// tm.assign_dependency(paper.id, data.id).unwrap();
    /// assert_eq!(tm.reach(paper.id, Direction::Up).unwrap().len(), 2);
    /// assert_eq!(tm.reach(data.id, Direction::Up).unwrap().len(), 1);
    /// assert_eq!(tm.reach(data.id, Direction::Down).unwrap().len(), 2);
    /// ```
    pub fn reach(&self, id: TaskId, direction: Direction) -> Result<Vec<TaskView>, EngineError> {
        let read = self.store.read()?;
        read.task(id)?.ok_or(EngineError::NotFound(id))?;
        let mut seen = BTreeSet::from([id]);
        let mut queue = VecDeque::from([id]);
        while let Some(at) = queue.pop_front() {
            let next: Vec<TaskId> = match direction {
                Direction::Up => {
                    let mut next = read.children(at)?;
                    next.extend(read.depends_on(at)?.into_iter().map(|(on, _)| on));
                    next
                }
                Direction::Down => {
                    let mut next: Vec<TaskId> =
                        read.dependents(at)?.into_iter().map(|(d, _)| d).collect();
                    next.extend(read.task(at)?.and_then(|t| t.parent));
                    next
                }
            };
            for to in next {
                if seen.len() < MOST && seen.insert(to) {
                    queue.push_back(to);
                }
            }
        }
        let mut tasks = Vec::with_capacity(seen.len());
        for at in seen {
            tasks.extend(read.task(at)?.map(Arc::new));
        }
        let states = blocking::graph_states(&*read, &tasks, false)?;
        let time = self.time();
        Ok(tasks
            .into_iter()
            .zip(states)
            .map(|(task, graph)| self.view_of(task, graph, &time))
            .collect())
    }
}
