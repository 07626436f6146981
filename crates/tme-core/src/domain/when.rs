//! Points in time as users give them: a whole day, or an exact moment.

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// A due, scheduled, wait or until date: a whole day in the local zone, or an exact moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// The whole day, in whatever zone the user is in.
    Day(NaiveDate),
    /// An exact moment.
    At(DateTime<Utc>),
}

/// The years a date may fall in: 1 to 9999, as iCalendar, Taskwarrior and RFC 3339 write them
/// (four digits). A date past them is refused, and no series goes on past 9999-12-31.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

impl When {
    /// Whether this point falls within [`YEARS`] (its local day, for a moment).
    pub fn in_calendar(&self, tz: Tz) -> bool {
        YEARS.contains(&self.local_date(tz).year())
    }

    /// The first instant of this point: local midnight for a day.
    pub fn start(&self, tz: Tz) -> DateTime<Utc> {
        match self {
            When::Day(day) => local_midnight(*day, tz),
            When::At(at) => *at,
        }
    }

    /// The instant by which this point has passed: the next local midnight for a day, the
    /// moment itself otherwise. A task is overdue once `deadline` is in the past.
    pub fn deadline(&self, tz: Tz) -> DateTime<Utc> {
        match self {
            When::Day(day) => local_midnight(day.succ_opt().unwrap_or(*day), tz),
            When::At(at) => *at,
        }
    }

    /// The local calendar day this point falls on.
    pub fn local_date(&self, tz: Tz) -> NaiveDate {
        match self {
            When::Day(day) => *day,
            When::At(at) => at.with_timezone(&tz).date_naive(),
        }
    }

    /// A sort key that does not depend on the zone: seconds since the epoch, taking a day as
    /// its last second in UTC. Used to order index entries.
    pub fn sort_key(&self) -> i64 {
        match self {
            When::Day(day) => day
                .and_hms_opt(23, 59, 59)
                .map(|t| t.and_utc().timestamp())
                .unwrap_or(i64::MAX),
            When::At(at) => at.timestamp(),
        }
    }

    /// Shows the point in the local zone: `2026-12-01` or `2026-12-01 14:00`.
    pub fn display(&self, tz: Tz) -> String {
        match self {
            When::Day(day) => day.format("%Y-%m-%d").to_string(),
            When::At(at) => {
                let local = at.with_timezone(&tz);
                if local.format("%S").to_string() == "00" {
                    local.format("%Y-%m-%d %H:%M").to_string()
                } else {
                    local.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
        }
    }

    /// The capture form that parses back to this point: `2026-12-01` or `2026-12-01T14:00`.
    pub fn capture_form(&self, tz: Tz) -> String {
        match self {
            When::Day(day) => day.format("%Y-%m-%d").to_string(),
            When::At(at) => {
                let local = at.with_timezone(&tz);
                let naive = local.naive_local();
                // Only use the local form when it maps back to exactly this instant (not in a
                // DST fold); otherwise fall back to RFC 3339 with an offset.
                if local_to_utc(naive, tz) == *at {
                    if local.format("%S").to_string() == "00" {
                        local.format("%Y-%m-%dT%H:%M").to_string()
                    } else {
                        local.format("%Y-%m-%dT%H:%M:%S").to_string()
                    }
                } else {
                    local.to_rfc3339()
                }
            }
        }
    }
}

/// What "now" means for parsing and display: the instant, the user's zone and the first day of
/// their week. Passed in, never read from the system, so results do not depend on the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeContext {
    /// The current instant.
    pub now: DateTime<Utc>,
    /// The user's time zone.
    pub tz: Tz,
    /// The first day of the user's week (for `eow`, `sow` and calendars).
    pub week_start: Weekday,
}

impl TimeContext {
    /// A context at `now` in `tz` with weeks starting on Monday.
    pub fn new(now: DateTime<Utc>, tz: Tz) -> TimeContext {
        TimeContext {
            now,
            tz,
            week_start: Weekday::Mon,
        }
    }

    /// Today's date in the user's zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// The local wall-clock time now.
    pub fn local_now(&self) -> NaiveDateTime {
        self.now.with_timezone(&self.tz).naive_local()
    }

    /// The last day of the week that contains `day`.
    pub fn end_of_week(&self, day: NaiveDate) -> NaiveDate {
        let start = self.start_of_week(day);
        start + Duration::days(6)
    }

    /// The first day of the week that contains `day`.
    pub fn start_of_week(&self, day: NaiveDate) -> NaiveDate {
        let offset =
            (day.weekday().num_days_from_monday() + 7 - self.week_start.num_days_from_monday()) % 7;
        day - Duration::days(i64::from(offset))
    }
}

/// Converts a local wall-clock time to UTC. In a DST gap the time is moved forward past the gap;
/// in a fold the earlier of the two instants is taken.
pub fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        LocalResult::None => {
            // Walk forward in small steps until the wall clock exists again (gaps are at most
            // a few hours in every zone).
            (1..=24 * 4)
                .map(|quarter| naive + Duration::minutes(15 * quarter))
                .find_map(|later| tz.from_local_datetime(&later).earliest())
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| naive.and_utc())
        }
    }
}

/// Local midnight at the start of `day`, in UTC.
pub fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_to_utc(day.and_time(chrono::NaiveTime::MIN), tz)
}

impl fmt::Display for When {
    /// Zone-free display: a day as `YYYY-MM-DD`, a moment in RFC 3339 UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            When::At(at) => write!(f, "{}", at.to_rfc3339()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_day_ends_at_the_next_local_midnight() {
        let tz: Tz = chrono_tz::Europe::Berlin;
        let deadline = When::Day(day(2026, 12, 1)).deadline(tz);
        assert_eq!(deadline.to_rfc3339(), "2026-12-01T23:00:00+00:00");
    }

    #[test]
    fn times_in_a_dst_gap_move_forward() {
        let tz: Tz = chrono_tz::America::New_York;
        let gap = day(2026, 3, 8).and_time(NaiveTime::from_hms_opt(2, 30, 0).unwrap_or_default());
        let utc = local_to_utc(gap, tz);
        assert_eq!(utc.with_timezone(&tz).format("%H:%M").to_string(), "03:00");
    }

    #[test]
    fn weeks_start_where_the_user_says() {
        let mut ctx = TimeContext::new(Utc::now(), chrono_tz::UTC);
        let thursday = day(2026, 11, 26);
        assert_eq!(ctx.end_of_week(thursday), day(2026, 11, 29));
        ctx.week_start = Weekday::Sun;
        assert_eq!(ctx.end_of_week(thursday), day(2026, 11, 28));
        assert_eq!(ctx.start_of_week(day(2026, 11, 22)), day(2026, 11, 22));
    }

    #[test]
    fn capture_form_is_local() {
        let tz: Tz = chrono_tz::Europe::Berlin;
        let at = local_to_utc(
            day(2026, 12, 1).and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default()),
            tz,
        );
        assert_eq!(When::At(at).capture_form(tz), "2026-12-01T14:00");
    }
}
