//! The work graph as a tree (DESIGN §6): dependencies and subtasks together, read either way.
//!
//! Going *up* from a task shows what it waits on: its subtasks and its prerequisites, and
//! theirs. Going *down* shows what waits on it: the tasks that depend on it and the task it is
//! part of. A graph that is not a tree (a task two others wait on) is drawn as one: the second
//! time a task comes up it is marked as shown already, and not expanded again.

mod critical;
mod flatten;

pub use critical::critical_path;
pub use flatten::{Line, flatten, path_to};

use std::collections::HashMap;
use std::sync::Arc;

use super::task::{DepKind, Task, TaskId};

/// Which way a tree reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    /// From a task to what it waits on (subtasks and prerequisites).
    #[default]
    Up,
    /// From a task to what waits on it (dependents and its parent).
    Down,
}

/// How a line of the tree hangs from the line above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// It is a subtask of the task above.
    Subtask,
    /// The task above depends on it, this way.
    Prerequisite(DepKind),
    /// The task above is one of its subtasks.
    PartOf,
    /// It depends on the task above, this way.
    Dependent(DepKind),
}

impl Link {
    /// A short label: `subtask`, `fs`, `ss`, `ff`, `relates`, `part of`.
    pub fn label(self) -> &'static str {
        match self {
            Link::Subtask => "subtask",
            Link::PartOf => "part of",
            Link::Prerequisite(kind) | Link::Dependent(kind) => kind.as_str(),
        }
    }

    /// Whether the tree goes on below a line linked this way (`relates` links are shown but
    /// not followed: they may go both ways).
    pub fn is_followed(self) -> bool {
        !matches!(
            self,
            Link::Prerequisite(DepKind::Relates) | Link::Dependent(DepKind::Relates)
        )
    }
}

/// Where each task id sits in a [`Graph`]. Ids are handed out one after another, so a table
/// indexed by id is small and needs no hashing; ids too sparse for that fall back to a map.
#[derive(Debug)]
enum Slots {
    Dense(Vec<u32>),
    Sparse(HashMap<TaskId, u32>),
}

impl Default for Slots {
    fn default() -> Slots {
        Slots::Dense(Vec::new())
    }
}

/// No task at this id.
const NONE: u32 = u32::MAX;

impl Slots {
    fn of(tasks: &[Arc<Task>]) -> Slots {
        let top = tasks.iter().map(|t| t.id.0).max().unwrap_or(0);
        let dense_enough = top <= 4 * tasks.len() as u64 + 1_000_000;
        match usize::try_from(top) {
            Ok(top) if dense_enough => {
                let mut table = vec![NONE; top + 1];
                for (i, t) in tasks.iter().enumerate() {
                    if let (Some(slot), Ok(i)) = (
                        usize::try_from(t.id.0).ok().and_then(|s| table.get_mut(s)),
                        u32::try_from(i),
                    ) {
                        *slot = i;
                    }
                }
                Slots::Dense(table)
            }
            _ => Slots::Sparse(
                tasks
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| u32::try_from(i).ok().map(|i| (t.id, i)))
                    .collect(),
            ),
        }
    }

    fn get(&self, id: TaskId) -> Option<usize> {
        let slot = match self {
            Slots::Dense(table) => *usize::try_from(id.0).ok().and_then(|i| table.get(i))?,
            Slots::Sparse(map) => *map.get(&id)?,
        };
        (slot != NONE).then_some(slot as usize)
    }
}

/// A set of tasks and the links among them, kept by position so that walking 100,000 tasks
/// costs little more than reading them.
#[derive(Debug, Default)]
pub struct Graph {
    tasks: Vec<Arc<Task>>,
    slots: Slots,
    /// For each task, the tasks that depend on it, with how.
    dependents: Vec<Vec<(u32, DepKind)>>,
    /// For each task, its subtasks.
    children: Vec<Vec<u32>>,
}

impl Graph {
    /// The graph of these tasks; links to tasks outside the set are left out.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use tme_core::domain::tree::{Direction, Graph, Link};
    /// use tme_core::domain::{DepKind, Dependency, Task, TaskId};
    /// let now = chrono::Utc::now();
    /// let mut paper = Task::new(TaskId(1), uuid::Uuid::nil(), "Write paper", now);
    /// paper.depends.push(Dependency { on: TaskId(2), kind: DepKind::FinishToStart });
    /// let data = Task::new(TaskId(2), uuid::Uuid::nil(), "Collect data", now);
    /// let graph = Graph::new([Arc::new(paper), Arc::new(data)]);
    /// assert_eq!(graph.roots(Direction::Up), [TaskId(1)]);
    /// assert_eq!(graph.links(TaskId(1), Direction::Up), [(TaskId(2), Link::Prerequisite(DepKind::FinishToStart))]);
    /// ```
    pub fn new(tasks: impl IntoIterator<Item = Arc<Task>>) -> Graph {
        let mut tasks: Vec<Arc<Task>> = tasks.into_iter().collect();
        tasks.sort_unstable_by_key(|t| t.id);
        tasks.dedup_by_key(|t| t.id);
        let slots = Slots::of(&tasks);
        let mut dependents: Vec<Vec<(u32, DepKind)>> = vec![Vec::new(); tasks.len()];
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); tasks.len()];
        for (i, task) in tasks.iter().enumerate() {
            let Ok(me) = u32::try_from(i) else { break };
            for dep in &task.depends {
                if let Some(on) = slots.get(dep.on) {
                    dependents[on].push((me, dep.kind));
                }
            }
            if let Some(parent) = task.parent.and_then(|p| slots.get(p)) {
                children[parent].push(me);
            }
        }
        // Tasks are visited by id, so every list is already in id order.
        Graph {
            tasks,
            slots,
            dependents,
            children,
        }
    }

    /// Where a task sits in the graph.
    pub(super) fn position(&self, id: TaskId) -> Option<usize> {
        self.slots.get(id)
    }

    /// The task at a position.
    pub(super) fn at(&self, position: usize) -> &Arc<Task> {
        &self.tasks[position]
    }

    /// A task in the graph.
    pub fn task(&self, id: TaskId) -> Option<&Arc<Task>> {
        self.slots.get(id).map(|i| &self.tasks[i])
    }

    /// Every task in the graph, by id.
    pub fn tasks(&self) -> impl Iterator<Item = &Arc<Task>> {
        self.tasks.iter()
    }

    /// How many tasks the graph holds.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the graph holds no task.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// The lines that hang from `id` reading `direction`: subtasks before prerequisites (or
    /// dependents before the parent), each by id.
    pub fn links(&self, id: TaskId, direction: Direction) -> Vec<(TaskId, Link)> {
        let mut out = Vec::new();
        if let Some(at) = self.slots.get(id) {
            self.links_at(at, direction, &mut |to, link| {
                out.push((self.tasks[to].id, link))
            });
        }
        out
    }

    /// Calls `visit` with the position and link of each line hanging from position `at`.
    pub(super) fn links_at(
        &self,
        at: usize,
        direction: Direction,
        visit: &mut dyn FnMut(usize, Link),
    ) {
        let task = &self.tasks[at];
        match direction {
            Direction::Up => {
                for child in &self.children[at] {
                    visit(*child as usize, Link::Subtask);
                }
                for dep in &task.depends {
                    if let Some(on) = self.slots.get(dep.on) {
                        visit(on, Link::Prerequisite(dep.kind));
                    }
                }
            }
            Direction::Down => {
                for (dependent, kind) in &self.dependents[at] {
                    visit(*dependent as usize, Link::Dependent(*kind));
                }
                if let Some(parent) = task.parent.and_then(|p| self.slots.get(p)) {
                    visit(parent, Link::PartOf);
                }
            }
        }
    }

    /// Where trees reading `direction` start, by id: going up, the tasks nothing waits on and
    /// that are part of nothing (the goals); going down, the tasks that wait on nothing.
    pub fn roots(&self, direction: Direction) -> Vec<TaskId> {
        let other = match direction {
            Direction::Up => Direction::Down,
            Direction::Down => Direction::Up,
        };
        (0..self.tasks.len())
            .filter(|at| {
                let mut followed = false;
                self.links_at(*at, other, &mut |_, link| followed |= link.is_followed());
                !followed
            })
            .map(|at| self.tasks[at].id)
            .collect()
    }
}

/// A task for the tree's tests: `id`, a subtask of `parent`, finish-to-start on `deps`.
#[cfg(test)]
fn test_task(id: u64, parent: Option<u64>, deps: &[u64]) -> Task {
    use super::task::Dependency;
    let mut t = Task::new(
        TaskId(id),
        uuid::Uuid::nil(),
        format!("t{id}"),
        chrono::DateTime::UNIX_EPOCH,
    );
    t.parent = parent.map(TaskId);
    t.depends = deps
        .iter()
        .map(|d| Dependency {
            on: TaskId(*d),
            kind: DepKind::FinishToStart,
        })
        .collect();
    t
}
