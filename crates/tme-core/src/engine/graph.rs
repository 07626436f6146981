//! The dependency graph: the checks that keep it free of cycles.

use std::collections::{HashMap, HashSet};

use super::error::EngineError;
use crate::domain::{DepKind, Dependency, TaskId};
use crate::store::StoreRead;

/// Dependencies that order work. `relates` links never block and may go both ways.
fn orders_work(kind: DepKind) -> bool {
    kind != DepKind::Relates
}

/// If adding `dep` to `task` would close a cycle, the cycle, starting and ending at `task`
/// (`[12, 7, 31, 12]`: 12 depends on 7, which depends on 31, which depends on 12).
///
/// The search goes both ways at once — from `dep.on` along what it depends on, and from `task`
/// along what depends on it — a level at a time on the smaller side, so that a long chain
/// built one link at a time (an import) costs little per link instead of the whole chain.
pub fn dependency_cycle(
    read: &dyn StoreRead,
    task: TaskId,
    dep: Dependency,
) -> Result<Option<Vec<TaskId>>, EngineError> {
    if !orders_work(dep.kind) {
        return Ok(None);
    }
    let on = dep.on;
    if on == task {
        return Ok(Some(vec![task, task]));
    }
    // Where each task was reached from: ahead (from `on`), behind (from `task`).
    let mut ahead: HashMap<TaskId, TaskId> = HashMap::from([(on, on)]);
    let mut behind: HashMap<TaskId, TaskId> = HashMap::from([(task, task)]);
    let mut ahead_edge = vec![on];
    let mut behind_edge = vec![task];
    while !ahead_edge.is_empty() && !behind_edge.is_empty() {
        // The smaller frontier, or on a tie the side that has seen less: a side that comes to
        // an end soon (nothing depends on a new task yet) ends the search.
        let forward = (ahead_edge.len(), ahead.len()) <= (behind_edge.len(), behind.len());
        let (edge, reached, other) = if forward {
            (&mut ahead_edge, &mut ahead, &behind)
        } else {
            (&mut behind_edge, &mut behind, &ahead)
        };
        let mut next_edge = Vec::new();
        for current in std::mem::take(edge) {
            let links = if forward {
                read.depends_on(current)?
            } else {
                read.dependents(current)?
            };
            for (next, kind) in links {
                if !orders_work(kind) || reached.contains_key(&next) {
                    continue;
                }
                reached.insert(next, current);
                if other.contains_key(&next) {
                    return Ok(Some(cycle_through(next, task, on, &ahead, &behind)));
                }
                next_edge.push(next);
            }
        }
        *edge = next_edge;
    }
    Ok(None)
}

/// The cycle `task` → `on` → … → `meet` → … → `task`, from the two searches' trails.
fn cycle_through(
    meet: TaskId,
    task: TaskId,
    on: TaskId,
    ahead: &HashMap<TaskId, TaskId>,
    behind: &HashMap<TaskId, TaskId>,
) -> Vec<TaskId> {
    let mut front = walk(meet, on, ahead);
    front.reverse();
    let mut path = vec![task];
    path.extend(front);
    path.extend(walk(meet, task, behind).into_iter().skip(1));
    path
}

/// The steps from `from` along `links` until `to` (or a step with no link on), both ends
/// included.
fn walk(from: TaskId, to: TaskId, links: &HashMap<TaskId, TaskId>) -> Vec<TaskId> {
    let mut steps = vec![from];
    let mut step = from;
    while step != to {
        match links.get(&step) {
            Some(next) if *next != step => step = *next,
            _ => break,
        }
        steps.push(step);
    }
    steps
}

/// If making `parent` the parent of `task` would make `task` its own ancestor, the loop
/// (`[task, parent, its parent, …, task]`). The parent's ancestors are walked up while the
/// task's subtasks are searched down, a step at a time each, so a deep hierarchy built from
/// the top (an import) costs little per link.
pub fn parent_cycle(
    read: &dyn StoreRead,
    task: TaskId,
    parent: TaskId,
) -> Result<Option<Vec<TaskId>>, EngineError> {
    let mut chain = vec![task, parent];
    let mut seen = HashSet::from([parent]);
    let mut up = Some(parent);
    // Subtasks of `task` at any depth, with the one each was reached from.
    let mut below: HashMap<TaskId, TaskId> = HashMap::from([(task, task)]);
    let mut edge = vec![task];
    loop {
        if let Some(current) = up {
            up = read.task(current)?.and_then(|t| t.parent);
            if let Some(next) = up {
                chain.push(next);
                if next == task {
                    return Ok(Some(chain));
                }
                if !seen.insert(next) {
                    up = None;
                }
            }
        }
        if !edge.is_empty() {
            let mut next_edge = Vec::new();
            for current in std::mem::take(&mut edge) {
                for child in read.children(current)? {
                    if below.contains_key(&child) {
                        continue;
                    }
                    below.insert(child, current);
                    if child == parent {
                        // `parent` lies under `task`: the loop goes up from it to `task`.
                        let mut chain = vec![task, parent];
                        let mut step = parent;
                        while let Some(previous) = below.get(&step).filter(|p| **p != step) {
                            chain.push(*previous);
                            step = *previous;
                        }
                        return Ok(Some(chain));
                    }
                    next_edge.push(child);
                }
            }
            edge = next_edge;
        }
        if up.is_none() || edge.is_empty() {
            return Ok(None);
        }
    }
}
