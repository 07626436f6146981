//! The critical path: the longest chain of work, by estimates, that must happen in order.

use std::collections::HashMap;

use super::{Direction, Graph};
use crate::domain::{Task, TaskId};

/// The chain of tasks among those `member` accepts whose estimates add up to the most, each
/// waiting on the next (through a prerequisite or a subtask): the work that decides how soon
/// the last of them can be done. Tasks without an estimate count as no time; among chains of
/// equal time the longer one wins. Empty when no task is a member.
///
/// ```
/// use std::sync::Arc;
/// use tme_core::domain::tree::{critical_path, Graph};
/// use tme_core::domain::{DepKind, Dependency, Duration, Task, TaskId};
/// let now = chrono::Utc::now();
/// let task = |id: u64, est: u64, deps: &[u64]| {
///     let mut t = Task::new(TaskId(id), uuid::Uuid::nil(), format!("t{id}"), now);
///     t.estimate = Some(Duration::from_secs(est * 3600));
///     t.depends = deps.iter().map(|d| Dependency { on: TaskId(*d), kind: DepKind::FinishToStart }).collect();
///     Arc::new(t)
/// };
/// // 1 waits on 2 (5h) and on 3 (1h); 3 waits on 4 (1h).
/// let graph = Graph::new([task(1, 1, &[2, 3]), task(2, 5, &[]), task(3, 1, &[4]), task(4, 1, &[])]);
/// assert_eq!(critical_path(&graph, |_| true), [TaskId(1), TaskId(2)]);
/// ```
pub fn critical_path(graph: &Graph, member: impl Fn(&Task) -> bool) -> Vec<TaskId> {
    let members: Vec<TaskId> = {
        let mut ids: Vec<TaskId> = graph.tasks().filter(|t| member(t)).map(|t| t.id).collect();
        ids.sort();
        ids
    };
    let is_member = |id: &TaskId| graph.task(*id).is_some_and(|t| member(t));
    let next = |id: TaskId| -> Vec<TaskId> {
        graph
            .links(id, Direction::Up)
            .into_iter()
            .filter(|(to, link)| link.is_followed() && is_member(to))
            .map(|(to, _)| to)
            .collect()
    };
    let weight = |id: TaskId| {
        graph
            .task(id)
            .and_then(|t| t.estimate)
            .map_or(0, |e| e.as_secs())
    };
    // Longest chain from each task, worked out children first without recursion. A task met
    // again while its own chain is being worked out (a loop through parent and dependency
    // links) counts as ending there.
    let mut best: HashMap<TaskId, ((u64, usize), Option<TaskId>)> = HashMap::new();
    let mut on_path: HashMap<TaskId, bool> = HashMap::new();
    for start in &members {
        let mut stack = vec![(*start, false)];
        while let Some((id, done)) = stack.pop() {
            if best.contains_key(&id) {
                continue;
            }
            if done {
                let mut choice: ((u64, usize), Option<TaskId>) = ((0, 0), None);
                for to in next(id) {
                    if let Some((score, _)) = best.get(&to)
                        && *score > choice.0
                    {
                        choice = (*score, Some(to));
                    }
                }
                let score = (choice.0.0 + weight(id), choice.0.1 + 1);
                best.insert(id, (score, choice.1));
                on_path.remove(&id);
                continue;
            }
            if on_path.insert(id, true).is_some() {
                continue;
            }
            stack.push((id, true));
            stack.extend(
                next(id)
                    .into_iter()
                    .filter(|to| !best.contains_key(to) && !on_path.contains_key(to))
                    .map(|to| (to, false)),
            );
        }
    }
    let Some(mut at) = members
        .iter()
        .max_by(|a, b| {
            let score = |id: &TaskId| best.get(id).map(|(s, _)| *s);
            score(a).cmp(&score(b)).then(b.cmp(a))
        })
        .copied()
    else {
        return Vec::new();
    };
    let mut path = vec![at];
    while let Some((_, Some(to))) = best.get(&at) {
        if path.contains(to) {
            break;
        }
        path.push(*to);
        at = *to;
    }
    path
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::domain::{Category, Duration};

    fn task(id: u64, hours: u64, category: &str, deps: &[u64], parent: Option<u64>) -> Arc<Task> {
        let mut t = super::super::test_task(id, parent, deps);
        t.estimate = (hours > 0).then(|| Duration::from_secs(hours * 3600));
        t.category = Category::parse(category).ok();
        Arc::new(t)
    }

    #[test]
    fn the_heaviest_chain_within_the_category() {
        let graph = Graph::new([
            task(1, 1, "Work", &[2, 3], None),
            task(2, 2, "Work", &[], None),
            task(3, 1, "Work", &[4], None),
            task(4, 3, "Work", &[9], None),
            task(5, 1, "Work", &[], Some(1)),
            task(9, 40, "Home", &[], None),
        ]);
        let work = |t: &Task| t.category.as_ref().is_some_and(|c| c.as_str() == "Work");
        assert_eq!(
            critical_path(&graph, work),
            [TaskId(1), TaskId(3), TaskId(4)]
        );
        assert_eq!(
            critical_path(&graph, |_| true),
            [TaskId(1), TaskId(3), TaskId(4), TaskId(9)]
        );
        assert!(critical_path(&graph, |_| false).is_empty());
    }

    #[test]
    fn without_estimates_the_longest_chain_wins_and_loops_end() {
        let graph = Graph::new([
            task(1, 0, "W", &[2], None),
            task(2, 0, "W", &[3], Some(1)),
            task(3, 0, "W", &[], None),
        ]);
        let path = critical_path(&graph, |_| true);
        assert_eq!(path, [TaskId(1), TaskId(2), TaskId(3)]);
    }
}
