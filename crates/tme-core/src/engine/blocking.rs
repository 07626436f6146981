//! What the dependency graph and the subtask tree say about each task: whether it is blocked,
//! whether it blocks others, and how far its subtasks have got.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::error::EngineError;
use crate::domain::{
    Dependency, GraphState, OtherState, Progress, Rank, Status, Step, Task, TaskId, holds_back,
};
use crate::store::StoreRead;

/// Blocked, blocking and progress for each of `tasks`. When `tasks` holds every open task,
/// this is worked out in memory (plus one scan of the subtask index); otherwise from the
/// indexes, task by task.
pub fn graph_states(
    read: &dyn StoreRead,
    tasks: &[Arc<Task>],
    all_open: bool,
) -> Result<Vec<GraphState>, EngineError> {
    if all_open {
        return states_in_memory(read, tasks);
    }
    let mut subtrees = Subtrees::new(|id| Ok(read.children(id)?), |id| status(read, id));
    tasks
        .iter()
        .map(|t| {
            if !t.status.is_open() {
                return Ok(GraphState {
                    progress: subtrees.of(t.id)?,
                    ..GraphState::default()
                });
            }
            let blocked = !held_back_by(read, t, Step::Start)?.is_empty();
            let mut blocking = false;
            let me = OtherState::of(t);
            for (dependent, kind) in read.dependents(t.id)? {
                if holds_back(kind, Step::Start, me) && read.is_open(dependent)? {
                    blocking = true;
                    break;
                }
            }
            Ok(GraphState {
                blocked,
                blocking,
                progress: subtrees.of(t.id)?,
            })
        })
        .collect()
}

/// The dependencies of `task` that hold it back from `step` now.
pub fn held_back_by(
    read: &dyn StoreRead,
    task: &Task,
    step: Step,
) -> Result<Vec<Dependency>, EngineError> {
    let mut out = Vec::new();
    for dep in &task.depends {
        if holds_back(dep.kind, step, other_state(read, dep)?) {
            out.push(*dep);
        }
    }
    Ok(out)
}

/// The state of the task a dependency is on, decoding it only when the kind needs to know
/// whether it has started.
fn other_state(read: &dyn StoreRead, dep: &Dependency) -> Result<OtherState, EngineError> {
    if dep.kind == crate::domain::DepKind::StartToStart {
        return Ok(read.task(dep.on)?.map_or(
            OtherState {
                open: false,
                started: false,
            },
            |t| OtherState::of(&t),
        ));
    }
    Ok(OtherState {
        open: read.is_open(dep.on)?,
        started: true,
    })
}

fn status(read: &dyn StoreRead, id: TaskId) -> Result<Option<Status>, EngineError> {
    Ok(read.task(id)?.map(|t| t.status))
}

fn states_in_memory(
    read: &dyn StoreRead,
    tasks: &[Arc<Task>],
) -> Result<Vec<GraphState>, EngineError> {
    let nodes = tasks.iter().map(|t| Node {
        id: t.id,
        open: t.status.is_open(),
        started: t.started.is_some(),
        depends: &t.depends,
    });
    states_of(read, nodes.collect())
}

/// Blocked, blocking and progress for each of `ranks`, which hold every open task: the same
/// as [`graph_states`] of the whole tasks says.
pub fn rank_states(read: &dyn StoreRead, ranks: &[Rank]) -> Result<Vec<GraphState>, EngineError> {
    let nodes = ranks.iter().map(|r| Node {
        id: r.id,
        open: r.status.is_open(),
        started: r.started,
        depends: &r.depends,
    });
    states_of(read, nodes.collect())
}

/// Blocked, blocking and progress for each of `nodes`, which hold every open task.
fn states_of(read: &dyn StoreRead, nodes: Vec<Node<'_>>) -> Result<Vec<GraphState>, EngineError> {
    let (open, held) = holding(&nodes);
    let progress = progress_of_open(read, &open)?;
    Ok(nodes
        .iter()
        .zip(held)
        .map(|(n, (blocked, blocking))| GraphState {
            blocked,
            blocking,
            progress: progress.get(&n.id).copied(),
        })
        .collect())
}

/// What the dependency graph needs of a task.
struct Node<'a> {
    id: TaskId,
    open: bool,
    started: bool,
    depends: &'a [Dependency],
}

/// The open tasks among `nodes` (which hold every open task), and for each node whether a
/// dependency holds it back from starting (blocked) and whether it holds an open task back
/// (blocking).
fn holding(nodes: &[Node<'_>]) -> (IdSet, Vec<(bool, bool)>) {
    let open_nodes = || nodes.iter().filter(|n| n.open);
    let open = IdSet::of(open_nodes().map(|n| n.id));
    let unstarted = IdSet::of(open_nodes().filter(|n| !n.started).map(|n| n.id));
    let state = |id: TaskId| OtherState {
        open: open.contains(id),
        started: !unstarted.contains(id),
    };
    let holds = |d: &Dependency| holds_back(d.kind, Step::Start, state(d.on));
    let waited_on =
        IdSet::of(open_nodes().flat_map(|n| n.depends.iter().filter(|d| holds(d)).map(|d| d.on)));
    let held = nodes
        .iter()
        .map(|n| {
            let open_self = open.contains(n.id);
            (
                open_self && n.depends.iter().any(holds),
                open_self && waited_on.contains(n.id),
            )
        })
        .collect();
    (open, held)
}

/// Progress of every open task that has subtasks, from one scan of the subtask index. Closed
/// subtasks are decoded only to tell completed from deleted.
fn progress_of_open(
    read: &dyn StoreRead,
    open: &IdSet,
) -> Result<HashMap<TaskId, Progress>, EngineError> {
    let mut children: HashMap<TaskId, Vec<TaskId>> = HashMap::new();
    for (parent, child) in read.subtask_links()? {
        children.entry(parent).or_default().push(child);
    }
    let mut closed: HashMap<TaskId, Option<Status>> = HashMap::new();
    let status_of = |id: TaskId| -> Result<Option<Status>, EngineError> {
        if open.contains(id) {
            return Ok(Some(Status::Pending));
        }
        if let Some(known) = closed.get(&id) {
            return Ok(*known);
        }
        let found = status(read, id)?;
        closed.insert(id, found);
        Ok(found)
    };
    let parents: Vec<TaskId> = children.keys().copied().collect();
    let mut subtrees = Subtrees::new(
        |id| Ok(children.get(&id).cloned().unwrap_or_default()),
        status_of,
    );
    let mut out = HashMap::new();
    for parent in parents.into_iter().filter(|p| open.contains(*p)) {
        if let Some(found) = subtrees.of(parent)? {
            out.insert(parent, found);
        }
    }
    Ok(out)
}

/// Subtasks at any depth, done out of all, for any number of tasks: each task's subtree is
/// counted once, bottom up, and remembered, so a deep hierarchy costs its size, not its size
/// times its depth. A deleted subtask does not count, and neither does anything under it.
struct Subtrees<C, S> {
    children: C,
    status: S,
    below: HashMap<TaskId, Progress>,
    entered: HashSet<TaskId>,
}

impl<C, S> Subtrees<C, S>
where
    C: FnMut(TaskId) -> Result<Vec<TaskId>, EngineError>,
    S: FnMut(TaskId) -> Result<Option<Status>, EngineError>,
{
    fn new(children: C, status: S) -> Subtrees<C, S> {
        Subtrees {
            children,
            status,
            below: HashMap::new(),
            entered: HashSet::new(),
        }
    }

    /// The subtasks of `root`, done out of all; `None` when it has none.
    fn of(&mut self, root: TaskId) -> Result<Option<Progress>, EngineError> {
        let mut stack = vec![(root, false)];
        while let Some((id, counted)) = stack.pop() {
            if self.below.contains_key(&id) {
                continue;
            }
            let subtasks = (self.children)(id)?;
            if !counted {
                // Met again before it was counted: a loop, which the engine never lets happen.
                if !self.entered.insert(id) {
                    continue;
                }
                stack.push((id, true));
                stack.extend(subtasks.into_iter().map(|c| (c, false)));
                continue;
            }
            let mut counts = Progress::default();
            for child in subtasks {
                match (self.status)(child)? {
                    None | Some(Status::Deleted) => {}
                    Some(found) => {
                        let under = self.below.get(&child).copied().unwrap_or_default();
                        counts.total += 1 + under.total;
                        counts.done += u32::from(found == Status::Completed) + under.done;
                    }
                }
            }
            self.below.insert(id, counts);
        }
        Ok(self.below.get(&root).copied().filter(|c| c.total > 0))
    }
}

/// A set of task ids. Ids are handed out one after another, so they are small and dense and a
/// bitmap beats hashing for 100,000 tasks; ids too large for a small bitmap fall back to a hash
/// set.
enum IdSet {
    Bits(Vec<u64>),
    Sparse(HashSet<TaskId>),
}

/// The largest id a bitmap holds (a bitmap of 8 MiB).
const BITMAP_IDS: u64 = 1 << 26;

impl IdSet {
    fn of(ids: impl Iterator<Item = TaskId>) -> IdSet {
        let ids: Vec<TaskId> = ids.collect();
        if ids.iter().any(|id| id.0 >= BITMAP_IDS) {
            return IdSet::Sparse(ids.into_iter().collect());
        }
        let words = ids.iter().map(|id| id.0 / 64 + 1).max().unwrap_or(0);
        let mut bits = vec![0u64; usize::try_from(words).unwrap_or(0)];
        for id in ids {
            if let Some(word) = bits.get_mut(usize::try_from(id.0 / 64).unwrap_or(usize::MAX)) {
                *word |= 1 << (id.0 % 64);
            }
        }
        IdSet::Bits(bits)
    }

    fn contains(&self, id: TaskId) -> bool {
        match self {
            IdSet::Bits(bits) => usize::try_from(id.0 / 64)
                .ok()
                .and_then(|word| bits.get(word))
                .is_some_and(|w| w & (1 << (id.0 % 64)) != 0),
            IdSet::Sparse(set) => set.contains(&id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_sets_small_and_large() {
        let small = IdSet::of([TaskId(1), TaskId(64), TaskId(65)].into_iter());
        assert!(
            small.contains(TaskId(64)) && small.contains(TaskId(1)) && !small.contains(TaskId(2))
        );
        assert!(!small.contains(TaskId(1_000_000)));
        let large = IdSet::of([TaskId(3), TaskId(u64::MAX)].into_iter());
        assert!(matches!(large, IdSet::Sparse(_)));
        assert!(
            large.contains(TaskId(u64::MAX))
                && large.contains(TaskId(3))
                && !large.contains(TaskId(4))
        );
    }
}
