//! `update` fed with key presses, mouse events and messages, checked against the engine.

use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::Harness;
use crate::domain::{Filter, Status, TaskId};
use crate::tui::model::ViewKind;
use crate::tui::msg::{Cmd, Feedback, Msg};
use crate::tui::popup::Popup;

fn status(h: &Harness, id: u64) -> Status {
    h.engine
        .task(TaskId(id))
        .map(|t| t.status)
        .unwrap_or(Status::Deleted)
}

#[test]
fn moving_through_the_list() {
    let mut h = Harness::sample();
    let titles = h.titles();
    assert_eq!(h.selected(), titles[0]);
    h.key('j');
    assert_eq!(h.selected(), titles[1]);
    h.press(KeyCode::Down);
    assert_eq!(h.selected(), titles[2]);
    h.key('k');
    assert_eq!(h.selected(), titles[1]);
    h.key('G');
    assert_eq!(h.selected(), titles[titles.len() - 1]);
    h.key('j');
    assert_eq!(h.selected(), titles[titles.len() - 1], "stops at the end");
    h.key('g');
    assert_eq!(h.selected(), titles[0]);
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), titles[titles.len() - 1]);
}

#[test]
fn the_list_shows_actionable_tasks_most_urgent_first() {
    let h = Harness::sample();
    let titles = h.titles();
    assert_eq!(titles.len(), 7, "the waiting task is hidden");
    assert!(!titles.contains(&"Plan offsite".to_string()));
    let urgencies: Vec<f64> = (0..h.model.rows.len())
        .filter_map(|r| h.model.row_view(r).map(|v| v.urgency))
        .collect();
    assert!(urgencies.windows(2).all(|w| w[0] >= w[1]), "{urgencies:?}");
    assert_eq!(
        titles.last().map(String::as_str),
        Some("Run ablation"),
        "blocked work sinks"
    );
}

#[test]
fn quick_add_creates_a_task_and_selects_nothing_new_by_surprise() {
    let mut h = Harness::sample();
    let before = h.selected();
    h.key('a');
    assert!(matches!(h.model.popup, Some(Popup::QuickAdd(_))));
    h.type_text("Buy oat milk #Shopping due:fri +errand");
    h.press(KeyCode::Enter);
    assert!(h.model.popup.is_none());
    assert!(h.titles().contains(&"Buy oat milk".to_string()));
    assert_eq!(h.selected(), before, "the selection stays on the same task");
    let message = h.feedback().text;
    assert_eq!(message, "Added task 10 'Buy oat milk'");
    let task = h.engine.task(TaskId(10)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        task.category.map(|c| c.to_string()),
        Some("Shopping".into())
    );
}

#[test]
fn quick_add_refuses_bad_text_without_closing() {
    let mut h = Harness::sample();
    h.key('a');
    h.type_text("Pay due:fryday");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.model.popup, Some(Popup::QuickAdd(_))),
        "still open"
    );
    assert!(h.engine.task(TaskId(10)).is_err(), "nothing was created");
    h.press(KeyCode::Esc);
    assert!(h.model.popup.is_none());
}

#[test]
fn done_undo_and_bulk_done_on_marked_tasks() {
    let mut h = Harness::sample();
    let first = h.selected_id();
    h.key('d');
    assert_eq!(status(&h, first.0), Status::Completed);
    assert_eq!(h.titles().len(), 6);
    h.key('u');
    assert_eq!(status(&h, first.0), Status::Pending);
    let message = h.feedback().text;
    assert!(message.starts_with("Undid: tui: done"), "{message}");

    h.key('v');
    h.key('v');
    assert_eq!(h.model.marked.len(), 2);
    let marked: Vec<TaskId> = h.model.marked.iter().copied().collect();
    h.key('d');
    assert!(
        marked
            .iter()
            .all(|id| status(&h, id.0) == Status::Completed)
    );
    assert!(h.model.marked.is_empty());
    h.key('u');
    assert!(
        marked
            .iter()
            .all(|id| status(&h, id.0) != Status::Completed),
        "one undo reverts the bulk done"
    );
}

#[test]
fn delete_asks_first() {
    let mut h = Harness::sample();
    let id = h.selected_id().0;
    h.key('x');
    assert!(matches!(h.model.popup, Some(Popup::Confirm(_))));
    h.key('n');
    assert!(h.model.popup.is_none());
    assert_eq!(status(&h, id), Status::Pending);
    h.key('x');
    h.key('y');
    assert_eq!(status(&h, id), Status::Deleted);
}

#[test]
fn start_stop_toggles_time_tracking() {
    let mut h = Harness::sample();
    let id = h.selected_id().0;
    h.key('>');
    assert_eq!(status(&h, id), Status::Started);
    h.clock.advance(chrono::Duration::minutes(20));
    h.key('>');
    assert_eq!(status(&h, id), Status::Pending);
    let spent = h
        .engine
        .task(TaskId(id))
        .map(|t| t.spent.as_secs())
        .unwrap_or(0);
    assert_eq!(spent, 1200);
}

#[test]
fn the_filter_narrows_as_you_type_and_esc_restores_it() {
    let mut h = Harness::sample();
    h.key('/');
    h.type_text("#Research");
    assert_eq!(
        h.titles(),
        [
            "Write methods section",
            "Reply to reviewers",
            "Run ablation"
        ]
    );
    h.type_text(" due:fryda");
    let shown = h.titles();
    h.type_text("y");
    assert!(
        h.model
            .filter
            .error
            .as_deref()
            .is_some_and(|e| e.contains("fryday"))
    );
    assert_eq!(
        h.titles(),
        shown,
        "a filter that does not parse leaves the list alone"
    );
    h.press(KeyCode::Esc);
    assert_eq!(h.model.filter.text, "");
    assert_eq!(h.titles().len(), 7);
    h.key('/');
    h.type_text("+errand");
    h.press(KeyCode::Enter);
    assert_eq!(h.titles(), ["Buy coffee beans"]);
    assert!(h.model.filter.editing.is_none());
    h.press(KeyCode::Esc);
    assert_eq!(h.titles().len(), 7, "Esc clears the filter");
}

#[test]
fn a_filter_on_closed_tasks_loads_them() {
    let mut h = Harness::sample();
    h.engine
        .mark_completed(TaskId(6))
        .unwrap_or_else(|e| panic!("{e}"));
    h.key('/');
    h.type_text("status:completed");
    assert_eq!(h.titles(), ["Buy coffee beans"]);
    h.ctrl('u');
    assert_eq!(h.titles().len(), 6);
}

#[test]
fn sorting_and_grouping() {
    let mut h = Harness::sample();
    h.key('s');
    assert_eq!(h.model.arrangement.sort.name(), "due");
    assert_eq!(h.titles()[0], "Renew passport");
    h.key('S');
    assert_eq!(
        h.titles().last().map(String::as_str),
        Some("Renew passport")
    );
    h.key('S');
    h.key('c');
    assert!(h.model.arrangement.grouped);
    assert!(matches!(
        h.model.rows[0],
        crate::tui::data::Row::Group { .. }
    ));
    assert!(
        h.model.selected_view().is_some(),
        "the selection is never on a heading"
    );
    h.key('k');
    assert!(h.model.selected_view().is_some());
}

#[test]
fn the_edit_form_saves_checked_changes() {
    let mut h = Harness::sample();
    let id = h.selected_id();
    h.key('e');
    assert!(matches!(h.model.popup, Some(Popup::Edit(_))));
    for _ in 0..4 {
        h.press(KeyCode::Tab);
    }
    h.press(KeyCode::Backspace);
    h.type_text("X");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.model.popup, Some(Popup::Edit(_))),
        "X is not a priority: the form stays"
    );
    h.press(KeyCode::Backspace);
    h.type_text("L");
    h.press(KeyCode::Tab);
    h.type_text(" +");
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Enter);
    assert!(h.model.popup.is_none());
    let task = h.engine.task(id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(task.priority.map(|p| p.letter()), Some("L"));
}

#[test]
fn the_edit_form_hands_the_description_to_the_editor() {
    let mut h = Harness::sample();
    let id = h.selected_id();
    h.key('e');
    let left = h.ctrl('e');
    assert_eq!(left, [Cmd::Editor(String::new())]);
    h.send(Msg::EditorClosed(Some("Line one\nLine two\n".into())));
    h.ctrl('s');
    let task = h.engine.task(id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(task.description, "Line one\nLine two");
}

#[test]
fn annotate_modify_and_duplicate() {
    let mut h = Harness::sample();
    let id = h.selected_id();
    h.key('A');
    h.type_text("asked Bob");
    h.press(KeyCode::Enter);
    assert_eq!(
        h.engine.task(id).map(|t| t.annotations.len()).unwrap_or(0),
        1
    );
    h.key('m');
    h.type_text("+later pri:L");
    h.press(KeyCode::Enter);
    let task = h.engine.task(id).unwrap_or_else(|e| panic!("{e}"));
    assert!(task.tags.iter().any(|t| t.as_str() == "later"));
    h.key('y');
    let copy = h.engine.task(TaskId(10)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copy.title, task.title);
    assert_eq!(copy.status, Status::Pending);
}

#[test]
fn the_command_line_runs_tme_commands() {
    let mut h = Harness::sample();
    h.key(':');
    h.type_text("modify 7 pri:L");
    h.press(KeyCode::Enter);
    assert_eq!(
        h.engine
            .task(TaskId(7))
            .map(|t| t.priority.map(|p| p.letter()))
            .ok()
            .flatten(),
        Some("L")
    );
    h.key(':');
    h.type_text("list #Work");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.model.popup, Some(Popup::Output(_))),
        "several lines of output open a window"
    );
    h.press(KeyCode::Esc);
    h.key(':');
    h.type_text("frobnicate");
    h.press(KeyCode::Enter);
    let message = h.feedback();
    assert!(message.error, "{message:?}");
    assert!(
        message.text.contains("'frobnicate' is not a tme command"),
        "{message:?}"
    );
}

#[test]
fn a_delete_on_the_command_line_asks_as_x_does() {
    let mut h = Harness::sample();
    let title = h
        .engine
        .task(TaskId(7))
        .map(|t| t.title)
        .unwrap_or_default();
    h.key(':');
    h.type_text("delete 7");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.model.popup, Some(Popup::Confirm(_))),
        "it asks first"
    );
    assert!(
        h.screen(100, 20)
            .contains(&format!("Delete task 7 '{title}'?")),
        "naming the task"
    );
    h.key('n');
    assert_eq!(
        h.engine.task(TaskId(7)).map(|t| t.status).ok(),
        Some(Status::Pending),
        "no: nothing is deleted"
    );
    h.key(':');
    h.type_text("delete 7");
    h.press(KeyCode::Enter);
    h.key('y');
    assert_eq!(
        h.engine.task(TaskId(7)).map(|t| t.status).ok(),
        Some(Status::Deleted)
    );
}

#[test]
fn changes_from_other_processes_appear_and_keep_the_selection() {
    let mut h = Harness::sample();
    h.key('j');
    h.key('j');
    let selected = h.selected();
    h.add("Urgent call from the bank +next due:today pri:H");
    h.send(Msg::StoreChanged);
    assert_eq!(h.titles()[0], "Urgent call from the bank");
    assert_eq!(h.selected(), selected);
}

#[test]
fn views_switch_and_esc_walks_back_but_never_quits() {
    let mut h = Harness::sample();
    h.key('2');
    assert_eq!(h.model.view, ViewKind::Tree);
    h.press(KeyCode::Tab);
    assert_eq!(h.model.view, ViewKind::Calendar);
    h.key('v');
    assert_eq!(h.model.marked.len(), 1);
    assert!(
        h.press(KeyCode::Esc).is_empty(),
        "first Esc clears the marks"
    );
    assert!(h.model.marked.is_empty());
    assert!(
        h.press(KeyCode::Esc).is_empty(),
        "then goes back to the list"
    );
    assert_eq!(h.model.view, ViewKind::List);
    h.press(KeyCode::Enter);
    assert!(h.model.detail.visible, "Enter opens the detail pane");
    assert!(h.press(KeyCode::Esc).is_empty());
    assert!(!h.model.detail.visible, "Esc closes the detail pane");
    assert!(
        h.press(KeyCode::Esc).is_empty(),
        "at the bottom, Esc does not quit"
    );
    assert_eq!(h.feedback().text, "Nothing to close; q quits");
    assert_eq!(h.key('q'), [Cmd::Quit]);
}

#[test]
fn the_detail_pane_loads_history_for_the_selection() {
    let mut h = Harness::sample();
    h.press(KeyCode::Enter);
    assert!(h.model.detail.visible);
    let id = h.selected_id();
    assert!(
        matches!(&h.model.detail.extra, Some((hid, details)) if *hid == id && details.history[0].contains("add"))
    );
    h.key('j');
    let next = h.selected_id();
    assert!(matches!(&h.model.detail.extra, Some((hid, _)) if *hid == next));
    h.key('J');
    assert_eq!(h.model.detail.scroll, 3);
}

#[test]
fn the_mouse_selects_and_scrolls() {
    let mut h = Harness::sample();
    h.screen(100, 24);
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 0 is the title bar, row 1 the column headings, row 2 the first task.
    h.send(click(4));
    assert_eq!(h.selected(), h.titles()[2]);
    h.send(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 4,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(h.selected(), h.titles()[5]);
}

#[test]
fn ticks_move_the_clock_and_clear_old_messages() {
    let mut h = Harness::sample();
    h.key('s');
    assert!(h.model.message.is_some());
    h.send(Msg::Tick(super::now() + chrono::Duration::seconds(10)));
    assert!(h.model.message.is_none());
    assert_eq!(
        h.model.time.now,
        super::now() + chrono::Duration::seconds(10)
    );
}

#[test]
fn keys_and_contexts_come_from_config() {
    let mut h = Harness::with_config(
        "keys:\n  done: z\ncontexts:\n  research: \"#Research\"\n  home: \"-errand #Home\"\n",
    );
    h.add("Write paper #Research");
    h.add("Fix sink #Home");
    h.load();
    h.key('d');
    assert_eq!(status(&h, 1), Status::Pending, "d is no longer bound");
    h.key('C');
    assert_eq!(
        h.titles(),
        ["Fix sink"],
        "contexts go in name order: home, research"
    );
    h.key('C');
    assert_eq!(h.titles(), ["Write paper"]);
    h.key('C');
    assert_eq!(h.titles().len(), 2, "back to no context");
    h.key('z');
    assert_eq!(
        h.engine
            .get_tasks(&Filter::default())
            .map(|t| t.len())
            .unwrap_or(0),
        1,
        "z completes"
    );
}

#[test]
fn a_task_that_could_not_be_saved_comes_back_in_the_add_line() {
    let mut h = Harness::sample();
    let why = "storage error: cannot connect to postgres://db/tasks";
    h.send(Msg::NotAdded("Call the bank +phone".into(), why.into()));
    let screen = h.screen(80, 24);
    assert!(screen.contains("Call the bank +phone"), "{screen}");
    let message = h.feedback();
    assert!(
        message.error && message.text.contains(why) && message.text.contains("Enter tries again"),
        "{message:?}"
    );
    // The recurrence ticker's own trouble does not take the place of that message.
    let background = Feedback {
        background: true,
        ..Feedback::error("Recurring instances were not spawned: the same")
    };
    h.send(Msg::Feedback(background.clone()));
    assert!(h.feedback().text.contains("Enter tries again"));
    // With another window open, the text is named in the message instead.
    h.press(KeyCode::Esc);
    h.key('?');
    h.send(Msg::NotAdded("Pay rent".into(), why.into()));
    assert!(
        h.feedback()
            .text
            .starts_with("Not added 'Pay rent': storage error"),
        "{:?}",
        h.feedback()
    );
    // Once no error of the user's shows, the ticker's is said.
    h.model.message = None;
    h.send(Msg::Feedback(background));
    assert!(h.feedback().background);
}

#[test]
fn of_a_batch_only_the_last_load_and_catch_up_run() {
    use crate::tui::data::Scope;
    let batch = [
        Cmd::CatchUp,
        Cmd::Load(Scope::Open),
        Cmd::CatchUp,
        Cmd::Undo,
        Cmd::CatchUp,
        Cmd::Load(Scope::Open),
        Cmd::Undo,
    ];
    assert_eq!(
        crate::tui::runtime::to_run(&batch),
        [false, false, false, true, true, true, true]
    );
}
