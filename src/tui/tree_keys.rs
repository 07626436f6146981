//! What the tree view's own keys do: fold and unfold, walk up and down the tree, jump to a
//! blocker, add a subtask or a dependency in place.

use super::model::Model;
use super::msg::{Cmd, Feedback};
use super::popup::{Picker, Popup, QuickAdd};
use crate::config::Action;
use crate::domain::{OtherState, Step, holds_back};

/// Runs one of the tree's actions; `select` moves the selection to a row and says what to
/// load for it.
pub fn on_tree_action(
    model: &mut Model,
    action: Action,
    select: fn(&mut Model, usize) -> Vec<Cmd>,
) -> Vec<Cmd> {
    let at = model.selected;
    let Some(line) = model.tree.lines.get(at).cloned() else {
        return Vec::new();
    };
    match action {
        Action::Fold => {
            if line.has_children && !line.repeat {
                if !model.tree.collapsed.remove(&line.id) {
                    model.tree.collapsed.insert(line.id);
                }
                refold(model, at);
            }
            Vec::new()
        }
        Action::Collapse => {
            if line.expanded {
                model.tree.collapsed.insert(line.id);
                refold(model, at);
                return Vec::new();
            }
            let path = crate::domain::tree::path_to(&model.tree.lines, at);
            match path.len().checked_sub(2).and_then(|i| path.get(i)) {
                Some(parent) => {
                    let row = (0..at).rev().find(|i| {
                        model.tree.lines[*i].id == *parent
                            && model.tree.lines[*i].depth + 1 == line.depth
                    });
                    row.map(|r| select(model, r)).unwrap_or_default()
                }
                None => Vec::new(),
            }
        }
        Action::Expand => {
            if line.has_children && !line.expanded && !line.repeat {
                model.tree.collapsed.remove(&line.id);
                refold(model, at);
                Vec::new()
            } else if line.expanded {
                select(model, at + 1)
            } else {
                Vec::new()
            }
        }
        Action::JumpToBlocker => {
            let Some(view) = model.selected_view() else {
                return Vec::new();
            };
            let blocker = view.task.depends.iter().find_map(|dep| {
                let other = model.view_by_id(dep.on)?;
                let state = OtherState::of(&other.task);
                holds_back(dep.kind, Step::Complete, state).then_some(dep.on)
            });
            match blocker {
                Some(id) if model.select_in_tree(id) => {
                    let row = model.selected;
                    model.selected = at;
                    select(model, row)
                }
                Some(id) => {
                    model.tell(Feedback::error(format!(
                        "Task {id} is not shown (the filter hides it)"
                    )));
                    Vec::new()
                }
                None => {
                    model.tell(Feedback::ok(format!(
                        "Task {} waits on nothing open",
                        line.id
                    )));
                    Vec::new()
                }
            }
        }
        Action::AddSubtask => {
            let text = format!("parent:{} ", line.id);
            model.popup = Some(Popup::QuickAdd(Box::new(QuickAdd::with_text(
                &text,
                &model.time,
                model.types.clone(),
            ))));
            Vec::new()
        }
        Action::AddDependency => {
            if let Some(view) = model.selected_view() {
                let picker = Picker::new(
                    view.task.id,
                    view.task.title.clone(),
                    model.data.views.clone(),
                );
                model.popup = Some(Popup::Pick(Box::new(picker)));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Lays the tree out again after folding, keeping the same line selected.
fn refold(model: &mut Model, at: usize) {
    model.tree.relayout();
    model.rows_from_tree();
    model.selected = at.min(model.rows.len().saturating_sub(1));
}
