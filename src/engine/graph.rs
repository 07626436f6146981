//! The dependency graph: cycle checks, and which tasks are blocked or blocking.

use std::collections::{HashMap, HashSet, VecDeque};

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
    tasks: &[Task],
    all_open: bool,
) -> Result<Vec<GraphState>, EngineError> {
    let blocks = |d: &Dependency| d.kind == DepKind::FinishToStart;
    if all_open {
        // Sorted id lists and binary search: cheaper than hashing for 100,000 tasks.
        let mut open: Vec<TaskId> = tasks
            .iter()
            .filter(|t| t.status.is_open())
            .map(|t| t.id)
            .collect();
        open.sort_unstable();
        let is_open = |id: &TaskId| open.binary_search(id).is_ok();
        let mut waited_on: Vec<TaskId> = tasks
            .iter()
            .filter(|t| t.status.is_open())
            .flat_map(|t| t.depends.iter().filter(|d| blocks(d)).map(|d| d.on))
            .collect();
        waited_on.sort_unstable();
        waited_on.dedup();
        return Ok(tasks
            .iter()
            .map(|t| {
                let open_self = is_open(&t.id);
                GraphState {
                    blocked: open_self && t.depends.iter().any(|d| blocks(d) && is_open(&d.on)),
                    blocking: open_self && waited_on.binary_search(&t.id).is_ok(),
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
