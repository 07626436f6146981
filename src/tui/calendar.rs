//! The calendar view's state: the day under the cursor, the mode (month, week or agenda), the
//! occurrences of recurring series still to come, what falls on each day, and a task being
//! moved to another day.

use chrono::{Datelike, NaiveDate};

use crate::domain::TimeContext;
use crate::domain::calendar::{month_weeks, shift_days};
use crate::engine::{Agenda, Upcoming};

/// How the calendar shows time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CalendarMode {
    /// A month grid, with the selected day's tasks beside it.
    #[default]
    Month,
    /// Seven days, timed tasks placed by hour.
    Week,
    /// The next 14 days, grouped by day.
    Agenda,
}

impl CalendarMode {
    /// The next mode `w` switches to.
    pub fn next(self) -> CalendarMode {
        match self {
            CalendarMode::Month => CalendarMode::Week,
            CalendarMode::Week => CalendarMode::Agenda,
            CalendarMode::Agenda => CalendarMode::Month,
        }
    }

    /// The mode's name, for the header.
    pub fn name(self) -> &'static str {
        match self {
            CalendarMode::Month => "month",
            CalendarMode::Week => "week",
            CalendarMode::Agenda => "agenda",
        }
    }
}

/// How many days the agenda shows.
pub const AGENDA_DAYS: i64 = 14;

/// What the calendar view remembers.
#[derive(Debug, Default)]
pub struct CalendarState {
    /// The selected day (`None` until the view is first opened: then today).
    pub cursor: Option<NaiveDate>,
    /// Month, week or agenda.
    pub mode: CalendarMode,
    /// A task being moved: its id, waiting for the day to be chosen.
    pub moving: Option<crate::domain::TaskId>,
    /// Occurrences of recurring series still to come, for `upcoming_range`.
    pub upcoming: Vec<Upcoming>,
    /// The days `upcoming` covers.
    pub upcoming_range: Option<(NaiveDate, NaiveDate)>,
    /// What falls on each day shown (indices into the loaded views and `upcoming`).
    pub agenda: Agenda,
    /// The days `agenda` was worked out for.
    pub arranged: Option<(NaiveDate, NaiveDate)>,
    /// The loaded tasks the filter lets through (indices into the views).
    pub shown: Vec<usize>,
}

impl CalendarState {
    /// The selected day.
    pub fn day(&self, time: &TimeContext) -> NaiveDate {
        self.cursor.unwrap_or_else(|| time.today())
    }

    /// The first and last day the current mode shows around the cursor.
    pub fn range(&self, time: &TimeContext) -> (NaiveDate, NaiveDate) {
        let day = self.day(time);
        match self.mode {
            CalendarMode::Month => {
                let weeks = month_weeks(day.year(), day.month(), time.week_start);
                match (weeks.first(), weeks.last()) {
                    (Some(first), Some(last)) => (first[0], last[6]),
                    _ => (day, day),
                }
            }
            CalendarMode::Week => {
                let start = time.start_of_week(day);
                (start, shift_days(start, 6))
            }
            CalendarMode::Agenda => (day, shift_days(day, AGENDA_DAYS - 1)),
        }
    }

    /// The range to ask the worker for when `upcoming` does not cover what is shown: a little
    /// more than shown, so moving a day or a week does not ask again.
    pub fn upcoming_wanted(&self, time: &TimeContext) -> Option<(NaiveDate, NaiveDate)> {
        let (from, to) = self.range(time);
        match self.upcoming_range {
            Some((have_from, have_to)) if have_from <= from && to <= have_to => None,
            _ => Some((shift_days(from, -42), shift_days(to, 42))),
        }
    }
}
