//! The calendar view: month, week and agenda across a year's end and a daylight-saving
//! change, moving around, adding on a day and moving a task to another day.

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;

use super::Harness;
use crate::domain::{TaskId, When};
use crate::tui::calendar::CalendarMode;

/// Work around the turn of the year, a daily 09:00 habit and a weekly review, in Berlin.
fn year_end() -> Harness {
    let mut h = Harness::empty();
    for line in [
        "Dentist due:2026-12-03T14:30 est:1h #Health",
        "New year party due:2026-12-31T20:00 est:4h",
        "File taxes due:2027-01-04 #Finance pri:H",
        "Plan trip sched:2026-12-30 due:2027-01-02",
        "Renew passport due:2026-11-20",
        "Morning pages due:2026-11-27T09:00 every:daily est:30m",
        "Weekly review due:2026-11-27 every:weekly #Work",
    ] {
        h.add(line);
    }
    h.load();
    h.key('3');
    h
}

/// Presses `key` `times` times.
fn press_n(h: &mut Harness, key: char, times: usize) {
    for _ in 0..times {
        h.key(key);
    }
}

#[test]
fn month_grid_at_the_end_of_the_year() {
    let mut h = year_end();
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-11-26"
    );
    h.key('L');
    press_n(&mut h, 'l', 5);
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-12-31"
    );
    assert_eq!(h.selected(), "New year party");
    assert_snapshot!("calendar_month_december_80x24", h.screen(80, 24));
    assert_snapshot!("calendar_month_december_120x35", h.screen(120, 35));
    let wide = h.screen(200, 50);
    assert_snapshot!("calendar_month_december_200x50", wide);
    // Wide cells name what is on the day and say what did not fit.
    assert!(wide.contains(" ○ New year party "), "{wide}");
    assert!(wide.contains(" ◇ Morning pages "), "{wide}");
    let short = h.screen(120, 20);
    assert!(short.contains("+2 more"), "{short}");
    h.key('l');
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2027-01-01"
    );
    let screen = h.screen(110, 22);
    assert!(screen.contains("January 2027"), "{screen}");
}

#[test]
fn week_and_agenda_across_the_new_year() {
    let mut h = year_end();
    h.key('L');
    press_n(&mut h, 'l', 5);
    h.key('w');
    assert_eq!(h.model.calendar.mode, CalendarMode::Week);
    assert_snapshot!("calendar_week_new_year_80x24", h.screen(80, 24));
    assert_snapshot!("calendar_week_new_year_120x35", h.screen(120, 35));
    let tall = h.screen(200, 50);
    assert_snapshot!("calendar_week_new_year_200x50", tall);
    // The hours grow to fill the height: the whole day at 50 rows.
    assert!(tall.contains(" 00:00") && tall.contains(" 23:00"), "{tall}");
    h.key('w');
    assert_eq!(h.model.calendar.mode, CalendarMode::Agenda);
    assert_snapshot!("calendar_agenda_new_year", h.screen(90, 30));
    // In the agenda j and k move through the list.
    let first = h.selected();
    h.key('j');
    assert_ne!(h.selected(), first);
    h.key('w');
    assert_eq!(h.model.calendar.mode, CalendarMode::Month);
}

#[test]
fn a_daylight_saving_week_keeps_the_hour() {
    let mut h = year_end();
    // Europe/Berlin moves its clocks forward on Sunday 2027-03-28.
    press_n(&mut h, 'L', 4);
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2027-03-26"
    );
    h.key('w');
    let screen = h.screen(110, 16);
    assert_snapshot!("calendar_week_dst", screen);
    let nine = screen
        .lines()
        .find(|l| l.contains("09:00"))
        .unwrap_or_default()
        .to_string();
    assert_eq!(nine.matches("◇ Morning p").count(), 7, "{screen}");
}

#[test]
fn today_returns_and_months_keep_the_day() {
    let mut h = year_end();
    h.key('L');
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-12-26"
    );
    h.key('H');
    h.key('H');
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-10-26"
    );
    h.key('j');
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-11-02"
    );
    h.key('t');
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-11-26"
    );
    // Jan 31 → Feb 28.
    press_n(&mut h, 'L', 2);
    press_n(&mut h, 'l', 5);
    h.key('L');
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2027-02-28"
    );
}

#[test]
fn adding_on_a_day_and_moving_a_task_to_another() {
    let mut h = year_end();
    h.key('L');
    press_n(&mut h, 'h', 23);
    assert_eq!(
        h.model.calendar.day(&h.model.time).to_string(),
        "2026-12-03"
    );
    assert_eq!(h.selected(), "Dentist");
    h.key('m');
    assert!(h.screen(110, 22).contains("Moving task 1 'Dentist'"));
    h.key('l');
    h.press(KeyCode::Enter);
    let dentist = h.engine.task(TaskId(1)).unwrap_or_else(|e| panic!("{e}"));
    let due = dentist.due.map(|d| d.display(h.model.time.tz));
    assert_eq!(
        due.as_deref(),
        Some("2026-12-04 14:30"),
        "the time of day is kept"
    );
    assert_eq!(h.selected(), "Dentist", "it is on the selected day now");

    // Esc leaves it where it is.
    h.key('m');
    h.key('l');
    h.press(KeyCode::Esc);
    let dentist = h.engine.task(TaskId(1)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        dentist.due.map(|d| d.display(h.model.time.tz)).as_deref(),
        Some("2026-12-04 14:30")
    );

    h.key('a');
    assert!(
        !h.screen(100, 30).contains('✗'),
        "the calendar's add opens with its due: and no error"
    );
    h.type_text("Buy a gift");
    h.press(KeyCode::Enter);
    let gift = h
        .engine
        .get_tasks(&crate::domain::Filter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|t| t.title == "Buy a gift")
        .unwrap_or_else(|| panic!("not added"));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
    assert_eq!(gift.due, Some(When::Day(day)));
}
