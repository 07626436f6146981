//! The RFC 5545 form of a rule, which the `rrule` crate expands into occurrences.

use chrono::{TimeZone, Weekday};
use rrule::{Frequency, NWeekday, RRule, Tz, Unvalidated};

use super::{Pattern, RecurrenceError, RecurrenceRule, Unit};

/// Frequencies finer than this make no sense for tasks and would flood the list.
const FINEST: Frequency = Frequency::Hourly;

fn rfc_weekday(day: Weekday) -> rrule::Weekday {
    match day {
        Weekday::Mon => rrule::Weekday::Mon,
        Weekday::Tue => rrule::Weekday::Tue,
        Weekday::Wed => rrule::Weekday::Wed,
        Weekday::Thu => rrule::Weekday::Thu,
        Weekday::Fri => rrule::Weekday::Fri,
        Weekday::Sat => rrule::Weekday::Sat,
        Weekday::Sun => rrule::Weekday::Sun,
    }
}

fn every_day(days: &[Weekday]) -> Vec<NWeekday> {
    days.iter()
        .map(|d| NWeekday::Every(rfc_weekday(*d)))
        .collect()
}

fn interval(n: u32) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// The RFC 5545 rule for a pattern. A rule that counts from completion has no fixed
/// occurrences; its pattern still maps to the interval it adds.
pub fn to_rrule(rule: &RecurrenceRule) -> Result<RRule<Unvalidated>, RecurrenceError> {
    const WORKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    Ok(match &rule.pattern {
        Pattern::Every { n, unit } => RRule::new(match unit {
            Unit::Day => Frequency::Daily,
            Unit::Week => Frequency::Weekly,
            Unit::Month => Frequency::Monthly,
            Unit::Year => Frequency::Yearly,
        })
        .interval(interval(*n)),
        Pattern::Weekdays => RRule::new(Frequency::Weekly).by_weekday(every_day(&WORKDAYS)),
        Pattern::OnDays(days) => RRule::new(Frequency::Weekly).by_weekday(every_day(days)),
        Pattern::NthWeekday { nth, day } => RRule::new(Frequency::Monthly)
            .by_weekday(vec![NWeekday::Nth(i16::from(*nth), rfc_weekday(*day))]),
        Pattern::MonthDay(d) => {
            RRule::new(Frequency::Monthly).by_month_day(vec![i8::try_from(*d).unwrap_or(31)])
        }
        Pattern::LastDayOfMonth => RRule::new(Frequency::Monthly).by_month_day(vec![-1]),
        Pattern::Rrule(raw) => raw
            .parse()
            .map_err(|e| RecurrenceError(format!("'{raw}' is not a valid rule: {e}")))?,
    })
}

/// Checks a raw `FREQ=...` rule (already upper-cased): it must parse, validate, and not
/// repeat more often than hourly. Returns it unchanged.
pub fn check_raw(raw: &str) -> Result<String, RecurrenceError> {
    let bad = |why: String| RecurrenceError(format!("'{raw}' is not a valid rule: {why}"));
    let rule: RRule<Unvalidated> = raw.parse().map_err(|e| bad(format!("{e}")))?;
    if rule.get_freq() > FINEST {
        return Err(bad(
            "tasks cannot repeat more often than hourly (FREQ=HOURLY)".into(),
        ));
    }
    let sample = Tz::UTC
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or_else(|| bad("no sample start".into()))?;
    rule.validate(sample).map_err(|e| bad(format!("{e}")))?;
    Ok(raw.to_string())
}
