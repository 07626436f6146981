//! A recurring series at a glance: the rule in words, what comes next, and how well it has
//! been kept (`tme show` of a template, the TUI's detail pane, the streak reports).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{Outcome, Series, Status, Streak, TaskId, When, streak};

/// A recurring series at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesOutlook {
    /// The template.
    pub template: TaskId,
    /// The rule in words: "every 2nd Tuesday at 09:00 until 2027-06-30".
    pub words: String,
    /// The coming occurrences not yet closed, soonest first.
    pub next: Vec<When>,
    /// Instances still open, by occurrence.
    pub open: Vec<TaskId>,
    /// How it has been kept.
    pub streak: Streak,
}

/// At most this many past occurrences are looked at for a streak (an hourly rule kept for a
/// year has under 9,000).
const MOST_SLOTS: usize = 20_000;

impl TaskManager {
    /// The outlook of a recurring template with up to `count` coming occurrences; `None` for
    /// a task that is not a template.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::{NewTask, RecurrenceRule};
    /// let template = tm.create(NewTask {
    ///     title: "Stretch".into(),
    ///     recurrence: Some(RecurrenceRule::parse("weekday").unwrap()),
    ///     ..NewTask::default()
    /// }).unwrap();
    /// let outlook = tm.series_outlook(template.id, 5).unwrap().unwrap();
    /// assert_eq!(outlook.words, "every weekday");
    /// assert_eq!(outlook.next.len(), 5);
    /// assert_eq!(outlook.open.len(), 1);
    /// ```
    pub fn series_outlook(
        &self,
        template: TaskId,
        count: usize,
    ) -> Result<Option<SeriesOutlook>, EngineError> {
        let read = self.store.read()?;
        let task = read
            .task(template)?
            .ok_or(EngineError::NotFound(template))?;
        let Some(series) = Series::of_template(&task, self.tz) else {
            return Ok(None);
        };
        let series = series.map_err(|e| EngineError::Invalid(e.to_string()))?;
        let now = self.now();
        let mut states: BTreeMap<DateTime<Utc>, (TaskId, Status)> = BTreeMap::new();
        for (key, id) in read.instances(template)? {
            if let Some(instance) = read.task(id)? {
                states.insert(key, (id, instance.status));
            }
        }
        let open: Vec<TaskId> = states
            .values()
            .filter(|(_, s)| s.is_open())
            .map(|(id, _)| *id)
            .collect();
        let deadline = |o: When| task.due.map_or(o, |d| series.carry(d, o)).deadline(self.tz);
        let closed = |o: When| {
            states
                .get(&Series::key(o))
                .is_some_and(|(_, s)| !s.is_open())
        };
        let next: Vec<When> = if series.rule().after_completion {
            let last = states.values().next_back();
            match last {
                Some((_, status)) if status.is_open() => states
                    .keys()
                    .next_back()
                    .map(|k| series.occurrence_of_key(*k)),
                Some((id, _)) => read
                    .task(*id)?
                    .and_then(|t| t.completed)
                    .and_then(|done| series.after_completion(done)),
                None => Some(series.start()),
            }
            .into_iter()
            .collect()
        } else {
            series
                .occurrences()
                .filter(|o| deadline(*o) > now && !closed(*o))
                .take(count)
                .collect()
        };
        let slot = |status: Option<Status>, over: bool| match status {
            Some(Status::Completed) => Outcome::Done,
            Some(Status::Deleted) => Outcome::Missed,
            _ if over => Outcome::Missed,
            _ => Outcome::Pending,
        };
        let streak = if series.rule().after_completion {
            streak(states.values().map(|(_, s)| slot(Some(*s), false)))
        } else {
            let first = states.keys().next().map(|k| series.occurrence_of_key(*k));
            let slots = series
                .occurrences()
                .skip_while(|o| first.is_none_or(|f| o.start(self.tz) < f.start(self.tz)))
                .take_while(|o| deadline(*o) <= now || closed(*o))
                .take(MOST_SLOTS)
                .map(|o| {
                    let status = states.get(&Series::key(o)).map(|(_, s)| *s);
                    slot(status, deadline(o) <= now)
                });
            streak(slots)
        };
        Ok(Some(SeriesOutlook {
            template,
            words: series.describe(),
            next,
            open,
            streak,
        }))
    }
}
