//! A series: the occurrences a rule makes from a start date, up to an optional end.
//!
//! A series anchored on a whole day yields whole days; one anchored on a moment yields moments
//! that keep their local wall-clock time across daylight-saving changes (a time that does not
//! exist on a given day moves forward past the gap, as RFC 5545 says).

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{RecurrenceLink, RecurrenceRule, Unit, rfc};
use crate::domain::task::Task;
use crate::domain::when::{When, local_to_utc};

/// What the ticker does with occurrences that came and went while no TME process ran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MissedPolicy {
    /// Spawn none of them: only what is current or next.
    Skip,
    /// Spawn only the most recent one (the default): one overdue instance, not a flood.
    #[default]
    Latest,
    /// Spawn every one of them.
    All,
}

impl MissedPolicy {
    /// Every policy, in the order they are documented.
    pub const ALL: [MissedPolicy; 3] =
        [MissedPolicy::Skip, MissedPolicy::Latest, MissedPolicy::All];

    /// The name used in the config file.
    pub fn as_str(self) -> &'static str {
        match self {
            MissedPolicy::Skip => "skip",
            MissedPolicy::Latest => "latest",
            MissedPolicy::All => "all",
        }
    }

    /// Parses `skip`, `latest` or `all`.
    pub fn parse(text: &str) -> Option<MissedPolicy> {
        MissedPolicy::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Why a series cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SeriesError(pub String);

/// The occurrences of a rule from a start, up to an optional end (inclusive).
///
/// ```
/// use chrono::NaiveDate;
/// use tme_core::domain::{RecurrenceRule, Series, When};
/// let day = |d| When::Day(NaiveDate::from_ymd_opt(2026, 11, d).unwrap());
/// let rule = RecurrenceRule::parse("2nd tue").unwrap();
/// let series = Series::new(rule, day(1), Some(When::Day(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap())), chrono_tz::UTC).unwrap();
/// let first: Vec<String> = series.occurrences().take(2).map(|o| o.to_string()).collect();
/// assert_eq!(first, ["2026-11-10", "2026-12-08"]);
/// assert_eq!(series.describe(), "every 2nd Tuesday until 2027-06-30");
/// ```
#[derive(Debug, Clone)]
pub struct Series {
    rule: RecurrenceRule,
    start: When,
    bounds: Bounds,
    rrule: Option<rrule::RRuleSet>,
}

impl Series {
    /// The series of `rule` from `start` (its first possible occurrence) to `until`.
    pub fn new(
        rule: RecurrenceRule,
        start: When,
        until: Option<When>,
        tz: Tz,
    ) -> Result<Series, SeriesError> {
        let rrule = if rule.after_completion {
            None
        } else {
            let dt_start = match start {
                When::Day(day) => rrule::Tz::UTC.from_utc_datetime(&day.and_time(NaiveTime::MIN)),
                When::At(at) => at.with_timezone(&rrule::Tz::Tz(tz)),
            };
            let set = rfc::to_rrule(&rule)
                .map_err(|e| SeriesError(e.to_string()))?
                .build(dt_start)
                .map_err(|e| SeriesError(format!("every:{rule} cannot start there: {e}")))?;
            Some(set.limit())
        };
        Ok(Series {
            rule,
            start,
            bounds: Bounds { until, tz },
            rrule,
        })
    }

    /// The series a template makes, or `None` if `task` is not a template. It starts at the
    /// template's scheduled date, else its due date, else the day it was created.
    pub fn of_template(task: &Task, tz: Tz) -> Option<Result<Series, SeriesError>> {
        let Some(RecurrenceLink::Template { rule }) = &task.recurrence else {
            return None;
        };
        Some(Series::new(
            rule.clone(),
            Series::anchor_of(task, tz),
            task.until,
            tz,
        ))
    }

    /// Where a template's series starts: scheduled, else due, else the day it was created.
    pub fn anchor_of(task: &Task, tz: Tz) -> When {
        task.scheduled
            .or(task.due)
            .unwrap_or_else(|| When::Day(task.created.with_timezone(&tz).date_naive()))
    }

    /// The rule.
    pub fn rule(&self) -> &RecurrenceRule {
        &self.rule
    }

    /// The start the series counts from.
    pub fn start(&self) -> When {
        self.start
    }

    /// The last day or moment an occurrence may fall on.
    pub fn until(&self) -> Option<When> {
        self.bounds.until
    }

    /// Whether occurrences are moments (rather than whole days).
    pub fn is_timed(&self) -> bool {
        matches!(self.start, When::At(_))
    }

    /// Whether `occurrence` falls within the series' end.
    pub fn within_until(&self, occurrence: When) -> bool {
        self.bounds.within_until(occurrence)
    }

    /// Every occurrence in order, from the start, within the end. A rule that counts from
    /// completion yields only its start: later ones depend on when each is completed (see
    /// [`Series::after_completion`]).
    pub fn occurrences(&self) -> impl Iterator<Item = When> + use<> {
        let timed = self.is_timed();
        let first = self.rrule.is_none().then_some(self.start);
        let generated = self.rrule.as_ref().map(|set| set.into_iter());
        let bounds = self.bounds.clone();
        let mut last_day: Option<NaiveDate> = None;
        first
            .into_iter()
            .chain(generated.into_iter().flatten().filter_map(move |at| {
                if timed {
                    return Some(When::At(at.with_timezone(&Utc)));
                }
                // A day series may produce several times on one day (a raw rule with BYHOUR):
                // the day counts once.
                let day = at.date_naive();
                (last_day.replace(day) != Some(day)).then_some(When::Day(day))
            }))
            .take_while(move |o| bounds.within_until(*o))
    }

    /// The occurrences strictly after `after` (all of them when it is `None`).
    pub fn occurrences_after(&self, after: Option<When>) -> impl Iterator<Item = When> + use<> {
        let tz = self.bounds.tz;
        self.occurrences()
            .skip_while(move |o| after.is_some_and(|a| o.start(tz) <= a.start(tz)))
    }

    /// For a rule that counts from completion (`every:+2w`): the occurrence after one completed
    /// at `done`, keeping the start's time of day; `None` past the end or for other rules.
    pub fn after_completion(&self, done: DateTime<Utc>) -> Option<When> {
        let super::Pattern::Every { n, unit } = self.rule.pattern else {
            return None;
        };
        if !self.rule.after_completion {
            return None;
        }
        let tz = self.bounds.tz;
        let day = done.with_timezone(&tz).date_naive();
        let next_day = match unit {
            Unit::Day => day.checked_add_days(Days::new(u64::from(n))),
            Unit::Week => day.checked_add_days(Days::new(u64::from(n) * 7)),
            Unit::Month => day.checked_add_months(Months::new(n)),
            Unit::Year => day.checked_add_months(Months::new(n.saturating_mul(12))),
        }?;
        let next = match self.start {
            When::Day(_) => When::Day(next_day),
            When::At(at) => {
                let time = at.with_timezone(&tz).time();
                When::At(local_to_utc(next_day.and_time(time), tz))
            }
        };
        self.within_until(next).then_some(next)
    }

    /// The point that stands to `occurrence` as `point` stands to the start: how an instance's
    /// due, scheduled and wait dates follow from its template's. Moments keep their local
    /// wall-clock distance from the start, so a two-hour task stays two hours across DST.
    pub fn carry(&self, point: When, occurrence: When) -> When {
        if point == self.start {
            // Exactly the occurrence, even where a DST gap moved it.
            return occurrence;
        }
        let tz = self.bounds.tz;
        let local = |w: When| match w {
            When::Day(day) => day.and_time(NaiveTime::MIN),
            When::At(at) => at.with_timezone(&tz).naive_local(),
        };
        let shifted = local(occurrence) + (local(point) - local(self.start));
        match point {
            When::Day(_) => When::Day(shifted.date()),
            When::At(_) => When::At(local_to_utc(shifted, tz)),
        }
    }

    /// The series in words: "every 2nd Tuesday until 2027-06-30".
    pub fn describe(&self) -> String {
        self.rule
            .describe(Some(self.start), self.bounds.until, self.bounds.tz)
    }

    /// A zone-free key for an occurrence, stored with each instance: a day as midnight UTC,
    /// a moment as itself. Stable when the user's zone changes.
    pub fn key(occurrence: When) -> DateTime<Utc> {
        match occurrence {
            When::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
            When::At(at) => at,
        }
    }

    /// The occurrence a key stands for in this series.
    pub fn occurrence_of_key(&self, key: DateTime<Utc>) -> When {
        if self.is_timed() {
            When::At(key)
        } else {
            When::Day(key.date_naive())
        }
    }
}

/// Where a series ends, and the zone its days are in.
#[derive(Debug, Clone)]
struct Bounds {
    until: Option<When>,
    tz: Tz,
}

impl Bounds {
    fn within_until(&self, occurrence: When) -> bool {
        // A series ends with the calendar, whatever its end says.
        if !occurrence.in_calendar(self.tz) {
            return false;
        }
        match self.until {
            None => true,
            Some(When::Day(last)) => occurrence.local_date(self.tz) <= last,
            Some(When::At(last)) => occurrence.start(self.tz) <= last,
        }
    }
}

#[cfg(test)]
mod tests;
