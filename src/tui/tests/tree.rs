//! The tree view: drawing, folding, walking, jumping to blockers and changing the graph in
//! place.

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;

use super::Harness;
use crate::domain::{DepKind, Status, TaskId};
use crate::tui::popup::Popup;

/// A release (1) with subtasks 2 and 3; 3 waits on 4; 5 waits for 3 to start and 1 cannot
/// finish before 5; a research goal (6) waiting on a chain 7 → 8 with estimates; 9 alone.
fn project() -> Harness {
    let mut h = Harness::empty();
    for line in [
        "Release 1.0 #Work est:1h",
        "Write changelog parent:1 #Work est:2h",
        "Fix crash on start parent:1 #Work est:3h",
        "Reproduce crash #Work est:1h",
        "Tag the release #Work dep:ss:3",
        "Submit paper #Research due:fri",
        "Run ablation #Research est:6h",
        "Collect data #Research est:2d",
        "Buy coffee beans #Shopping",
    ] {
        h.add(line);
    }
    let link = |task: u64, on: u64, kind: DepKind| {
        h.engine
            .transaction("dep", |s| s.add_dependency(TaskId(task), TaskId(on), kind))
            .unwrap_or_else(|e| panic!("dep {task} {on}: {e}"));
    };
    link(3, 4, DepKind::FinishToStart);
    link(1, 5, DepKind::FinishToFinish);
    link(6, 7, DepKind::FinishToStart);
    link(7, 8, DepKind::FinishToStart);
    h.load();
    let in_list = h.selected_id();
    h.key('2');
    assert_eq!(h.selected_id(), in_list, "the same task stays selected");
    h.key('g');
    h
}

#[test]
fn the_tree_of_open_work() {
    let mut h = project();
    assert_eq!(h.selected_id(), TaskId(1));
    assert_snapshot!("tree", h.screen(90, 18));
}

#[test]
fn folding_and_walking() {
    let mut h = project();
    let rows = h.model.rows.len();
    h.key(' ');
    assert_eq!(
        h.model.rows.len(),
        rows - 5,
        "release folded: 2, 3, 4, 5 and the repeat of 3"
    );
    h.key('l');
    assert_eq!(h.model.rows.len(), rows, "unfolded again");
    h.key('l');
    assert_eq!(
        h.selected_id(),
        TaskId(2),
        "l on an open line goes to its first child"
    );
    h.key('h');
    assert_eq!(h.selected_id(), TaskId(1), "h on a leaf goes to its parent");
    h.press(KeyCode::Left);
    assert!(h.model.tree.collapsed.contains(&TaskId(1)));
    h.key(' ');
    h.select(3);
    h.key('b');
    assert_eq!(h.selected_id(), TaskId(4), "b goes to what holds 3 back");
    h.key('b');
    assert!(h.feedback().text.contains("waits on nothing"));
    // A folded blocker is revealed.
    h.select(3);
    h.key(' ');
    h.key('b');
    assert_eq!(h.selected_id(), TaskId(4));
    assert!(!h.model.tree.collapsed.contains(&TaskId(3)));
}

#[test]
fn the_critical_path_follows_the_selected_category() {
    let mut h = project();
    let ids = |h: &Harness| {
        let mut ids: Vec<u64> = h.model.tree.critical.iter().map(|id| id.0).collect();
        ids.sort_unstable();
        ids
    };
    // Release 1h, then tag (no estimate), which waits for the fix (3h) to start, which waits
    // on reproducing (1h): as long as 1 → 3 → 4, and longer.
    assert_eq!(ids(&h), [1, 3, 4, 5]);
    h.select(7);
    assert_eq!(ids(&h), [6, 7, 8]);
    h.select(9);
    assert!(ids(&h).is_empty(), "one task is no path");
}

#[test]
fn subtasks_and_dependencies_are_added_in_place() {
    let mut h = project();
    h.select(6);
    h.key('o');
    let opened = h.screen(90, 18);
    assert!(
        !opened.contains('✗') && opened.contains("Words form the title"),
        "a popup that prefills parent: opens with a hint, not an error:\n{opened}"
    );
    h.type_text("Write cover letter");
    h.press(KeyCode::Enter);
    let letter = h.engine.task(TaskId(10)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(letter.parent, Some(TaskId(6)));
    assert!(h.titles().iter().any(|t| t == "Write cover letter"));

    h.select(9);
    h.key('p');
    assert!(matches!(h.model.popup, Some(Popup::Pick(_))));
    h.type_text("clct");
    assert_snapshot!("tree_pick", h.screen(90, 18));
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    let coffee = h.engine.task(TaskId(9)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(coffee.depends.len(), 1);
    assert_eq!(coffee.depends[0].on, TaskId(8));
    assert_eq!(coffee.depends[0].kind, DepKind::StartToStart);
}

#[test]
fn done_asks_before_completing_subtasks_or_passing_a_blocker() {
    let mut h = project();
    h.select(1);
    h.key('d');
    let Some(Popup::Confirm(_)) = &h.model.popup else {
        panic!("no question");
    };
    assert!(
        h.screen(90, 18)
            .contains("Task 1 has open subtasks (2, 3). Complete them too?")
    );
    h.key('y');
    // 3 waits on 4 and 1 on 5: a second question, about going past them.
    assert!(
        h.screen(90, 18).contains("Complete it anyway?"),
        "{}",
        h.screen(90, 18)
    );
    h.key('y');
    for id in [1, 2, 3] {
        let task = h.engine.task(TaskId(id)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(task.status, Status::Completed, "task {id}");
    }
    let release = h.engine.task(TaskId(1)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        release
            .annotations
            .iter()
            .any(|a| a.text.contains("(forced)"))
    );

    h.select(7);
    h.key('>');
    assert!(h.screen(90, 18).contains("Start it anyway?"));
    h.key('n');
    let ablation = h.engine.task(TaskId(7)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ablation.status, Status::Pending, "no means no");
}
