//! Date phrases: ISO dates and times, `today`, `fri`, `next mon`, `eom`, `+3d`, `in 2 weeks`.
//!
//! Everything is relative to a [`TimeContext`], never to the system clock. A phrase without a
//! time of day gives a whole day ([`When::Day`]); one with a time gives an instant.

use chrono::{
    DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday,
};

use super::recurrence::{full_weekday_name, parse_weekday};
use super::when::{TimeContext, When, local_to_utc};

/// A date phrase that could not be understood, with the closest known word if there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a date; {}", hint(.suggestion))]
pub struct DateError {
    /// The text as given.
    pub text: String,
    /// A known phrase close to what was typed, with the date it means (`fri (2026-11-27)`).
    pub suggestion: Option<String>,
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("did you mean {s}? Dates look like 2026-12-04, today, fri, eom, +3d"),
        None => "try 2026-12-04, 2026-12-04T14:00, today, tomorrow, fri, next mon, eow, eom, +3d or 'in 2 weeks'".into(),
    }
}

/// Words that name a date by themselves; used to suggest a correction for a typo.
const KEYWORDS: [&str; 19] = [
    "today",
    "tomorrow",
    "yesterday",
    "now",
    "eod",
    "eow",
    "eom",
    "eoq",
    "eoy",
    "sow",
    "som",
    "soq",
    "soy",
    "sonw",
    "sonm",
    "sonq",
    "sony",
    "next",
    "noon",
];

/// The months' names, in lower case.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Something a phrase can mean before a time of day is applied.
enum Point {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

/// Parses a date phrase relative to `ctx`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tme_core::domain::{parse_when, TimeContext, When};
/// let ctx = TimeContext::new(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(), chrono_tz::UTC);
/// let eom = parse_when("eom", &ctx).unwrap();
/// assert_eq!(eom.to_string(), "2026-11-30");
/// assert_eq!(parse_when("in 2 weeks", &ctx).unwrap().to_string(), "2026-12-10");
/// assert!(matches!(parse_when("fri 14:00", &ctx).unwrap(), When::At(_)));
/// ```
pub fn parse_when(text: &str, ctx: &TimeContext) -> Result<When, DateError> {
    try_parse_when(text, ctx).ok_or_else(|| {
        let lower = text.trim().to_lowercase();
        let (date_words, _) = split_time(&lower);
        DateError {
            text: text.to_string(),
            suggestion: suggest(&date_words, ctx),
        }
    })
}

/// Parses a date phrase, or `None`: [`parse_when`] without working out a suggestion.
pub fn try_parse_when(text: &str, ctx: &TimeContext) -> Option<When> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    if let Some(when) = parse_iso(trimmed, ctx) {
        return Some(when);
    }
    let lower = trimmed.to_lowercase();
    let (date_words, time) = split_time(&lower);
    let point = if date_words.is_empty() {
        Point::Day(ctx.today())
    } else {
        parse_point(&date_words, ctx)?
    };
    match (point, time) {
        (Point::Day(day), None) => Some(When::Day(day)),
        (Point::Day(day), Some(time)) => Some(When::At(local_to_utc(
            NaiveDateTime::new(day, time),
            ctx.tz,
        ))),
        (Point::Instant(at), None) => Some(When::At(at)),
        (Point::Instant(_), Some(_)) => None,
    }
}

/// ISO 8601 / RFC 3339 forms: `2026-12-01`, `2026-12-01T14:00[:05]`, `...Z`, `...+01:00`.
fn parse_iso(text: &str, ctx: &TimeContext) -> Option<When> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(When::Day(day));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(When::At(at.with_timezone(&Utc)));
    }
    if let Ok(at) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%#z") {
        return Some(When::At(at.with_timezone(&Utc)));
    }
    // Only a literal Z means UTC: an offset that did not parse (+25:00) is not dropped.
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%MZ") {
        return Some(When::At(naive.and_utc()));
    }
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .map(|naive| When::At(local_to_utc(naive, ctx.tz)))
}

/// Splits a trailing time of day (`fri 14:00`, `tomorrow@9am`, `14:00`) from the date words.
fn split_time(lower: &str) -> (Vec<&str>, Option<NaiveTime>) {
    if let Some((date, time)) = lower.rsplit_once('@')
        && let Some(t) = parse_time(time.trim())
    {
        return (date.split_whitespace().collect(), Some(t));
    }
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    match words.last().and_then(|w| parse_time(w)) {
        Some(time) => {
            words.pop();
            // "at" may precede the time: "tomorrow at 9am".
            if words.last() == Some(&"at") {
                words.pop();
            }
            (words, Some(time))
        }
        None => (words, None),
    }
}

/// `14:00`, `14:00:30`, `9am`, `9:30pm`, `noon`, `midnight`.
fn parse_time(word: &str) -> Option<NaiveTime> {
    match word {
        "noon" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" => return Some(NaiveTime::MIN),
        _ => {}
    }
    let (clock, pm) = if let Some(rest) = word.strip_suffix("am") {
        (rest, Some(false))
    } else if let Some(rest) = word.strip_suffix("pm") {
        (rest, Some(true))
    } else {
        (word, None)
    };
    let mut parts = clock.split(':');
    let hour: u32 = parts
        .next()
        .filter(|h| !h.is_empty() && h.len() <= 2)?
        .parse()
        .ok()?;
    let minute: u32 = match parts.next() {
        Some(m) if m.len() == 2 => m.parse().ok()?,
        Some(_) => return None,
        // A bare hour is only a time with am/pm: "9" alone is not.
        None if pm.is_some() => 0,
        None => return None,
    };
    let second: u32 = match parts.next() {
        Some(s) if s.len() == 2 => s.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let hour = match pm {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        _ => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// The date words without a time: `today`, `next mon`, `+3d`, `in 2 weeks`, `dec 24`.
fn parse_point(words: &[&str], ctx: &TimeContext) -> Option<Point> {
    let today = ctx.today();
    let day = |d: NaiveDate| Some(Point::Day(d));
    match words {
        [single] => parse_single(single, ctx),
        ["next", "week"] => day(ctx.start_of_week(today) + Duration::days(7)),
        ["next", "month"] => day(first_of_month(today).checked_add_months(Months::new(1))?),
        ["next", "year"] => day(NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)?),
        ["next", weekday] => day(next_weekday(today, parse_weekday(weekday)?)),
        ["in", amount] => parse_offset(amount, 1, ctx),
        ["in", count, unit] => {
            let n: i64 = match *count {
                "a" | "an" | "one" => 1,
                digits => digits.parse().ok()?,
            };
            apply_offset(n, unit, ctx)
        }
        [first, second] => day(month_and_day(first, second, today)?),
        _ => None,
    }
}

fn parse_single(word: &str, ctx: &TimeContext) -> Option<Point> {
    let today = ctx.today();
    let day = |d: NaiveDate| Some(Point::Day(d));
    match word {
        "today" | "eod" => day(today),
        "tomorrow" | "tmr" => day(today.succ_opt()?),
        "yesterday" => day(today.pred_opt()?),
        "now" => Some(Point::Instant(ctx.now)),
        "eow" => day(ctx.end_of_week(today)),
        // Starts are of the current week, month, quarter and year, as in Taskwarrior 2.6;
        // `sonw` and the like are the next one's.
        "sow" => day(ctx.start_of_week(today)),
        "sonw" => day(ctx.start_of_week(today) + Duration::days(7)),
        "eom" => day(first_of_month(today)
            .checked_add_months(Months::new(1))?
            .pred_opt()?),
        "som" => day(first_of_month(today)),
        "sonm" => day(first_of_month(today).checked_add_months(Months::new(1))?),
        "eoq" => day(first_of_quarter(today)
            .checked_add_months(Months::new(3))?
            .pred_opt()?),
        "soq" => day(first_of_quarter(today)),
        "sonq" => day(first_of_quarter(today).checked_add_months(Months::new(3))?),
        "eoy" => day(NaiveDate::from_ymd_opt(today.year(), 12, 31)?),
        "soy" => day(NaiveDate::from_ymd_opt(today.year(), 1, 1)?),
        "sony" => day(NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)?),
        _ => {
            if let Some(weekday) = parse_weekday(word) {
                return day(next_weekday(today, weekday));
            }
            if let Some(d) = parse_day_of_month(word, today) {
                return day(d);
            }
            let sign = match word.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            parse_offset(&word[1..], sign, ctx)
        }
    }
}

/// `3d`, `2w`, `1m`, `1y`, `4h`, `30min`, times `sign`.
fn parse_offset(text: &str, sign: i64, ctx: &TimeContext) -> Option<Point> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().ok()?;
    apply_offset(sign * n, unit, ctx)
}

fn apply_offset(n: i64, unit: &str, ctx: &TimeContext) -> Option<Point> {
    if n.abs() > 100_000 {
        return None;
    }
    let today = ctx.today();
    let months = |m: i64| -> Option<NaiveDate> {
        let count = Months::new(u32::try_from(m.abs()).ok()?);
        if m >= 0 {
            today.checked_add_months(count)
        } else {
            today.checked_sub_months(count)
        }
    };
    let point = match unit {
        "d" | "day" | "days" => Point::Day(today.checked_add_signed(Duration::days(n))?),
        "w" | "wk" | "wks" | "week" | "weeks" => {
            Point::Day(today.checked_add_signed(Duration::weeks(n))?)
        }
        "m" | "mo" | "month" | "months" => Point::Day(months(n)?),
        "q" | "quarter" | "quarters" => Point::Day(months(n * 3)?),
        "y" | "yr" | "year" | "years" => Point::Day(months(n * 12)?),
        "h" | "hr" | "hrs" | "hour" | "hours" => {
            Point::Instant(ctx.now.checked_add_signed(Duration::hours(n))?)
        }
        "min" | "mins" | "minute" | "minutes" => {
            Point::Instant(ctx.now.checked_add_signed(Duration::minutes(n))?)
        }
        _ => return None,
    };
    Some(point)
}

/// The first `weekday` strictly after `today`.
fn next_weekday(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    today + Duration::days(i64::from(if ahead == 0 { 7 } else { ahead }))
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn first_of_quarter(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

/// `15th`: the next 15th of a month strictly after today.
fn parse_day_of_month(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))?;
    let n: u32 = digits.parse().ok().filter(|n| (1..=31).contains(n))?;
    (0..=12).find_map(|ahead| {
        let month = first_of_month(today).checked_add_months(Months::new(ahead))?;
        month.with_day(n).filter(|d| *d > today)
    })
}

/// 1–12 for a month's name or its first three letters or more (`dec`, `december`).
pub(crate) fn parse_month_name(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| m.starts_with(word))?;
    u32::try_from(index + 1).ok()
}

/// `dec 24`, `24 dec`, `december 24th`: the next such date on or after today.
fn month_and_day(first: &str, second: &str, today: NaiveDate) -> Option<NaiveDate> {
    let day_number = |w: &str| -> Option<u32> {
        let digits = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| w.strip_suffix(s))
            .unwrap_or(w);
        digits.parse().ok()
    };
    let (month, day) = match (parse_month_name(first), parse_month_name(second)) {
        (Some(m), None) => (m, day_number(second)?),
        (None, Some(m)) => (m, day_number(first)?),
        _ => return None,
    };
    (0..=8).find_map(|ahead| {
        NaiveDate::from_ymd_opt(today.year() + ahead, month, day).filter(|d| *d >= today)
    })
}

/// The known word closest to an unknown one, with the date it would mean.
fn suggest(words: &[&str], ctx: &TimeContext) -> Option<String> {
    let word = words.last()?;
    let weekdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .map(full_weekday_name);
    let candidates = KEYWORDS.iter().chain(weekdays.iter()).chain(MONTHS.iter());
    let (best, distance) = candidates
        .map(|c| (*c, strsim::damerau_levenshtein(word, c)))
        .min_by_key(|(_, d)| *d)?;
    if distance == 0 || distance > 2 || distance * 3 > best.len() {
        return None;
    }
    let mut fixed: Vec<&str> = words.to_vec();
    if let Some(last) = fixed.last_mut() {
        *last = best;
    }
    let phrase = fixed.join(" ");
    match parse_point(&fixed, ctx) {
        Some(Point::Day(day)) => Some(format!("'{phrase}' ({})", day.format("%Y-%m-%d"))),
        _ => Some(format!("'{phrase}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// Thursday 2026-11-26, 09:30 in Berlin.
    fn ctx() -> TimeContext {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 8, 30, 0).single();
        TimeContext::new(now.unwrap_or_default(), chrono_tz::Europe::Berlin)
    }

    fn day_of(text: &str) -> String {
        match parse_when(text, &ctx()) {
            Ok(When::Day(d)) => d.format("%Y-%m-%d").to_string(),
            Ok(When::At(at)) => format!(
                "at {}",
                at.with_timezone(&chrono_tz::Europe::Berlin)
                    .format("%Y-%m-%d %H:%M")
            ),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn phrases_mean_what_users_expect() {
        let cases = [
            ("today", "2026-11-26"),
            ("tomorrow", "2026-11-27"),
            ("yesterday", "2026-11-25"),
            ("fri", "2026-11-27"),
            ("thursday", "2026-12-03"),
            ("next monday", "2026-11-30"),
            ("next thu", "2026-12-03"),
            ("next week", "2026-11-30"),
            ("next month", "2026-12-01"),
            ("next year", "2027-01-01"),
            ("eow", "2026-11-29"),
            ("sow", "2026-11-23"),
            ("sonw", "2026-11-30"),
            ("eom", "2026-11-30"),
            ("som", "2026-11-01"),
            ("sonm", "2026-12-01"),
            ("eoq", "2026-12-31"),
            ("soq", "2026-10-01"),
            ("sonq", "2027-01-01"),
            ("eoy", "2026-12-31"),
            ("soy", "2026-01-01"),
            ("sony", "2027-01-01"),
            ("+3d", "2026-11-29"),
            ("-1d", "2026-11-25"),
            ("+2w", "2026-12-10"),
            ("+1m", "2026-12-26"),
            ("+1y", "2027-11-26"),
            ("in 2 weeks", "2026-12-10"),
            ("in 3 days", "2026-11-29"),
            ("in a month", "2026-12-26"),
            ("in 5d", "2026-12-01"),
            ("15th", "2026-12-15"),
            ("26th", "2026-12-26"),
            ("dec 24", "2026-12-24"),
            ("24 december", "2026-12-24"),
            ("nov 1", "2027-11-01"),
            ("2026-12-01", "2026-12-01"),
            ("2027-02-28", "2027-02-28"),
        ];
        for (text, expected) in cases {
            assert_eq!(day_of(text), expected, "{text}");
        }
    }

    #[test]
    fn times_of_day() {
        let cases = [
            ("2026-12-01T14:00", "at 2026-12-01 14:00"),
            ("2026-12-01 14:00", "at 2026-12-01 14:00"),
            ("2026-12-01T13:00Z", "at 2026-12-01 14:00"),
            ("2026-12-01T14:00:00+01:00", "at 2026-12-01 14:00"),
            ("tomorrow 9am", "at 2026-11-27 09:00"),
            ("tomorrow at 9:30pm", "at 2026-11-27 21:30"),
            ("fri@14:00", "at 2026-11-27 14:00"),
            ("17:00", "at 2026-11-26 17:00"),
            ("noon", "at 2026-11-26 12:00"),
            ("12am", "at 2026-11-26 00:00"),
            ("+4h", "at 2026-11-26 13:30"),
            ("in 90 minutes", "at 2026-11-26 11:00"),
            ("now", "at 2026-11-26 09:30"),
        ];
        for (text, expected) in cases {
            assert_eq!(day_of(text), expected, "{text}");
        }
    }

    #[test]
    fn typos_get_a_suggestion() {
        let err = parse_when("fryday", &ctx()).err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("'fryday' is not a date"), "{message}");
        assert!(message.contains("'friday' (2026-11-27)"), "{message}");
        let err = parse_when("tomorow", &ctx()).err();
        assert!(err.is_some_and(|e| e.suggestion.is_some_and(|s| s.contains("tomorrow"))));
    }

    #[test]
    fn nonsense_is_refused() {
        for text in [
            "",
            "soon",
            "2026-13-01",
            "2026-02-30",
            "25:00",
            "9",
            "+3x",
            "in",
            "in x days",
            "now 14:00",
            "13pm",
            "feb 30",
            "+99999999999d",
            "32nd",
            "next",
        ] {
            assert!(parse_when(text, &ctx()).is_err(), "{text} parsed");
        }
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,30}") {
            let _ = parse_when(&text, &ctx());
        }

        #[test]
        fn iso_dates_round_trip(days in -20_000i64..40_000) {
            let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() + Duration::days(days);
            let text = day.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_when(&text, &ctx()), Ok(When::Day(day)));
        }

        #[test]
        fn offsets_in_days_add_up(n in 0i64..5000) {
            let expected = ctx().today() + Duration::days(n);
            prop_assert_eq!(parse_when(&format!("+{n}d"), &ctx()), Ok(When::Day(expected)));
            prop_assert_eq!(parse_when(&format!("in {n} days"), &ctx()), Ok(When::Day(expected)));
        }
    }
}
