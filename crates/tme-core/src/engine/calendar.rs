//! The calendar's data: open tasks on the days they are due or scheduled, and the occurrences
//! of recurring series not spawned yet, arranged by day for the month grid, the week and the
//! agenda (in the TUI and `tme cal` / `tme agenda`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveTime};

use super::TaskManager;
use super::error::EngineError;
use super::query::TaskView;
use crate::domain::calendar::{EntryKind, day_and_time, placements};
use crate::domain::{Category, Duration, Series, Status, TaskId, TimeContext};

/// An occurrence of a recurring series that has no instance yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    /// The series' template.
    pub template: TaskId,
    /// The title its instance will have.
    pub title: String,
    /// Its category.
    pub category: Option<Category>,
    /// The local day its instance will be due (or fall, without a due date).
    pub day: NaiveDate,
    /// The local time, for a timed series.
    pub time: Option<NaiveTime>,
    /// How long its instance is estimated to take.
    pub estimate: Option<Duration>,
}

/// What a series occurrence without a task is on `day`, seen on `today`: still `to come`, or
/// `missed` once its day has passed without an instance (the series' missed policy skipped it).
///
/// ```
/// use chrono::NaiveDate;
/// use tme_core::engine::occurrence_word;
/// let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
/// assert_eq!(occurrence_word(today, today), "to come");
/// assert_eq!(occurrence_word(today.pred_opt().unwrap(), today), "missed");
/// ```
pub fn occurrence_word(day: NaiveDate, today: NaiveDate) -> &'static str {
    if day < today { "missed" } else { "to come" }
}

/// One line of a day: a task (by its index in the views given) or an upcoming occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An open task.
    Task {
        /// Its index in the views the agenda was arranged from.
        index: usize,
        /// Due or scheduled.
        kind: EntryKind,
        /// The local time, for a timed date.
        time: Option<NaiveTime>,
    },
    /// An occurrence not spawned yet (its index in the upcoming list given).
    Upcoming {
        /// Its index in the upcoming list.
        index: usize,
        /// The local time, for a timed series.
        time: Option<NaiveTime>,
    },
}

impl Entry {
    /// The local time, if the entry has one.
    pub fn time(&self) -> Option<NaiveTime> {
        match self {
            Entry::Task { time, .. } | Entry::Upcoming { time, .. } => *time,
        }
    }
}

/// Days and what is on them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    /// Open tasks due before today and before the first day (by index), most overdue first.
    pub overdue: Vec<usize>,
    /// Each day from the first to the last that has something on it: whole-day entries first,
    /// then timed ones by time.
    pub days: BTreeMap<NaiveDate, Vec<Entry>>,
}

impl Agenda {
    /// Places `views` (open tasks, with the indices the entries will carry) and `upcoming` on
    /// the days from `from` to `to`, both included. Recurring templates are left out: their
    /// occurrences come in `upcoming`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use tme_core::engine::{Agenda, Entry};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::capture::{lex, parse_new_task};
    /// let today = tm.time().today();
    /// tm.create(parse_new_task(&lex("Call the bank due:today"), &tm.time()).unwrap()).unwrap();
    /// let views = tm.snapshot().unwrap().views;
    /// let agenda = Agenda::arrange(views.iter().enumerate(), &[], today, today + chrono::Days::new(6), &tm.time());
    /// assert!(matches!(agenda.days[&today][0], Entry::Task { index: 0, .. }));
    /// ```
    pub fn arrange<'a>(
        views: impl Iterator<Item = (usize, &'a TaskView)>,
        upcoming: &[Upcoming],
        from: NaiveDate,
        to: NaiveDate,
        time: &TimeContext,
    ) -> Agenda {
        let mut agenda = Agenda::default();
        let today = time.today();
        let mut overdue: Vec<(NaiveDate, usize)> = Vec::new();
        for (index, view) in views {
            if view.status == Status::Recurring || !view.status.is_open() {
                continue;
            }
            for (day, kind, time) in placements(&view.task, time.tz) {
                if day < from {
                    if kind == EntryKind::Due && day < today {
                        overdue.push((day, index));
                    }
                } else if day <= to {
                    agenda
                        .days
                        .entry(day)
                        .or_default()
                        .push(Entry::Task { index, kind, time });
                }
            }
        }
        for (index, up) in upcoming.iter().enumerate() {
            if (from..=to).contains(&up.day) {
                agenda
                    .days
                    .entry(up.day)
                    .or_default()
                    .push(Entry::Upcoming {
                        index,
                        time: up.time,
                    });
            }
        }
        for entries in agenda.days.values_mut() {
            // Stable: whole-day entries keep the order given (most urgent first).
            entries.sort_by_key(Entry::time);
        }
        overdue.sort_by_key(|(day, _)| *day);
        agenda.overdue = overdue.into_iter().map(|(_, index)| index).collect();
        agenda
    }

    /// How many tasks, and how many upcoming occurrences, fall on `day`.
    pub fn counts(&self, day: NaiveDate) -> (usize, usize) {
        self.days.get(&day).map_or((0, 0), |entries| {
            let tasks = entries
                .iter()
                .filter(|e| matches!(e, Entry::Task { .. }))
                .count();
            (tasks, entries.len() - tasks)
        })
    }
}

/// When an entry happens, for an agenda's time column: `09:00–09:45` for a time with an
/// estimate, `09:00`, or `all day`.
///
/// ```
/// use chrono::NaiveTime;
/// use tme_core::domain::Duration;
/// use tme_core::engine::time_span;
/// let nine = NaiveTime::from_hms_opt(9, 0, 0);
/// assert_eq!(time_span(nine, Duration::parse("45m")), "09:00–09:45");
/// assert_eq!(time_span(nine, None), "09:00");
/// assert_eq!(time_span(None, None), "all day");
/// // An estimate too long for a clock (from a database older than the bound) is left out.
/// assert_eq!(time_span(nine, Some(Duration::from_secs(100_000_000_000_000_000))), "09:00");
/// ```
pub fn time_span(time: Option<NaiveTime>, estimate: Option<Duration>) -> String {
    let Some(start) = time else {
        return "all day".into();
    };
    let length = estimate.and_then(Duration::delta).unwrap_or_default();
    let (end, wrapped) = start.overflowing_add_signed(length);
    if length > chrono::TimeDelta::zero() && wrapped == 0 {
        format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
    } else {
        start.format("%H:%M").to_string()
    }
}

/// The most occurrences of one series looked at for one range (a minutely raw rule over a year
/// would otherwise be half a million).
const MOST_PER_SERIES: usize = 2_000;

impl TaskManager {
    /// The occurrences of every open recurring series whose instances would fall between
    /// `from` and `to` (local days, both included) and are not spawned yet.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::capture::{lex, parse_new_task};
    /// tm.create(parse_new_task(&lex("Water plants every:daily"), &tm.time()).unwrap()).unwrap();
    /// let today = tm.time().today();
    /// // Today's instance exists; the next six days are still to come.
    /// let upcoming = tm.upcoming(today, today + chrono::Days::new(6)).unwrap();
    /// assert_eq!(upcoming.len(), 6);
    /// assert_eq!(upcoming[0].day, today + chrono::Days::new(1));
    /// ```
    pub fn upcoming(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Upcoming>, EngineError> {
        let read = self.store.read()?;
        let tz = self.tz;
        let mut out = Vec::new();
        for template in read.open_tasks()?.iter().filter(|t| t.is_template()) {
            let Some(Ok(series)) = Series::of_template(template, tz) else {
                continue;
            };
            let spawned: BTreeSet<_> = read
                .instances(template.id)?
                .into_iter()
                .map(|(key, _)| key)
                .collect();
            let due_of = |o| template.due.map_or(o, |d| series.carry(d, o));
            let mut found = 0;
            for occurrence in series.occurrences() {
                let (day, time) = day_and_time(due_of(occurrence), tz);
                if day > to {
                    break;
                }
                if day < from || spawned.contains(&Series::key(occurrence)) {
                    continue;
                }
                out.push(Upcoming {
                    template: template.id,
                    title: template.title.clone(),
                    category: template.category.clone(),
                    day,
                    time,
                    estimate: template.estimate,
                });
                found += 1;
                if found == MOST_PER_SERIES {
                    break;
                }
            }
        }
        out.sort_by_key(|u| (u.day, u.time, u.template));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::domain::capture::{lex, parse_new_task};
    use crate::engine::FixedClock;
    use crate::store::RedbStore;

    fn engine_in(
        tz: chrono_tz::Tz,
        now: chrono::DateTime<Utc>,
    ) -> (tempfile::TempDir, TaskManager) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = RedbStore::open(dir.path().join("t.redb")).unwrap_or_else(|e| panic!("{e}"));
        let tm = TaskManager::builder(store)
            .clock(Arc::new(FixedClock::new(now)))
            .time_zone(tz)
            .build();
        (dir, tm)
    }

    fn add(tm: &TaskManager, text: &str) {
        let new = parse_new_task(&lex(text), &tm.time()).unwrap_or_else(|e| panic!("{text}: {e}"));
        tm.create(new).unwrap_or_else(|e| panic!("{text}: {e}"));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn occurrences_to_come_keep_their_hour_across_new_york_dst() {
        // New York leaves daylight saving on 2026-11-01 and starts again on 2027-03-14.
        let now = Utc
            .with_ymd_and_hms(2026, 10, 28, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let (_dir, tm) = engine_in(chrono_tz::America::New_York, now);
        add(&tm, "Stand-up due:2026-10-29T09:00 every:daily");
        for (from, to) in [
            (day(2026, 10, 30), day(2026, 11, 3)),
            (day(2027, 3, 12), day(2027, 3, 16)),
        ] {
            let upcoming = tm.upcoming(from, to).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(upcoming.len(), 5, "{upcoming:?}");
            assert!(
                upcoming
                    .iter()
                    .all(|u| u.time == NaiveTime::from_hms_opt(9, 0, 0)),
                "{upcoming:?}"
            );
        }
        // Spawned occurrences are not "to come".
        assert!(
            tm.upcoming(day(2026, 10, 29), day(2026, 10, 29))
                .unwrap_or_default()
                .is_empty()
        );
    }

    #[test]
    fn the_agenda_places_tasks_and_knows_what_is_overdue() {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 30, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let (_dir, tm) = engine_in(chrono_tz::Europe::Berlin, now);
        add(&tm, "Late due:2026-12-20");
        add(&tm, "Soon due:2027-01-02 sched:2026-12-31");
        add(&tm, "Party due:2026-12-31T23:30");
        add(&tm, "Toast due:2026-12-31T23:00");
        add(&tm, "Later due:2027-02-01");
        let views = tm.snapshot().unwrap_or_default().views;
        let title = |i: usize| views[i].task.title.as_str();
        let agenda = Agenda::arrange(
            views.iter().enumerate(),
            &[],
            day(2026, 12, 31),
            day(2027, 1, 6),
            &tm.time(),
        );
        let overdue: Vec<&str> = agenda.overdue.iter().map(|i| title(*i)).collect();
        assert_eq!(overdue, ["Late"]);
        let names = |d: NaiveDate| -> Vec<&str> {
            agenda
                .days
                .get(&d)
                .map(|es| {
                    es.iter()
                        .map(|e| match e {
                            Entry::Task { index, .. } => title(*index),
                            Entry::Upcoming { .. } => "?",
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            names(day(2026, 12, 31)),
            ["Soon", "Toast", "Party"],
            "whole day first, then by time"
        );
        assert_eq!(names(day(2027, 1, 2)), ["Soon"]);
        assert!(!agenda.days.contains_key(&day(2027, 2, 1)));
        assert_eq!(agenda.counts(day(2026, 12, 31)), (3, 0));
        // From a later day, what falls between today and it is not overdue.
        let later = Agenda::arrange(
            views.iter().enumerate(),
            &[],
            day(2027, 1, 10),
            day(2027, 1, 20),
            &tm.time(),
        );
        let overdue: Vec<&str> = later.overdue.iter().map(|i| title(*i)).collect();
        assert_eq!(overdue, ["Late"]);
    }
}
