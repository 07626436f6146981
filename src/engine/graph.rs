//! The dependency graph: cycle checks, and which tasks are blocked or blocking.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::error::EngineError;
use crate::domain::{DepKind, Dependency, GraphState, Task, TaskId};
use crate::store::StoreRead;

/// Dependencies that order work. `relates` links never block and may go both ways.
fn orders_work(kind: DepKind) -> bool {
    kind != DepKind::Relates
}

/// If adding `dep` to `task` would close a cycle, the cycle, starting and ending at `task`
/// (`[12, 7, 31, 12]`: 12 depends on 7, which depends on 31, which depends on 12).
pub fn dependency_cycle(
    read: &dyn StoreRead,
    task: TaskId,
    dep: Dependency,
) -> Result<Option<Vec<TaskId>>, EngineError> {
    if !orders_work(dep.kind) {
        return Ok(None);
    }
    let on = dep.on;
    let mut came_from: HashMap<TaskId, TaskId> = HashMap::new();
    let mut queue = VecDeque::from([on]);
    let mut seen = HashSet::from([on]);
    while let Some(current) = queue.pop_front() {
        if current == task {
            let mut path = vec![task];
            let mut step = task;
            while step != on {
                match came_from.get(&step) {
                    Some(previous) => step = *previous,
                    None => break,
                }
                path.push(step);
            }
            path.push(task);
            path.reverse();
            return Ok(Some(path));
        }
        for (next, kind) in read.depends_on(current)? {
            if orders_work(kind) && seen.insert(next) {
                came_from.insert(next, current);
                queue.push_back(next);
            }
        }
    }
    Ok(None)
}

/// If making `parent` the parent of `task` would make `task` its own ancestor, the loop.
pub fn parent_cycle(
    read: &dyn StoreRead,
    task: TaskId,
    parent: TaskId,
) -> Result<Option<Vec<TaskId>>, EngineError> {
    let mut chain = vec![task, parent];
    let mut seen = HashSet::from([parent]);
    let mut current = parent;
    while let Some(up) = read.task(current)?.and_then(|t| t.parent) {
        chain.push(up);
        if up == task {
            return Ok(Some(chain));
        }
        if !seen.insert(up) {
            break;
        }
        current = up;
    }
    Ok(None)
}

/// Blocked and blocking for each of `tasks`. When `tasks` holds every open task, this is worked
/// out in memory; otherwise from the dependency indexes.
pub fn graph_states(
    read: &dyn StoreRead,
    tasks: &[Arc<Task>],
    all_open: bool,
) -> Result<Vec<GraphState>, EngineError> {
    let blocks = |d: &Dependency| d.kind == DepKind::FinishToStart;
    if all_open {
        let open = IdSet::of(tasks.iter().filter(|t| t.status.is_open()).map(|t| t.id));
        let waited_on = IdSet::of(
            tasks
                .iter()
                .filter(|t| t.status.is_open())
                .flat_map(|t| t.depends.iter().filter(|d| blocks(d)).map(|d| d.on)),
        );
        return Ok(tasks
            .iter()
            .map(|t| {
                let open_self = open.contains(t.id);
                GraphState {
                    blocked: open_self
                        && t.depends.iter().any(|d| blocks(d) && open.contains(d.on)),
                    blocking: open_self && waited_on.contains(t.id),
                }
            })
            .collect());
    }
    tasks
        .iter()
        .map(|t| {
            if !t.status.is_open() {
                return Ok(GraphState::default());
            }
            let mut blocked = false;
            for dep in t.depends.iter().filter(|d| blocks(d)) {
                if read.is_open(dep.on)? {
                    blocked = true;
                    break;
                }
            }
            let mut blocking = false;
            for (dependent, kind) in read.dependents(t.id)? {
                if kind == DepKind::FinishToStart && read.is_open(dependent)? {
                    blocking = true;
                    break;
                }
            }
            Ok(GraphState { blocked, blocking })
        })
        .collect()
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
