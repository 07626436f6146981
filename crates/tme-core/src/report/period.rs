//! Time ranges (`7d`, `30d`, `90d`, `1y`, `all`) and the periods they are counted in.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::domain::TimeContext;

/// The span a report covers, ending now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// How many days back it reaches (`None`: all time).
    pub days: Option<u32>,
}

/// A range that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a range; use 7d, 30d, 90d, 1y, all, or a number of days, weeks, months or years (6w, 3m, 2y)"
)]
pub struct RangeError(pub String);

impl Range {
    /// The presets the TUI cycles through.
    pub const PRESETS: [Range; 5] = [
        Range { days: Some(7) },
        Range { days: Some(30) },
        Range { days: Some(90) },
        Range { days: Some(365) },
        Range { days: None },
    ];

    /// Reads `7d`, `6w`, `3m`, `1y` or `all`.
    ///
    /// ```
    /// use tme_core::report::Range;
    /// assert_eq!(Range::parse("30d").unwrap().days, Some(30));
    /// assert_eq!(Range::parse("2w").unwrap().days, Some(14));
    /// assert_eq!(Range::parse("1y").unwrap().days, Some(365));
    /// assert_eq!(Range::parse("all").unwrap().days, None);
    /// assert!(Range::parse("soon").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Range, super::RangeError> {
        let lower = text.trim().to_lowercase();
        if lower == "all" {
            return Ok(Range { days: None });
        }
        let bad = || super::RangeError(text.to_string());
        let unit = lower.chars().last().ok_or_else(bad)?;
        let count: u32 = lower[..lower.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| bad())?;
        let per = match unit {
            'd' => 1,
            'w' => 7,
            'm' => 30,
            'y' => 365,
            _ => return Err(bad()),
        };
        match count.checked_mul(per) {
            Some(days) if days > 0 && days <= 365 * 100 => Ok(Range { days: Some(days) }),
            _ => Err(bad()),
        }
    }

    /// The short name: `30d`, `1y`, `all`.
    pub fn label(self) -> String {
        match self.days {
            None => "all".into(),
            Some(365) => "1y".into(),
            Some(d) => format!("{d}d"),
        }
    }

    /// The next preset after this range (the TUI's `r`).
    pub fn next_preset(self) -> Range {
        let at = Range::PRESETS.iter().position(|r| *r == self);
        Range::PRESETS[at.map_or(0, |i| (i + 1) % Range::PRESETS.len())]
    }

    /// The first local day the range covers; for `all`, the day of `earliest`.
    pub fn first_day(self, time: &TimeContext, earliest: Option<DateTime<Utc>>) -> NaiveDate {
        let today = time.today();
        match self.days {
            Some(days) => today - Duration::days(i64::from(days) - 1),
            None => earliest
                .map(|e| e.with_timezone(&time.tz).date_naive())
                .unwrap_or(today)
                .min(today),
        }
    }

    /// The size of period that suits the range: days up to a month, weeks up to half a year,
    /// months beyond.
    pub fn period(self, first: NaiveDate, today: NaiveDate) -> Period {
        let days = (today - first).num_days();
        if days <= 31 {
            Period::Day
        } else if days <= 183 {
            Period::Week
        } else {
            Period::Month
        }
    }
}

/// A length of time tasks are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar days.
    Day,
    /// Weeks (starting on the configured day).
    Week,
    /// Calendar months.
    Month,
}

impl Period {
    /// The first day of the period `day` is in.
    pub fn start_of(self, day: NaiveDate, time: &TimeContext) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::Week => time.start_of_week(day),
            Period::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the next period after the one starting on `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => start + Duration::days(1),
            Period::Week => start + Duration::days(7),
            Period::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start + Duration::days(31)),
        }
    }

    /// The periods from the one holding `first` to the one holding `last`, by their first day.
    pub fn starts(self, first: NaiveDate, last: NaiveDate, time: &TimeContext) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut at = self.start_of(first, time);
        while at <= last {
            out.push(at);
            at = self.next(at);
        }
        out
    }

    /// A period's label: `2026-11-26`, `w/c 2026-11-23`, `2026-11`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => start.format("w/c %Y-%m-%d").to_string(),
            Period::Month => start.format("%Y-%m").to_string(),
        }
    }

    /// The word for the period: `day`, `week`, `month`.
    pub fn word(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

/// Which of `starts` (sorted period starts) the local day `day` falls in.
pub fn bucket(starts: &[NaiveDate], day: NaiveDate) -> Option<usize> {
    match starts.binary_search(&day) {
        Ok(i) => Some(i),
        Err(0) => None,
        Err(i) => Some(i - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn periods_cover_the_range_and_bucket_days() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let time = TimeContext::new(now, chrono_tz::UTC);
        let first = Range::parse("90d")
            .map(|r| r.first_day(&time, None))
            .unwrap_or_default();
        assert_eq!(first.to_string(), "2026-08-29");
        let period = Range::parse("90d")
            .map(|r| r.period(first, time.today()))
            .ok();
        assert_eq!(period, Some(Period::Week));
        let starts = Period::Week.starts(first, time.today(), &time);
        assert_eq!(starts[0].to_string(), "2026-08-24");
        assert_eq!(
            starts.last().map(ToString::to_string).as_deref(),
            Some("2026-11-23")
        );
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        assert_eq!(bucket(&starts, day), Some(starts.len() - 1));
        assert_eq!(bucket(&starts, first - Duration::days(30)), None);
        let months = Period::Month.starts(first, time.today(), &time);
        assert_eq!(months.len(), 4);
        assert_eq!(Range::parse("0d"), Err(RangeError("0d".into())));
        assert_eq!(Range { days: Some(7) }.next_preset().label(), "30d");
        assert_eq!(Range { days: None }.next_preset().label(), "7d");
    }
}

/// The days a report looks at and the periods it counts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The range asked for.
    pub range: Range,
    /// Its first local day.
    pub first: NaiveDate,
    /// Today, its last day.
    pub last: NaiveDate,
    /// The period counted in.
    pub period: Period,
    /// The first day of each period, in order.
    pub starts: Vec<NaiveDate>,
}

impl Window {
    /// The window of `range` ending today; for `all`, starting when the earliest of `tasks`
    /// was added.
    pub fn new(range: Range, tasks: &[super::ReportTask], time: &TimeContext) -> Window {
        let earliest = tasks.iter().map(|t| t.created).min();
        let first = range.first_day(time, earliest);
        let last = time.today();
        let period = range.period(first, last);
        Window {
            range,
            first,
            last,
            period,
            starts: period.starts(first, last, time),
        }
    }

    /// Whether the instant falls on one of the window's days.
    pub fn holds(&self, at: DateTime<Utc>, time: &TimeContext) -> bool {
        let day = at.with_timezone(&time.tz).date_naive();
        self.first <= day && day <= self.last
    }

    /// Which period the instant falls in.
    pub fn bucket_of(&self, at: DateTime<Utc>, time: &TimeContext) -> Option<usize> {
        let day = at.with_timezone(&time.tz).date_naive();
        (self.first <= day && day <= self.last)
            .then(|| bucket(&self.starts, day))
            .flatten()
    }
}
