//! Whole screens on a `TestBackend`, compared with reviewed snapshots (`src/tui/tests/snapshots`).

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;

use super::Harness;
use crate::domain::TaskId;
use crate::tui::msg::Msg;

#[test]
fn list() {
    let mut h = Harness::sample();
    assert_snapshot!("list", h.screen(100, 16));
}

#[test]
fn list_grouped_by_category_with_marks() {
    let mut h = Harness::sample();
    h.key('c');
    h.key('v');
    h.key('j');
    assert_snapshot!("list_grouped", h.screen(100, 20));
}

#[test]
fn list_on_a_narrow_terminal() {
    let mut h = Harness::sample();
    assert_snapshot!("list_narrow", h.screen(60, 14));
}

#[test]
fn detail_pane_beside_the_list() {
    let mut h = Harness::sample();
    h.engine
        .transaction("note", |s| s.annotate(TaskId(2), "landlord changed bank"))
        .unwrap_or_else(|e| panic!("{e}"));
    h.send(Msg::StoreChanged);
    h.select(2);
    h.press(KeyCode::Enter);
    assert_snapshot!("detail_wide", h.screen(130, 26));
}

#[test]
fn detail_pane_under_the_list() {
    let mut h = Harness::sample();
    h.key('G');
    h.press(KeyCode::Enter);
    assert_snapshot!("detail_narrow", h.screen(80, 30));
}

#[test]
fn quick_add_with_preview() {
    let mut h = Harness::sample();
    h.key('a');
    h.type_text(
        "Submit grant report #Research due:eom 17:00 every:\"last fri\" est:2h pri:H +grant",
    );
    assert_snapshot!("quick_add_preview", h.screen(100, 24));
}

#[test]
fn quick_add_with_an_error() {
    let mut h = Harness::sample();
    h.key('a');
    h.type_text("Pay due:fryday");
    assert_snapshot!("quick_add_error", h.screen(100, 24));
}

#[test]
fn edit_form() {
    let mut h = Harness::sample();
    h.key('e');
    assert_snapshot!("edit_form", h.screen(100, 30));
}

#[test]
fn edit_form_with_an_error() {
    let mut h = Harness::sample();
    h.key('e');
    for _ in 0..5 {
        h.press(KeyCode::Tab);
    }
    h.type_text("someday");
    h.press(KeyCode::Enter);
    assert_snapshot!("edit_form_error", h.screen(100, 30));
}

#[test]
fn confirm_delete() {
    let mut h = Harness::sample();
    h.key('x');
    assert_snapshot!("confirm_delete", h.screen(100, 16));
}

#[test]
fn help_overlay() {
    let mut h = Harness::sample();
    h.key('?');
    assert_snapshot!("help_80x24", h.screen(80, 24));
    assert_snapshot!("help_120x35", h.screen(120, 35));
    assert_snapshot!("help_200x50", h.screen(200, 50));
}

#[test]
fn help_shows_the_views_own_keys_first_and_every_key_somewhere() {
    let mut h = Harness::sample();
    h.key('2');
    h.key('?');
    let screen = h.screen(200, 50);
    let first = screen
        .lines()
        .find(|l| l.contains("In the") || l.contains("Moving"))
        .unwrap_or_default();
    assert!(first.contains("In the tree"), "{screen}");
    for action in crate::config::Action::ALL {
        assert!(
            screen.contains(&format!(
                "{} ({})",
                action.description(),
                action.config_name()
            )),
            "{action:?} missing from\n{screen}"
        );
    }
    assert!(screen.contains("In the edit form"), "{screen}");
}

#[test]
fn command_output() {
    let mut h = Harness::sample();
    h.key(':');
    h.type_text("list #Research");
    h.press(KeyCode::Enter);
    assert_snapshot!("command_output", h.screen(100, 16));
}

#[test]
fn filter_line_with_an_error() {
    let mut h = Harness::sample();
    h.key('/');
    h.type_text("#Work due.before:tomorow");
    assert_snapshot!("filter_error", h.screen(100, 12));
}

#[test]
fn empty_database() {
    let mut h = Harness::empty();
    h.load();
    assert_snapshot!("empty", h.screen(84, 16));
}

#[test]
fn too_small() {
    let mut h = Harness::sample();
    assert_snapshot!("too_small", h.screen(20, 5));
}

#[test]
fn mono_theme_under_no_color() {
    let mut h = Harness::with_config("theme:\n  preset: mono\n");
    h.add("Only task due:today");
    h.load();
    h.screen(60, 8);
    let theme = &h.model.theme;
    assert_eq!(theme.today.fg, None, "no colour at all");
    assert!(
        theme
            .selection
            .add_modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn any_size_draws_without_panicking() {
    let mut h = Harness::sample();
    h.press(KeyCode::Enter);
    for popup_key in [None, Some('a'), Some('e'), Some('?'), Some('x'), Some(':')] {
        if let Some(key) = popup_key {
            h.key(key);
        }
        for width in [1, 2, 5, 10, 19, 20, 39, 40, 41, 60, 99, 100, 101, 200] {
            for height in [1, 2, 4, 5, 7, 8, 9, 12, 30, 60] {
                h.screen(width, height);
            }
        }
        h.press(KeyCode::Esc);
    }
}

#[test]
fn a_recurring_series_in_the_detail_pane() {
    let mut h = Harness::sample();
    h.key('/');
    h.type_text("status:recurring");
    h.press(KeyCode::Enter);
    h.select(1);
    h.press(KeyCode::Enter);
    assert_snapshot!("series_detail", h.screen(130, 30));
}

#[test]
fn a_long_message_is_cut_with_an_ellipsis() {
    let mut h = Harness::sample();
    let long = format!(
        "Imported: {}",
        "a very long report of what happened ".repeat(6)
    );
    h.send(Msg::Feedback(crate::tui::msg::Feedback::ok(long)));
    let screen = h.screen(80, 16);
    let status = screen
        .lines()
        .find(|l| l.contains("Imported:"))
        .unwrap_or_default();
    assert!(
        status.trim_end_matches(['"', ' ']).ends_with('…'),
        "{status}"
    );
}

#[test]
fn the_detail_pane_names_a_closed_dependency() {
    let mut h = Harness::empty();
    h.add("Reproduce the crash");
    h.add("Fix the crash dep:1");
    h.engine
        .transaction("done", |s| s.complete(TaskId(1)))
        .unwrap_or_else(|e| panic!("{e}"));
    h.load();
    h.select(2);
    h.press(KeyCode::Enter);
    let screen = h.screen(100, 24);
    assert!(
        screen.contains("1 Reproduce the crash") && screen.contains("[completed]"),
        "the list holds open tasks only, yet the pane names the done one:\n{screen}"
    );
    assert!(!screen.contains("not found"), "{screen}");
}

#[test]
fn a_long_command_titles_its_output_window_with_an_ellipsis() {
    let mut h = Harness::sample();
    h.key(':');
    h.type_text("list #Research.Papers due.before:2027-12-31");
    h.press(KeyCode::Enter);
    let screen = h.screen(40, 16);
    let top = screen
        .lines()
        .find(|l| l.contains("┌ tme list"))
        .unwrap_or_default();
    assert!(top.contains("… ─") || top.contains("… ┐"), "{screen}");
}

#[test]
fn a_task_with_a_change_of_yours_lost_at_sync_is_marked() {
    let mut h = Harness::sample();
    let lost: std::collections::HashSet<TaskId> = [TaskId(2)].into_iter().collect();
    h.model.data.conflicted = std::sync::Arc::new(lost);
    let screen = h.screen(100, 16);
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains('≠')).collect();
    assert_eq!(rows.len(), 1, "{screen}");
    assert!(rows[0].contains(" 2 "), "{screen}");
}
