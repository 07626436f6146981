//! A tree as the lines that draw it, with box-drawing guides.

use std::collections::HashSet;

use super::{Direction, Graph, Link};
use crate::domain::TaskId;

/// One line of a drawn tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The task on this line.
    pub id: TaskId,
    /// How deep it is (roots are 0).
    pub depth: usize,
    /// How it hangs from the line above it (`None` for a root).
    pub link: Option<Link>,
    /// The guides drawn before it: `│  ├─ `.
    pub guides: String,
    /// Whether anything hangs from it.
    pub has_children: bool,
    /// Whether what hangs from it is shown (false when collapsed or shown already).
    pub expanded: bool,
    /// The task was drawn further up; it is not expanded again here.
    pub repeat: bool,
}

/// How many levels of guides a line keeps; deeper lines show only the nearest ones, so a very
/// deep tree costs no more per line than a shallow one.
pub const MAX_GUIDES: usize = 32;

/// `inherited` followed by `segment` (three characters), keeping the last [`MAX_GUIDES`]
/// levels.
fn deeper(inherited: &str, segment: &str) -> String {
    let levels = inherited.chars().count() / 3;
    let skip = if levels >= MAX_GUIDES { 3 } else { 0 };
    inherited.chars().skip(skip).collect::<String>() + segment
}

struct Pending {
    at: usize,
    link: Option<Link>,
    depth: usize,
    /// Guides for this line's own children.
    inherited: String,
    last: bool,
}

/// The lines of the trees from `roots` reading `direction`, without what hangs from the tasks
/// in `collapsed`. A task met again is shown with [`Line::repeat`] and not expanded again, so
/// the result is finite on any graph. Works without recursion, so a chain of any length is fine.
pub fn flatten(
    graph: &Graph,
    roots: &[TaskId],
    direction: Direction,
    collapsed: &HashSet<TaskId>,
) -> Vec<Line> {
    let mut lines = Vec::with_capacity(graph.len());
    let mut expanded = vec![false; graph.len()];
    let mut folded = vec![false; graph.len()];
    for id in collapsed {
        if let Some(at) = graph.position(*id) {
            folded[at] = true;
        }
    }
    let mut stack: Vec<Pending> = roots
        .iter()
        .rev()
        .filter_map(|id| graph.position(*id))
        .map(|at| Pending {
            at,
            link: None,
            depth: 0,
            inherited: String::new(),
            last: true,
        })
        .collect();
    let mut links: Vec<(usize, Link)> = Vec::new();
    while let Some(node) = stack.pop() {
        links.clear();
        if node.link.is_none_or(Link::is_followed) {
            graph.links_at(node.at, direction, &mut |to, link| links.push((to, link)));
        }
        let repeat = !links.is_empty() && expanded[node.at];
        let open = !links.is_empty() && !repeat && !folded[node.at];
        let (guides, below) = match node.link {
            None => (String::new(), String::new()),
            Some(_) if node.last => (
                node.inherited.clone() + "└─ ",
                deeper(&node.inherited, "   "),
            ),
            Some(_) => (
                node.inherited.clone() + "├─ ",
                deeper(&node.inherited, "│  "),
            ),
        };
        lines.push(Line {
            id: graph.at(node.at).id,
            depth: node.depth,
            link: node.link,
            guides,
            has_children: !links.is_empty(),
            expanded: open,
            repeat,
        });
        if open {
            expanded[node.at] = true;
            let count = links.len();
            for (i, (child, link)) in links.iter().enumerate().rev() {
                stack.push(Pending {
                    at: *child,
                    link: Some(*link),
                    depth: node.depth + 1,
                    inherited: below.clone(),
                    last: i + 1 == count,
                });
            }
        }
    }
    lines
}

/// The tasks from the root down to line `index`: the breadcrumb of where a line sits.
pub fn path_to(lines: &[Line], index: usize) -> Vec<TaskId> {
    let Some(line) = lines.get(index) else {
        return Vec::new();
    };
    let mut path = vec![line.id];
    let mut depth = line.depth;
    for above in lines[..index].iter().rev() {
        if depth == 0 {
            break;
        }
        if above.depth < depth {
            path.push(above.id);
            depth = above.depth;
        }
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::domain::Task;

    fn task(id: u64, parent: Option<u64>, deps: &[u64]) -> Arc<Task> {
        Arc::new(super::super::test_task(id, parent, deps))
    }

    fn drawn(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                let link = l
                    .link
                    .map(|k| format!(" ({})", k.label()))
                    .unwrap_or_default();
                let mark = if l.repeat {
                    " ↑"
                } else if l.has_children && !l.expanded {
                    " +"
                } else {
                    ""
                };
                format!("{}{}{link}{mark}", l.guides, l.id)
            })
            .collect()
    }

    #[test]
    fn goals_with_subtasks_and_prerequisites() {
        // 1 is a goal with subtasks 2 and 3; 3 waits on 4; 4 waits on 5; 6 stands alone.
        let graph = Graph::new([
            task(1, None, &[]),
            task(2, Some(1), &[]),
            task(3, Some(1), &[4]),
            task(4, None, &[5]),
            task(5, None, &[]),
            task(6, None, &[]),
        ]);
        let roots = graph.roots(Direction::Up);
        assert_eq!(roots, [TaskId(1), TaskId(6)]);
        let lines = flatten(&graph, &roots, Direction::Up, &HashSet::new());
        assert_eq!(
            drawn(&lines),
            [
                "1",
                "├─ 2 (subtask)",
                "└─ 3 (subtask)",
                "   └─ 4 (fs)",
                "      └─ 5 (fs)",
                "6"
            ]
        );
        assert_eq!(
            path_to(&lines, 4),
            [TaskId(1), TaskId(3), TaskId(4), TaskId(5)]
        );
        assert_eq!(path_to(&lines, 5), [TaskId(6)]);
        let folded = flatten(&graph, &roots, Direction::Up, &HashSet::from([TaskId(3)]));
        assert_eq!(
            drawn(&folded),
            ["1", "├─ 2 (subtask)", "└─ 3 (subtask) +", "6"]
        );
        let down = flatten(&graph, &[TaskId(5)], Direction::Down, &HashSet::new());
        assert_eq!(
            drawn(&down),
            ["5", "└─ 4 (fs)", "   └─ 3 (fs)", "      └─ 1 (part of)"]
        );
    }

    #[test]
    fn a_shared_prerequisite_is_expanded_once() {
        let graph = Graph::new([
            task(1, None, &[3]),
            task(2, None, &[3]),
            task(3, None, &[4]),
            task(4, None, &[]),
        ]);
        let lines = flatten(
            &graph,
            &graph.roots(Direction::Up),
            Direction::Up,
            &HashSet::new(),
        );
        assert_eq!(
            drawn(&lines),
            ["1", "└─ 3 (fs)", "   └─ 4 (fs)", "2", "└─ 3 (fs) ↑"]
        );
    }

    #[test]
    fn a_loop_through_parent_and_dependency_ends() {
        // 2 is part of 1, and 1 waits on 2: reading up, 1 → 2 → 1 would go round for ever.
        let graph = Graph::new([task(1, None, &[2]), task(2, Some(1), &[])]);
        let lines = flatten(&graph, &[TaskId(1)], Direction::Up, &HashSet::new());
        assert_eq!(drawn(&lines), ["1", "├─ 2 (subtask)", "└─ 2 (fs)"]);
        // 1 is part of nothing and nothing waits on it: the only goal.
        assert_eq!(graph.roots(Direction::Up), [TaskId(1)]);
    }

    #[test]
    fn a_long_chain_needs_no_recursion_and_keeps_guides_short() {
        let n = 50_000u64;
        let chain = (1..=n).map(|i| {
            let next: Vec<u64> = (i < n).then_some(i + 1).into_iter().collect();
            task(i, None, &next)
        });
        let graph = Graph::new(chain.collect::<Vec<_>>());
        let lines = flatten(&graph, &[TaskId(1)], Direction::Up, &HashSet::new());
        assert_eq!(lines.len(), 50_000);
        let last = lines.last().map(|l| (l.depth, l.guides.chars().count()));
        assert_eq!(last, Some((49_999, 3 * (MAX_GUIDES + 1))));
        assert!(
            lines
                .iter()
                .all(|l| l.guides.chars().count() <= 3 * (MAX_GUIDES + 1))
        );
    }
}
