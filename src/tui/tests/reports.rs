//! The report panes: the dashboard drawn from a month of history, a chart full screen, the
//! range and filter, and answers that come back too late.

use chrono::{Duration, TimeZone, Utc};
use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;

use super::Harness;
use crate::domain::TaskId;
use crate::report::Range;
use crate::tui::msg::{Cmd, Msg};
use crate::tui::reports::Pane;

/// A month of work: tasks added and completed on different days, some started, one late.
fn month_of_work() -> Harness {
    let mut h = Harness::empty();
    let start = Utc
        .with_ymd_and_hms(2026, 10, 29, 8, 0, 0)
        .single()
        .unwrap_or_default();
    let lines = [
        "Write report #Work est:2h",
        "Fix login bug #Work.Backend due:2026-11-05",
        "Plan sprint #Work",
        "Buy paint #Home",
        "Read paper #Research",
        "Run ablation #Research est:3h",
        "Call plumber #Home due:2026-11-20",
        "Review PR #Work.Backend",
    ];
    for (i, line) in lines.iter().enumerate() {
        h.clock
            .set(start + Duration::days(i64::try_from(i).unwrap_or(0) * 3));
        h.add(line);
    }
    for (id, day) in [(1u64, 3), (2, 9), (3, 12), (4, 14), (5, 20), (6, 24)] {
        h.clock.set(start + Duration::days(day));
        let task = TaskId(id);
        if id % 2 == 0 {
            h.engine
                .transaction("start", |s| s.start(task))
                .unwrap_or_else(|e| panic!("{e}"));
            h.clock
                .set(start + Duration::days(day) + Duration::hours(2));
        }
        h.engine
            .mark_completed(task)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    h.clock.set(super::now());
    h.load();
    h.key('4');
    h
}

/// The dashboard as last worked out.
fn board(h: &Harness) -> &crate::report::Dashboard {
    h.model
        .reports
        .board
        .as_ref()
        .unwrap_or_else(|| panic!("not worked out"))
}

#[test]
fn the_dashboard_of_a_month() {
    let mut h = month_of_work();
    let board = board(&h);
    assert_eq!(board.throughput.total, 6);
    assert_eq!(board.summary.open, 2);
    assert_snapshot!("reports_dashboard_120x35", h.screen(120, 35));
    assert_snapshot!("reports_dashboard_200x50", h.screen(200, 50));
    let small = h.screen(80, 24);
    assert_snapshot!("reports_dashboard_80x24", small);
    // Nothing is dropped unsaid: the categories that do not fit are counted.
    assert!(small.contains("+2 more"), "{small}");
    // Counts stand above their bars, never inside them, and legends sit below the lines.
    for line in small.lines() {
        assert!(!line.contains("█4") && !line.contains("4█"), "{line}");
    }
    assert!(small.contains("━━ open   ━━ started   ━━ done"), "{small}");
}

#[test]
fn the_pane_titles_say_what_the_numbers_are() {
    let mut h = month_of_work();
    h.key('r');
    h.key('r');
    let screen = h.screen(120, 35);
    // Over a year the periods are months: no pane says "per day" over them.
    assert!(screen.contains("Completed per month"), "{screen}");
    assert!(screen.contains("per month"), "{screen}");
    assert!(!screen.contains("Throughput per day"), "{screen}");
    assert!(screen.contains("Done each day · "), "{screen}");
}

#[test]
fn a_chart_full_screen_and_moving_between_charts() {
    let mut h = month_of_work();
    assert_eq!(h.model.reports.focus, Pane::Completed);
    h.key('l');
    h.key('l');
    assert_eq!(h.model.reports.focus, Pane::Flow);
    h.key('z');
    assert_snapshot!("reports_flow_zoomed", h.screen(100, 24));
    h.press(KeyCode::Enter);
    assert!(!h.model.reports.zoom);
    h.key('h');
    h.key('h');
    h.key('h');
    assert_eq!(h.model.reports.focus, Pane::Categories, "h wraps round");
}

#[test]
fn range_and_filter_work_the_numbers_out_again() {
    let mut h = month_of_work();
    h.key('r');
    assert_eq!(h.model.reports.range, Range { days: Some(90) });
    let ninety = board(&h);
    assert_eq!(ninety.range, Range { days: Some(90) });
    assert_eq!(ninety.throughput.total, 6);
    h.key('/');
    h.type_text("#Home");
    h.press(KeyCode::Enter);
    let home = board(&h);
    assert_eq!(home.throughput.total, 1, "only Buy paint");
    assert_eq!(home.summary.categories.len(), 1);
}

#[test]
fn an_answer_to_an_older_question_is_dropped() {
    let mut h = month_of_work();
    let before = h.model.reports.board.clone();
    let asked = h.model.reports.asked;
    let mut stale = board(&h).clone();
    stale.throughput.total = 999;
    h.send(Msg::Dashboard(asked - 1, Box::new(stale)));
    assert_eq!(h.model.reports.board, before);
}

#[test]
fn changes_while_computing_ask_once_more_when_done() {
    let mut h = month_of_work();
    let worked_out = board(&h).clone();
    let first = crate::tui::reports::recompute(&mut h.model);
    assert_eq!(first.len(), 1);
    // Three changes arrive while that is being worked out: nothing more is asked yet.
    for _ in 0..3 {
        assert!(crate::tui::reports::recompute_when_free(&mut h.model).is_empty());
    }
    let asked = h.model.reports.asked;
    let again = crate::tui::reports::arrived(&mut h.model, asked, worked_out.clone());
    assert!(
        matches!(again.as_slice(), [Cmd::LoadDashboard(n, _, _)] if *n == asked + 1),
        "one more request for all three changes"
    );
    let done = crate::tui::reports::arrived(&mut h.model, asked + 1, worked_out);
    assert!(done.is_empty(), "nothing changed meanwhile");
    assert!(!h.model.reports.computing);
}
