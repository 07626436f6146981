//! A rule in plain English, as `tme show` and the quick-add preview print it.

use chrono::{Datelike, Weekday};
use chrono_tz::Tz;
use rrule::{Frequency, NWeekday, RRule, Unvalidated};

use super::{Pattern, RecurrenceRule, Unit, full_weekday_name, ordinal_suffix};
use crate::domain::dates::MONTHS;
use crate::domain::text::capitalized;
use crate::domain::when::When;

fn weekday_name(day: Weekday) -> String {
    capitalized(full_weekday_name(day))
}

/// "a", "a and b", "a, b and c".
fn listing(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn ordinal(n: i64) -> String {
    match n {
        -1 => "last".into(),
        n if n < 0 => {
            let k = n.unsigned_abs();
            format!(
                "{k}{}-to-last",
                ordinal_suffix(u32::try_from(k).unwrap_or(0))
            )
        }
        n => format!("{n}{}", ordinal_suffix(u32::try_from(n).unwrap_or(0))),
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Day => "day",
        Unit::Week => "week",
        Unit::Month => "month",
        Unit::Year => "year",
    }
}

fn every(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("every {unit}")
    } else {
        format!("every {n} {unit}s")
    }
}

/// Which day of its week, month or year a start falls on: "on Tuesday", "on the 15th".
fn start_day(unit: Unit, start: When, tz: Tz) -> Option<String> {
    let date = start.local_date(tz);
    match unit {
        Unit::Day => None,
        Unit::Week => Some(format!("on {}", weekday_name(date.weekday()))),
        Unit::Month => Some(format!("on the {}", ordinal(i64::from(date.day())))),
        Unit::Year => Some(format!("on {} {}", date.day(), date.format("%B"))),
    }
}

fn pattern_words(rule: &RecurrenceRule, start: Option<When>, tz: Tz) -> String {
    match &rule.pattern {
        Pattern::Every { n, unit } if rule.after_completion => {
            let unit = unit_name(*unit);
            let plural = if *n == 1 { "" } else { "s" };
            format!("{n} {unit}{plural} after each completion")
        }
        Pattern::Every { n, unit } => {
            let base = every(u64::from(*n), unit_name(*unit));
            match start.and_then(|s| start_day(*unit, s, tz)) {
                Some(day) => format!("{base} {day}"),
                None => base,
            }
        }
        Pattern::Weekdays => "every weekday".into(),
        Pattern::OnDays(days) => {
            let names: Vec<String> = days.iter().map(|d| weekday_name(*d)).collect();
            format!("every {}", listing(&names))
        }
        Pattern::NthWeekday { nth, day } => {
            format!("every {} {}", ordinal(i64::from(*nth)), weekday_name(*day))
        }
        Pattern::MonthDay(d) => format!("every {} of the month", ordinal(i64::from(*d))),
        Pattern::LastDayOfMonth => "every last day of the month".into(),
        Pattern::Rrule(raw) => raw
            .parse::<RRule<Unvalidated>>()
            .map_or_else(|_| raw.clone(), |r| raw_words(&r)),
    }
}

fn frequency_unit(freq: Frequency) -> &'static str {
    match freq {
        Frequency::Yearly => "year",
        Frequency::Monthly => "month",
        Frequency::Weekly => "week",
        Frequency::Daily => "day",
        Frequency::Hourly => "hour",
        Frequency::Minutely => "minute",
        Frequency::Secondly => "second",
    }
}

fn rfc_weekday_name(day: rrule::Weekday) -> String {
    let day = match day {
        rrule::Weekday::Mon => Weekday::Mon,
        rrule::Weekday::Tue => Weekday::Tue,
        rrule::Weekday::Wed => Weekday::Wed,
        rrule::Weekday::Thu => Weekday::Thu,
        rrule::Weekday::Fri => Weekday::Fri,
        rrule::Weekday::Sat => Weekday::Sat,
        rrule::Weekday::Sun => Weekday::Sun,
    };
    weekday_name(day)
}

/// A raw RFC 5545 rule in words, part by part.
fn raw_words(rule: &RRule<Unvalidated>) -> String {
    let mut words = every(
        u64::from(rule.get_interval()),
        frequency_unit(rule.get_freq()),
    );
    let days: Vec<String> = rule
        .get_by_weekday()
        .iter()
        .map(|d| match d {
            NWeekday::Every(day) => rfc_weekday_name(*day),
            NWeekday::Nth(n, day) => {
                format!("the {} {}", ordinal(i64::from(*n)), rfc_weekday_name(*day))
            }
        })
        .collect();
    if !days.is_empty() {
        words.push_str(&format!(" on {}", listing(&days)));
    }
    let month_days: Vec<String> = rule
        .get_by_month_day()
        .iter()
        .map(|d| match d {
            -1 => "last day".to_string(),
            d => ordinal(i64::from(*d)),
        })
        .collect();
    if !month_days.is_empty() {
        words.push_str(&format!(" on the {}", listing(&month_days)));
    }
    let months: Vec<String> = rule
        .get_by_month()
        .iter()
        .filter_map(|m| MONTHS.get(usize::from(*m).wrapping_sub(1)))
        .map(|m| capitalized(m))
        .collect();
    if !months.is_empty() {
        words.push_str(&format!(" in {}", listing(&months)));
    }
    let positions: Vec<String> = rule
        .get_by_set_pos()
        .iter()
        .map(|p| ordinal(i64::from(*p)))
        .collect();
    if !positions.is_empty() {
        words.push_str(&format!(", only the {} of those", listing(&positions)));
    }
    if let Some(count) = rule.get_count() {
        let plural = if count == 1 { "" } else { "s" };
        words.push_str(&format!(", {count} time{plural}"));
    }
    if let Some(until) = rule.get_until() {
        words.push_str(&format!(" until {}", until.format("%Y-%m-%d")));
    }
    words
}

/// A rule in words, with the time of day of a timed start and the end of the series:
/// "every 2nd Tuesday at 09:00 until 2027-06-30".
pub fn describe(rule: &RecurrenceRule, start: Option<When>, until: Option<When>, tz: Tz) -> String {
    let mut words = pattern_words(rule, start, tz);
    if let Some(When::At(at)) = start {
        words.push_str(&format!(" at {}", at.with_timezone(&tz).format("%H:%M")));
    }
    if let Some(until) = until {
        words.push_str(&format!(" until {}", until.display(tz)));
    }
    words
}
