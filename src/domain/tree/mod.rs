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

/// A set of tasks and the links among them.
#[derive(Debug, Default)]
pub struct Graph {
    tasks: HashMap<TaskId, Arc<Task>>,
    dependents: HashMap<TaskId, Vec<(TaskId, DepKind)>>,
    children: HashMap<TaskId, Vec<TaskId>>,
}

impl Graph {
    /// The graph of these tasks; links to tasks outside the set are left out.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use tme::domain::tree::{Direction, Graph, Link};
    /// use tme::domain::{DepKind, Dependency, Task, TaskId};
    /// let now = chrono::Utc::now();
    /// let mut paper = Task::new(TaskId(1), uuid::Uuid::nil(), "Write paper", now);
    /// paper.depends.push(Dependency { on: TaskId(2), kind: DepKind::FinishToStart });
    /// let data = Task::new(TaskId(2), uuid::Uuid::nil(), "Collect data", now);
    /// let graph = Graph::new([Arc::new(paper), Arc::new(data)]);
    /// assert_eq!(graph.roots(Direction::Up), [TaskId(1)]);
    /// assert_eq!(graph.links(TaskId(1), Direction::Up), [(TaskId(2), Link::Prerequisite(DepKind::FinishToStart))]);
    /// ```
    pub fn new(tasks: impl IntoIterator<Item = Arc<Task>>) -> Graph {
        let tasks: HashMap<TaskId, Arc<Task>> = tasks.into_iter().map(|t| (t.id, t)).collect();
        let mut dependents: HashMap<TaskId, Vec<(TaskId, DepKind)>> = HashMap::new();
        let mut children: HashMap<TaskId, Vec<TaskId>> = HashMap::new();
        for task in tasks.values() {
            for dep in task.depends.iter().filter(|d| tasks.contains_key(&d.on)) {
                dependents
                    .entry(dep.on)
                    .or_default()
                    .push((task.id, dep.kind));
            }
            if let Some(parent) = task.parent.filter(|p| tasks.contains_key(p)) {
                children.entry(parent).or_default().push(task.id);
            }
        }
        for list in dependents.values_mut() {
            list.sort();
        }
        for list in children.values_mut() {
            list.sort();
        }
        Graph {
            tasks,
            dependents,
            children,
        }
    }

    /// A task in the graph.
    pub fn task(&self, id: TaskId) -> Option<&Arc<Task>> {
        self.tasks.get(&id)
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
        let Some(task) = self.tasks.get(&id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match direction {
            Direction::Up => {
                let children = self.children.get(&id).map_or(&[][..], Vec::as_slice);
                out.extend(children.iter().map(|c| (*c, Link::Subtask)));
                out.extend(
                    task.depends
                        .iter()
                        .filter(|d| self.tasks.contains_key(&d.on))
                        .map(|d| (d.on, Link::Prerequisite(d.kind))),
                );
            }
            Direction::Down => {
                let dependents = self.dependents.get(&id).map_or(&[][..], Vec::as_slice);
                out.extend(
                    dependents
                        .iter()
                        .map(|(d, kind)| (*d, Link::Dependent(*kind))),
                );
                out.extend(
                    task.parent
                        .filter(|p| self.tasks.contains_key(p))
                        .map(|p| (p, Link::PartOf)),
                );
            }
        }
        out
    }

    /// Where trees reading `direction` start, by id: going up, the tasks nothing waits on and
    /// that are part of nothing (the goals); going down, the tasks that wait on nothing.
    pub fn roots(&self, direction: Direction) -> Vec<TaskId> {
        let other = match direction {
            Direction::Up => Direction::Down,
            Direction::Down => Direction::Up,
        };
        let mut roots: Vec<TaskId> = self
            .tasks
            .keys()
            .filter(|id| {
                self.links(**id, other)
                    .iter()
                    .all(|(_, link)| !link.is_followed())
            })
            .copied()
            .collect();
        roots.sort();
        roots
    }
}
