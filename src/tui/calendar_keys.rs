//! What the calendar's own keys do: move the selected day, switch between month, week and
//! agenda, and move a task to another day.

use chrono::{Datelike, NaiveDate};

use super::calendar::CalendarMode;
use super::model::Model;
use super::msg::{Cmd, Feedback};
use crate::config::Action;
use crate::domain::calendar::{shift_days, shift_month};
use crate::domain::{TaskChanges, When, local_to_utc};

/// Runs one of the calendar's actions; `step` moves the selection by a number of rows (for
/// `j`/`k` in the agenda, which is a list).
pub fn on_calendar_action(
    model: &mut Model,
    action: Action,
    step: fn(&mut Model, isize) -> Vec<Cmd>,
) -> Vec<Cmd> {
    let day = model.calendar.day(&model.time);
    let agenda = model.calendar.mode == CalendarMode::Agenda;
    let moved = match action {
        Action::PrevDay => shift_days(day, -1),
        Action::NextDay => shift_days(day, 1),
        Action::PrevWeek if agenda => return step(model, -1),
        Action::NextWeek if agenda => return step(model, 1),
        Action::PrevWeek => shift_days(day, -7),
        Action::NextWeek => shift_days(day, 7),
        Action::PrevMonth => same_day_in(shift_month(day, -1), day),
        Action::NextMonth => same_day_in(shift_month(day, 1), day),
        Action::Today => model.time.today(),
        Action::CalendarMode => {
            model.calendar.mode = model.calendar.mode.next();
            day
        }
        Action::Reschedule => {
            start_moving(model);
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    go_to(model, moved)
}

/// The day of `like` in the month starting at `first`, or that month's last day.
fn same_day_in(first: NaiveDate, like: NaiveDate) -> NaiveDate {
    (0..4)
        .find_map(|back| NaiveDate::from_ymd_opt(first.year(), first.month(), like.day() - back))
        .unwrap_or(first)
}

/// Selects `day`, shows what is on it, and asks for the recurring occurrences to come if the
/// days shown are not covered yet.
pub fn go_to(model: &mut Model, day: NaiveDate) -> Vec<Cmd> {
    model.calendar.cursor = Some(day);
    model.rows_from_calendar();
    model.selected = 0;
    model.offset = 0;
    model.settle_selection(1);
    upcoming_if_needed(model)
}

/// The command that reads the occurrences to come, when what is shown is not covered.
pub fn upcoming_if_needed(model: &Model) -> Vec<Cmd> {
    model
        .calendar
        .upcoming_wanted(&model.time)
        .map(|(from, to)| Cmd::LoadUpcoming(from, to))
        .into_iter()
        .collect()
}

fn start_moving(model: &mut Model) {
    let Some(view) = model.selected_view() else {
        model.tell(Feedback::error("No task on this day to move"));
        return;
    };
    let (id, title) = (view.task.id, view.task.title.clone());
    model.calendar.moving = Some(id);
    model.tell(Feedback::ok(format!(
        "Moving task {id} '{title}': choose a day, then Enter (Esc cancels)"
    )));
}

/// Enter while moving: the change that puts the task on the selected day, keeping its time
/// of day. A task with a due date moves its due date (and its scheduled date by as much); one
/// with only a scheduled date moves that.
pub fn finish_moving(model: &mut Model) -> Vec<Cmd> {
    let Some(id) = model.calendar.moving.take() else {
        return Vec::new();
    };
    let Some(view) = model.view_by_id(id) else {
        return Vec::new();
    };
    let target = model.calendar.day(&model.time);
    let tz = model.time.tz;
    let task = &view.task;
    let anchor = task.due.or(task.scheduled);
    let Some(anchor) = anchor else {
        model.tell(Feedback::error(format!(
            "Task {id} has no due or scheduled date to move"
        )));
        return Vec::new();
    };
    let shift = target - anchor.local_date(tz);
    let moved = |w: When| match w {
        When::Day(d) => When::Day(d + shift),
        When::At(at) => {
            let local = at.with_timezone(&tz).naive_local() + shift;
            When::At(local_to_utc(local, tz))
        }
    };
    let changes = TaskChanges {
        due: task.due.map(|d| Some(moved(d))),
        scheduled: task.scheduled.map(|s| Some(moved(s))),
        ..TaskChanges::default()
    };
    vec![Cmd::Update(vec![id], changes)]
}
