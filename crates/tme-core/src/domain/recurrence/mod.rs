//! Recurrence rules as users write them (`every:monthly`, `every:"last fri"`, `every:+2w`), the
//! series of occurrences a rule makes from a start date, and how both read in words.

mod rfc;
mod series;
mod streak;
mod words;

pub use series::{MissedPolicy, Series, SeriesError};
pub use streak::{Outcome, Streak, streak};

use std::fmt;

use chrono::{DateTime, Utc, Weekday};
use chrono_tz::Tz;

use super::task::TaskId;
use super::when::When;

/// The unit of a fixed interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

impl Unit {
    fn letter(self) -> char {
        match self {
            Unit::Day => 'd',
            Unit::Week => 'w',
            Unit::Month => 'm',
            Unit::Year => 'y',
        }
    }

    fn from_letter(c: char) -> Option<Unit> {
        match c {
            'd' => Some(Unit::Day),
            'w' => Some(Unit::Week),
            'm' => Some(Unit::Month),
            'y' => Some(Unit::Year),
            _ => None,
        }
    }
}

/// When occurrences fall.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Every `n` units (`daily`, `2w`, `6m`).
    Every {
        /// How many units between occurrences (at least 1).
        n: u32,
        /// The unit.
        unit: Unit,
    },
    /// Monday to Friday.
    Weekdays,
    /// On these days of each week (`mon,thu`), sorted from Monday.
    OnDays(Vec<Weekday>),
    /// The nth weekday of each month (`2nd tue`); `nth` is 1..=5, or -1 for `last`.
    NthWeekday {
        /// Which one: 1 to 5, or -1 for the last.
        nth: i8,
        /// The weekday.
        day: Weekday,
    },
    /// A day of each month (`15th`); months without that day are skipped, as RFC 5545 says.
    MonthDay(u8),
    /// The last day of each month (`eom`, `"last day"`).
    LastDayOfMonth,
    /// A raw RFC 5545 rule (`FREQ=WEEKLY;BYDAY=MO`), upper-cased.
    Rrule(String),
}

/// A recurrence rule: a pattern, and whether it counts from the last completion.
///
/// ```
/// use tme_core::domain::RecurrenceRule;
/// let rule = RecurrenceRule::parse("+2w").unwrap();
/// assert!(rule.after_completion);
/// assert_eq!(rule.to_string(), "+2w");
/// assert_eq!(RecurrenceRule::parse("Last Fri").unwrap().to_string(), "last fri");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecurrenceRule {
    /// When occurrences fall.
    pub pattern: Pattern,
    /// `every:+2w`: the next occurrence is due an interval after the previous one was completed.
    pub after_completion: bool,
}

/// A recurring task is either the template of a series or one instance of it.
#[derive(Debug, Clone, PartialEq)]
pub enum RecurrenceLink {
    /// The template: it holds the rule and is never shown as work itself.
    Template {
        /// The rule.
        rule: RecurrenceRule,
    },
    /// One occurrence, spawned from a template.
    Instance {
        /// The template's id.
        template: TaskId,
        /// The occurrence this instance stands for.
        occurrence: DateTime<Utc>,
    },
}

/// Why an `every:` value was refused; the message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RecurrenceError(pub String);

impl RecurrenceError {
    fn not_a_rule(text: &str) -> RecurrenceError {
        RecurrenceError(format!(
            "'{text}' is not a recurrence; try daily, weekly, monthly, yearly, weekday, 2w, mon,thu, \"last fri\", 15th, eom, +2w or FREQ=..."
        ))
    }
}

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "mon"),
    (Weekday::Tue, "tue"),
    (Weekday::Wed, "wed"),
    (Weekday::Thu, "thu"),
    (Weekday::Fri, "fri"),
    (Weekday::Sat, "sat"),
    (Weekday::Sun, "sun"),
];

/// Parses a weekday name or its first three letters or more (`mon`, `tues`, `Thursday`).
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let lower = text.to_lowercase();
    if lower.len() < 2 {
        return None;
    }
    WEEKDAYS.iter().map(|(d, _)| *d).find(|d| {
        let full = full_weekday_name(*d);
        full.starts_with(&lower) && lower.len() >= 3.min(full.len())
    })
}

/// The full lowercase English name of a weekday.
pub fn full_weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// The three-letter lowercase name of a weekday (`mon`).
pub fn short_weekday(day: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(d, _)| *d == day)
        .map_or("mon", |(_, name)| *name)
}

fn parse_ordinal(text: &str) -> Option<i8> {
    match text {
        "last" => return Some(-1),
        "first" => return Some(1),
        "second" => return Some(2),
        "third" => return Some(3),
        "fourth" => return Some(4),
        "fifth" => return Some(5),
        _ => {}
    }
    let digits = text
        .strip_suffix("st")
        .or_else(|| text.strip_suffix("nd"))
        .or_else(|| text.strip_suffix("rd"))
        .or_else(|| text.strip_suffix("th"))?;
    digits.parse().ok()
}

/// The English ordinal suffix of a number: `st`, `nd`, `rd` or `th`.
pub fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn parse_pattern(text: &str) -> Option<Pattern> {
    let every = |n, unit| Some(Pattern::Every { n, unit });
    match text {
        "daily" | "day" => return every(1, Unit::Day),
        "weekly" | "week" => return every(1, Unit::Week),
        "biweekly" | "fortnightly" => return every(2, Unit::Week),
        "monthly" | "month" => return every(1, Unit::Month),
        "quarterly" => return every(3, Unit::Month),
        "yearly" | "annually" | "year" => return every(1, Unit::Year),
        "weekday" | "weekdays" | "workday" | "workdays" => return Some(Pattern::Weekdays),
        "eom" | "last day" | "lastday" | "month end" | "monthend" => {
            return Some(Pattern::LastDayOfMonth);
        }
        _ => {}
    }
    if let Some(unit) = text.chars().last().and_then(Unit::from_letter) {
        let digits = &text[..text.len() - 1];
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            let n: u32 = digits.parse().ok().filter(|n| (1..=1000).contains(n))?;
            return every(n, unit);
        }
    }
    if let Some((first, second)) = text.split_once(' ') {
        let nth = parse_ordinal(first.trim()).filter(|n| (1..=5).contains(n) || *n == -1)?;
        let day = parse_weekday(second.trim())?;
        return Some(Pattern::NthWeekday { nth, day });
    }
    if let Some(n) = parse_ordinal(text) {
        return u8::try_from(n)
            .ok()
            .filter(|d| (1..=31).contains(d))
            .map(Pattern::MonthDay);
    }
    let mut days: Vec<Weekday> = text
        .split(',')
        .map(|d| parse_weekday(d.trim()))
        .collect::<Option<_>>()?;
    days.sort_by_key(Weekday::num_days_from_monday);
    days.dedup();
    Some(Pattern::OnDays(days))
}

impl RecurrenceRule {
    /// The rule as an RFC 5545 RRULE value (`FREQ=MONTHLY;BYMONTHDAY=-1`), for calendars;
    /// `None` for a rule that counts from completion, which no calendar can show.
    pub fn rrule_text(&self) -> Option<String> {
        if self.after_completion {
            return None;
        }
        let text = rfc::to_rrule(self).ok()?.to_string();
        Some(text.trim_start_matches("RRULE:").to_string())
    }

    /// Parses the value of an `every:` token.
    pub fn parse(text: &str) -> Result<RecurrenceRule, RecurrenceError> {
        let fail = || RecurrenceError::not_a_rule(text);
        let lower = text.trim().to_lowercase();
        if lower.starts_with("freq=") {
            return rfc::check_raw(&lower.to_uppercase()).map(|raw| RecurrenceRule {
                pattern: Pattern::Rrule(raw),
                after_completion: false,
            });
        }
        let (after_completion, body) = match lower.strip_prefix('+') {
            Some(rest) => (true, rest.trim()),
            None => (false, lower.as_str()),
        };
        let pattern = parse_pattern(body).ok_or_else(fail)?;
        // Counting from completion only makes sense for a plain interval.
        if after_completion && !matches!(pattern, Pattern::Every { .. }) {
            return Err(fail());
        }
        Ok(RecurrenceRule {
            pattern,
            after_completion,
        })
    }
}

impl RecurrenceRule {
    /// The rule in words, with the time of day of a timed start and the series' end: "every
    /// 2nd Tuesday until 2027-06-30", "every week on Monday at 09:00".
    pub fn describe(&self, start: Option<When>, until: Option<When>, tz: Tz) -> String {
        words::describe(self, start, until, tz)
    }
}

impl fmt::Display for RecurrenceRule {
    /// The canonical `every:` form, which parses back to the same rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.after_completion {
            f.write_str("+")?;
        }
        match &self.pattern {
            Pattern::Every { n: 1, unit } if !self.after_completion => f.write_str(match unit {
                Unit::Day => "daily",
                Unit::Week => "weekly",
                Unit::Month => "monthly",
                Unit::Year => "yearly",
            }),
            Pattern::Every { n, unit } => write!(f, "{n}{}", unit.letter()),
            Pattern::Weekdays => f.write_str("weekday"),
            Pattern::OnDays(days) => {
                let names: Vec<&str> = days.iter().map(|d| short_weekday(*d)).collect();
                f.write_str(&names.join(","))
            }
            Pattern::NthWeekday { nth: -1, day } => write!(f, "last {}", short_weekday(*day)),
            Pattern::NthWeekday { nth, day } => {
                let n = u32::from(nth.unsigned_abs());
                write!(f, "{n}{} {}", ordinal_suffix(n), short_weekday(*day))
            }
            Pattern::MonthDay(d) => write!(f, "{d}{}", ordinal_suffix(u32::from(*d))),
            Pattern::LastDayOfMonth => f.write_str("eom"),
            Pattern::Rrule(raw) => f.write_str(raw),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let cases = [
            ("daily", "daily"),
            ("Weekly", "weekly"),
            ("1m", "monthly"),
            ("quarterly", "3m"),
            ("weekdays", "weekday"),
            ("thu,mon", "mon,thu"),
            ("last fri", "last fri"),
            ("2nd Tuesday", "2nd tue"),
            ("15th", "15th"),
            ("31st", "31st"),
            ("EOM", "eom"),
            ("last day", "eom"),
            ("+2w", "+2w"),
            ("+1d", "+1d"),
            ("freq=weekly;byday=mo,we", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ];
        for (input, canonical) in cases {
            let rule = RecurrenceRule::parse(input);
            assert_eq!(
                rule.map(|r| r.to_string()).ok(),
                Some(canonical.into()),
                "{input}"
            );
        }
    }

    #[test]
    fn nonsense_is_refused() {
        for input in [
            "",
            "sometimes",
            "0d",
            "32nd",
            "+mon",
            "6th fri",
            "FREQ=NEVER",
            "FREQ=MINUTELY",
            "FREQ=SECONDLY;INTERVAL=5",
            "FREQ=MONTHLY;BYMONTHDAY=40",
            "2x",
        ] {
            assert!(RecurrenceRule::parse(input).is_err(), "{input}");
        }
    }

    #[test]
    fn weekday_prefixes() {
        assert_eq!(parse_weekday("tues"), Some(Weekday::Tue));
        assert_eq!(parse_weekday("THURSDAY"), Some(Weekday::Thu));
        assert_eq!(parse_weekday("t"), None);
        assert_eq!(parse_weekday("fryday"), None);
    }
}
