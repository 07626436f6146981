//! The tree view's state: the graph of the tasks shown, which tasks are folded, the lines
//! drawn, and the critical path of the selected task's category.

use std::collections::HashSet;

use crate::domain::tree::{Direction, Graph, Line, critical_path, flatten};
use crate::domain::{Category, TaskId};
use crate::engine::TaskView;

/// What the tree view remembers between frames.
#[derive(Debug, Default)]
pub struct TreeState {
    /// The tasks shown and their links.
    pub graph: Graph,
    /// Tasks whose subtasks and prerequisites are hidden.
    pub collapsed: HashSet<TaskId>,
    /// The lines drawn, in order (the list's rows point at the same tasks).
    pub lines: Vec<Line>,
    /// The critical path of the category it was worked out for.
    pub critical: HashSet<TaskId>,
    /// That category (`None`: tasks without one), once worked out.
    critical_for: Option<Option<Category>>,
}

impl TreeState {
    /// Rebuilds the graph from `views` (the tasks the filter lets through) and redraws.
    pub fn rebuild(&mut self, views: &[&TaskView]) {
        self.graph = Graph::new(views.iter().map(|v| v.task.clone()));
        self.collapsed.retain(|id| self.graph.task(*id).is_some());
        self.critical_for = None;
        self.relayout();
    }

    /// Redraws the lines after folding changed.
    pub fn relayout(&mut self) {
        let roots = self.graph.roots(Direction::Up);
        self.lines = flatten(&self.graph, &roots, Direction::Up, &self.collapsed);
    }

    /// Works out the critical path of `category` unless it is the one already worked out.
    pub fn follow_category(&mut self, category: Option<&Category>) {
        if self
            .critical_for
            .as_ref()
            .is_some_and(|c| c.as_ref() == category)
        {
            return;
        }
        let path = critical_path(&self.graph, |t| t.category.as_ref() == category);
        // A "path" of one task says nothing.
        self.critical = if path.len() > 1 {
            path.into_iter().collect()
        } else {
            HashSet::new()
        };
        self.critical_for = Some(category.cloned());
    }

    /// The line of the first place `id` shows, unfolding what hides it if need be.
    pub fn reveal(&mut self, id: TaskId) -> Option<usize> {
        if let Some(at) = self.lines.iter().position(|l| l.id == id) {
            return Some(at);
        }
        let roots = self.graph.roots(Direction::Up);
        let all = flatten(&self.graph, &roots, Direction::Up, &HashSet::new());
        let at = all.iter().position(|l| l.id == id)?;
        for above in crate::domain::tree::path_to(&all, at) {
            self.collapsed.remove(&above);
        }
        self.relayout();
        self.lines.iter().position(|l| l.id == id)
    }
}
