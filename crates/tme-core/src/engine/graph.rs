//! The dependency graph: the checks that keep it free of cycles.

use std::collections::{HashMap, HashSet, VecDeque};

use super::error::EngineError;
use crate::domain::{DepKind, Dependency, TaskId};
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
