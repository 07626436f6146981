//! Days and months: where a task falls on the calendar, the weeks of a month grid, and the
//! month a user names.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::dates::{parse_month_name, try_parse_when};
use super::task::Task;
use super::when::{TimeContext, When};

/// Why something is on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// The task is due that day.
    Due,
    /// The task is scheduled for that day.
    Scheduled,
    /// A recurring series has an occurrence that day that is not spawned yet.
    Upcoming,
}

impl EntryKind {
    /// The word used in JSON: `due`, `scheduled`, `upcoming`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Due => "due",
            EntryKind::Scheduled => "scheduled",
            EntryKind::Upcoming => "upcoming",
        }
    }
}

/// A point on the calendar: the local day, and the local time for a moment (`None` for a
/// whole day).
pub fn day_and_time(when: When, tz: Tz) -> (NaiveDate, Option<NaiveTime>) {
    match when {
        When::Day(day) => (day, None),
        When::At(at) => {
            let local = at.with_timezone(&tz);
            (local.date_naive(), Some(local.time()))
        }
    }
}

/// Where a task shows on the calendar: the day it is due, and the day it is scheduled when
/// that is another day. Each with its local time, if it has one.
///
/// ```
/// use tme_core::domain::calendar::{EntryKind, placements};
/// use tme_core::domain::{Task, TaskId, When};
/// use chrono::NaiveDate;
/// let day = |d| When::Day(NaiveDate::from_ymd_opt(2026, 12, d).unwrap());
/// let mut task = Task::new(TaskId(1), uuid::Uuid::nil(), "Ship", chrono::Utc::now());
/// task.due = Some(day(4));
/// task.scheduled = Some(day(2));
/// let kinds: Vec<EntryKind> = placements(&task, chrono_tz::UTC).iter().map(|p| p.1).collect();
/// assert_eq!(kinds, [EntryKind::Due, EntryKind::Scheduled]);
/// ```
pub fn placements(task: &Task, tz: Tz) -> Vec<(NaiveDate, EntryKind, Option<NaiveTime>)> {
    let mut out = Vec::with_capacity(2);
    let due = task.due.map(|d| day_and_time(d, tz));
    if let Some((day, time)) = due {
        out.push((day, EntryKind::Due, time));
    }
    if let Some((day, time)) = task.scheduled.map(|s| day_and_time(s, tz))
        && due.is_none_or(|(d, _)| d != day)
    {
        out.push((day, EntryKind::Scheduled, time));
    }
    out
}

/// The weeks (each starting on `week_start`) that cover a month, as a month grid draws them.
///
/// ```
/// use chrono::Weekday;
/// use tme_core::domain::calendar::month_weeks;
/// let weeks = month_weeks(2026, 12, Weekday::Mon);
/// assert_eq!(weeks.len(), 5);
/// assert_eq!(weeks[0][0].to_string(), "2026-11-30");
/// assert_eq!(weeks[4][6].to_string(), "2027-01-03");
/// ```
pub fn month_weeks(year: i32, month: u32, week_start: Weekday) -> Vec<[NaiveDate; 7]> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Vec::new();
    };
    let back = (7 + first.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
    let mut day = first - chrono::Duration::days(i64::from(back));
    let mut weeks = Vec::with_capacity(6);
    loop {
        let mut week = [day; 7];
        for (i, slot) in week.iter_mut().enumerate() {
            *slot = day + chrono::Duration::days(i64::try_from(i).unwrap_or(0));
        }
        weeks.push(week);
        day += chrono::Duration::days(7);
        if day.month() != month {
            break;
        }
    }
    weeks
}

/// The first day of the month `months` after the one `day` is in (negative: before).
pub fn shift_month(day: NaiveDate, months: i32) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    let moved = if months >= 0 {
        first.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        first.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    moved.unwrap_or(first)
}

/// `day` moved by `days` (clamped to the calendar's range).
pub fn shift_days(day: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(day)
}

/// The first day of the month a user names: `2026-12`, `12`, `dec`, `december 2027`,
/// `next month`, or any date (`eom`, `2027-03-15`); `None` when it is not a month.
///
/// ```
/// use tme_core::domain::calendar::parse_month;
/// use tme_core::domain::TimeContext;
/// let ctx = TimeContext::new("2026-11-26T09:00:00Z".parse().unwrap(), chrono_tz::UTC);
/// assert_eq!(parse_month("2027-02", &ctx).unwrap().to_string(), "2027-02-01");
/// assert_eq!(parse_month("jan", &ctx).unwrap().to_string(), "2027-01-01");
/// assert_eq!(parse_month("nov", &ctx).unwrap().to_string(), "2026-11-01");
/// assert_eq!(parse_month("march 2028", &ctx).unwrap().to_string(), "2028-03-01");
/// assert!(parse_month("soon", &ctx).is_none());
/// ```
pub fn parse_month(text: &str, ctx: &TimeContext) -> Option<NaiveDate> {
    let text = text.trim().to_lowercase();
    let today = ctx.today();
    if let Some((year, month)) = text.split_once('-')
        && let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>())
    {
        return NaiveDate::from_ymd_opt(year, month, 1);
    }
    if let Ok(month) = text.parse::<u32>() {
        return NaiveDate::from_ymd_opt(today.year(), month, 1);
    }
    let mut words = text.split_whitespace();
    if let Some(name) = words.next()
        && let Some(month) = parse_month_name(name)
    {
        let year = match words.next() {
            Some(year) => year.parse::<i32>().ok()?,
            // A month name alone means the next one of that name (this one counts).
            None if month < today.month() => today.year() + 1,
            None => today.year(),
        };
        return words
            .next()
            .is_none()
            .then(|| NaiveDate::from_ymd_opt(year, month, 1))?;
    }
    try_parse_when(&text, ctx).map(|w| {
        let day = w.local_date(ctx.tz);
        day.with_day(1).unwrap_or(day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn months_across_year_ends_and_week_starts() {
        let sunday = month_weeks(2027, 1, Weekday::Sun);
        assert_eq!(sunday[0][0].to_string(), "2026-12-27");
        assert!(sunday.iter().all(|w| w[0].weekday() == Weekday::Sun));
        // February 2027 starts on a Monday and fills exactly four weeks.
        assert_eq!(month_weeks(2027, 2, Weekday::Mon).len(), 4);
        assert_eq!(month_weeks(2026, 13, Weekday::Mon).len(), 0);
        let dec = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        assert_eq!(shift_month(dec, 1).to_string(), "2027-01-01");
        assert_eq!(shift_month(dec, -12).to_string(), "2025-12-01");
        assert_eq!(shift_days(dec, 1).to_string(), "2027-01-01");
    }

    #[test]
    fn a_moment_falls_on_its_local_day() {
        // 23:30 UTC on Dec 31 is already the new year in Berlin.
        let at = Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
            .single()
            .map(When::At);
        let Some(at) = at else { return };
        let (day, time) = day_and_time(at, chrono_tz::Europe::Berlin);
        assert_eq!(day.to_string(), "2027-01-01");
        assert_eq!(time.map(|t| t.to_string()), Some("00:30:00".into()));
    }
}
