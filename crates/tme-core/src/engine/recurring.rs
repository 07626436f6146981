//! Recurring series: spawning instances, keeping pending ones in step with their template,
//! and ending a series.
//!
//! Everything here runs inside a [`Session`], so spawning is part of whichever command caused
//! it (adding a template, completing an instance, the ticker's own command) and commits or
//! rolls back with it. The instance index (template, occurrence) is read in the same
//! transaction, so no occurrence is ever spawned twice.

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Utc};

use super::error::EngineError;
use super::session::Session;
use crate::domain::{
    MissedPolicy, Op, RecurrenceLink, Series, Status, Task, TaskChanges, TaskId, When,
    local_midnight,
};

/// How the ticker spawns instances (the `schedule:` section of the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Whether instances are spawned at all.
    pub enabled: bool,
    /// How long before an occurrence starts its instance is spawned.
    pub horizon: chrono::Duration,
    /// What happens to occurrences that passed while no TME process ran.
    pub missed: MissedPolicy,
}

impl Default for Schedule {
    fn default() -> Schedule {
        Schedule {
            enabled: true,
            horizon: chrono::Duration::zero(),
            missed: MissedPolicy::Latest,
        }
    }
}

/// An occurrence counts as missed once its instance's deadline is this far in the past, so
/// that a tick a moment late does not skip an instance that was due just now.
const MISSED_GRACE: chrono::Duration = chrono::Duration::minutes(1);

/// At most this many instances of one series are spawned at once (`missed: all` after a long
/// absence from an hourly rule); the rest are skipped with a warning in the log.
const MOST_AT_ONCE: usize = 500;

/// Copies the fields an instance takes from its template. With `unless_changed_from`, only
/// fields the instance still has at that (old template's) value: an edit made to one
/// instance is kept.
fn take_fields(template: &Task, instance: &mut Task, unless_changed_from: Option<&Task>) {
    macro_rules! take {
        ($($field:ident),*) => {$(
            if unless_changed_from.is_none_or(|old| instance.$field == old.$field) {
                instance.$field.clone_from(&template.$field);
            }
        )*};
    }
    take!(
        title,
        description,
        category,
        tags,
        priority,
        estimate,
        task_type,
        parent
    );
}

/// What one pass over a series decided.
struct Plan {
    spawn: Vec<When>,
    next_check: Option<DateTime<Utc>>,
    ended: bool,
}

impl Session<'_> {
    fn series_of(&self, template: &Task) -> Result<Option<Series>, EngineError> {
        match Series::of_template(template, self.tz) {
            Some(Ok(series)) => Ok(Some(series)),
            Some(Err(e)) => Err(EngineError::Invalid(format!("task {}: {e}", template.id))),
            None => Ok(None),
        }
    }

    /// Checks that a new or changed template makes at least one occurrence.
    pub(super) fn check_series(&self, template: &Task) -> Result<(), EngineError> {
        if let Some(series) = self.series_of(template)?
            && series.occurrences().next().is_none()
        {
            let until = series
                .until()
                .map(|u| format!(" until {}", u.display(self.tz)))
                .unwrap_or_default();
            return Err(EngineError::Invalid(format!(
                "every:{}{until} starting {} has no occurrences",
                series.rule(),
                series.start().display(self.tz)
            )));
        }
        Ok(())
    }

    /// Brings a series up to date at this command's time: spawns the occurrences that have
    /// come due (following the missed policy for those that passed unseen), keeps the next one
    /// visible when nothing is open, schedules the ticker's next look, and ends a series that
    /// has nothing left. Returns the instances spawned.
    pub fn advance_series(&mut self, id: TaskId) -> Result<Vec<Task>, EngineError> {
        let template = self.task(id)?;
        if !template.is_template() || !template.status.is_open() {
            self.tx.set_recurrence_check(id, None)?;
            return Ok(Vec::new());
        }
        if !self.schedule.enabled {
            return Ok(Vec::new());
        }
        let series = match self.series_of(&template) {
            Ok(Some(series)) => series,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => {
                // A rule that no longer builds (it was valid when stored) must not stop the
                // ticker for every other series.
                tracing::warn!(template = id.0, error = %e, "recurrence skipped");
                self.tx.set_recurrence_check(id, None)?;
                return Ok(Vec::new());
            }
        };
        let known = self.tx.instances(id)?;
        let mut open = 0;
        for (_, instance) in &known {
            open += usize::from(self.tx.is_open(*instance)?);
        }
        let plan = if series.rule().after_completion {
            self.plan_after_completion(&series, &known, open)?
        } else {
            self.plan_fixed(&series, &template, &known, open)
        };
        let mut spawned = Vec::with_capacity(plan.spawn.len());
        for occurrence in plan.spawn {
            spawned.push(self.spawn(&template, &series, occurrence)?);
        }
        if plan.ended && open == 0 && spawned.is_empty() {
            self.end_series(template)?;
        } else {
            self.tx.set_recurrence_check(id, plan.next_check)?;
        }
        Ok(spawned)
    }

    /// When an occurrence's instance is spawned: at the start of its day (so a 09:30 meeting
    /// is on today's list from the morning), earlier by the horizon.
    fn spawn_time(&self, occurrence: When) -> DateTime<Utc> {
        local_midnight(occurrence.local_date(self.tz), self.tz) - self.schedule.horizon
    }

    /// When an instance's work is due: its due date, else its occurrence.
    fn deadline(&self, series: &Series, template: &Task, occurrence: When) -> DateTime<Utc> {
        let due = template
            .due
            .map_or(occurrence, |d| series.carry(d, occurrence));
        due.deadline(self.tz)
    }

    fn plan_fixed(
        &self,
        series: &Series,
        template: &Task,
        known: &[(DateTime<Utc>, TaskId)],
        open: usize,
    ) -> Plan {
        // From the latest occurrence that has begun (earlier ones were settled by then),
        // skipping any spawned ahead of time: a changed rule may fall between those.
        let taken: BTreeSet<DateTime<Utc>> = known.iter().map(|(key, _)| *key).collect();
        let last = known
            .iter()
            .rev()
            .map(|(key, _)| series.occurrence_of_key(*key))
            .find(|o| o.start(self.tz) <= self.now);
        let mut missed: VecDeque<When> = VecDeque::new();
        let mut current: Vec<When> = Vec::new();
        let mut skipped = 0usize;
        let mut upcoming = series
            .occurrences_after(last)
            .filter(|o| !taken.contains(&Series::key(*o)));
        let mut next = None;
        for occurrence in upcoming.by_ref() {
            if self.spawn_time(occurrence) > self.now {
                next = Some(occurrence);
                break;
            }
            if self.deadline(series, template, occurrence) + MISSED_GRACE <= self.now {
                missed.push_back(occurrence);
                if missed.len() > MOST_AT_ONCE {
                    missed.pop_front();
                    skipped += 1;
                }
            } else if current.len() < MOST_AT_ONCE {
                current.push(occurrence);
            } else {
                skipped += 1;
            }
        }
        if skipped > 0 {
            tracing::warn!(
                template = template.id.0,
                skipped,
                "too many occurrences at once; the oldest were skipped"
            );
        }
        let mut spawn: Vec<When> = match self.schedule.missed {
            MissedPolicy::Skip => current,
            MissedPolicy::Latest if current.is_empty() => missed.pop_back().into_iter().collect(),
            MissedPolicy::Latest => current,
            MissedPolicy::All => missed.into_iter().chain(current).collect(),
        };
        if open == 0 && spawn.is_empty() {
            // Nothing to do right now: show the next occurrence, as the series' face.
            if let Some(occurrence) = next.take() {
                spawn.push(occurrence);
                next = upcoming.next();
            }
        }
        Plan {
            spawn,
            next_check: next.map(|o| self.spawn_time(o)),
            ended: next.is_none(),
        }
    }

    /// `every:+2w`: one instance at a time; the next is spawned when the last is closed, an
    /// interval after its completion.
    fn plan_after_completion(
        &self,
        series: &Series,
        known: &[(DateTime<Utc>, TaskId)],
        open: usize,
    ) -> Result<Plan, EngineError> {
        let mut plan = Plan {
            spawn: Vec::new(),
            next_check: None,
            ended: false,
        };
        if open > 0 {
            return Ok(plan);
        }
        let next = match known.last() {
            None => Some(series.start()).filter(|s| series.within_until(*s)),
            Some((key, last)) => {
                let last = self.task(*last)?;
                // Done early (before its own date), the next one still comes after it: the
                // series never goes back onto an occurrence it already had.
                series
                    .after_completion(last.completed.unwrap_or(self.now))
                    .filter(|next| Series::key(*next) > *key)
                    .or_else(|| {
                        series.after_completion(series.occurrence_of_key(*key).start(self.tz))
                    })
            }
        };
        let taken: BTreeSet<DateTime<Utc>> = known.iter().map(|(key, _)| *key).collect();
        match next {
            Some(occurrence) if !taken.contains(&Series::key(occurrence)) => {
                plan.spawn.push(occurrence);
            }
            Some(_) => {}
            None => plan.ended = true,
        }
        Ok(plan)
    }

    /// Creates the instance of one occurrence.
    fn spawn(
        &mut self,
        template: &Task,
        series: &Series,
        occurrence: When,
    ) -> Result<Task, EngineError> {
        let id = self.tx.next_task_id()?;
        // Taken by a task that left the series: the next in a chain every replica follows
        // alike, so that the occurrence still has one identity everywhere.
        let mut uuid = occurrence_uuid(template.uuid, Series::key(occurrence));
        while self.tx.id_by_uuid(uuid)?.is_some() {
            uuid = uuid::Uuid::new_v5(&OCCURRENCE, uuid.as_bytes());
        }
        let mut task = Task::new(id, uuid, template.title.clone(), self.now);
        take_fields(template, &mut task, None);
        task.attrs = template
            .attrs
            .iter()
            .filter(|(name, _)| !name.starts_with("tme."))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.place(&mut task, template, series, occurrence);
        self.save(Op::Spawn, task)
    }

    /// Sets an instance's occurrence and the dates that follow from it.
    fn place(&self, task: &mut Task, template: &Task, series: &Series, occurrence: When) {
        let carry = |point: Option<When>| point.map(|p| series.carry(p, occurrence));
        task.scheduled = carry(template.scheduled);
        task.due = carry(template.due);
        task.wait = carry(template.wait);
        if task.due.is_none() && task.scheduled.is_none() {
            task.due = Some(occurrence);
        }
        task.recurrence = Some(RecurrenceLink::Instance {
            template: template.id,
            occurrence: Series::key(occurrence),
        });
    }

    /// Completes a template whose series has no occurrences left.
    fn end_series(&mut self, mut template: Task) -> Result<(), EngineError> {
        tracing::info!(template = template.id.0, "recurring series ended");
        template.status = Status::Completed;
        template.completed = Some(self.now);
        self.save(Op::Complete, template)?;
        Ok(())
    }

    /// Deletes the open instances of a template that is going away.
    pub(super) fn delete_pending_instances(&mut self, template: TaskId) -> Result<(), EngineError> {
        for (_, id) in self.tx.instances(template)? {
            let task = self.task(id)?;
            if task.status.is_open() {
                self.close(task, Status::Deleted)?;
            }
        }
        Ok(())
    }

    /// After a template changed from `before`: pending instances follow its fields (where
    /// they still had the old template's values), pending future instances whose occurrence
    /// the new rule no longer makes are deleted, and their dates follow the new template.
    pub(super) fn follow_template(&mut self, before: &Task) -> Result<(), EngineError> {
        let template = self.task(before.id)?;
        let old_series = self.series_of(before).ok().flatten();
        let new_series = self.series_of(&template)?;
        let mut future: Vec<(When, Task, Task)> = Vec::new();
        for (key, id) in self.tx.instances(template.id)? {
            let instance = self.task(id)?;
            if instance.status != Status::Pending {
                continue;
            }
            let mut changed = instance.clone();
            take_fields(&template, &mut changed, Some(before));
            let old_occurrence = old_series.as_ref().map(|s| s.occurrence_of_key(key));
            // What the template carries to its instances is checked as if a user had set it
            // on each (a template made a subtask of its own instance would make a loop).
            self.check_links(&changed, Some(&instance))?;
            // Counted from completions, an instance's dates are not on the rule's grid: they
            // are left where they are.
            if let (Some(old), Some(new)) = (&old_series, &new_series)
                && !new.rule().after_completion
                && let Some(occurrence) = old_occurrence
                && occurrence.start(self.tz) > self.now
            {
                // Dates still as the old template made them follow the new one.
                let mut as_made = changed.clone();
                self.place(&mut as_made, before, old, occurrence);
                if (as_made.due, as_made.scheduled, as_made.wait)
                    == (changed.due, changed.scheduled, changed.wait)
                {
                    let occurrence = new.occurrence_of_key(key);
                    future.push((occurrence, changed, instance));
                    continue;
                }
            }
            if changed != instance {
                self.save(Op::Modify, changed)?;
            }
        }
        let Some(series) = new_series else {
            return Ok(());
        };
        let last = future
            .iter()
            .map(|(o, _, _)| o.start(self.tz))
            .max()
            .unwrap_or(self.now);
        let made: BTreeSet<DateTime<Utc>> = series
            .occurrences()
            .take_while(|o| o.start(self.tz) <= last)
            .map(Series::key)
            .collect();
        for (occurrence, mut changed, instance) in future {
            if made.contains(&Series::key(occurrence)) {
                self.place(&mut changed, &template, &series, occurrence);
                if changed != instance {
                    self.save(Op::Modify, changed)?;
                }
            } else {
                self.close(instance, Status::Deleted)?;
            }
        }
        Ok(())
    }

    /// Applies `changes` to an instance and, from it on, to its series: the template takes
    /// the changes (and, if dates changed, restarts from this instance's new dates), and
    /// pending instances follow.
    pub fn update_series_from(
        &mut self,
        instance: TaskId,
        changes: &TaskChanges,
    ) -> Result<Task, EngineError> {
        let task = self.task(instance)?;
        let Some(RecurrenceLink::Instance { template, .. }) = task.recurrence else {
            return Err(EngineError::NotAllowed(format!(
                "task {instance} is not an instance of a recurring task"
            )));
        };
        // The rule and the end belong to the series; dependencies to this one instance.
        let for_instance = TaskChanges {
            recurrence: None,
            until: None,
            ..changes.clone()
        };
        let mut for_template = TaskChanges {
            due: None,
            scheduled: None,
            wait: None,
            add_depends: Vec::new(),
            remove_depends: Vec::new(),
            ..changes.clone()
        };
        let mut updated = self.update(instance, &for_instance)?;
        let moved = changes.due.is_some() || changes.scheduled.is_some() || changes.wait.is_some();
        if moved {
            // The series restarts from this instance's new dates, and the instance becomes
            // the new start's occurrence (before the template changes, so that the new start
            // is not spawned again).
            for_template.due = Some(updated.due);
            for_template.scheduled = Some(updated.scheduled);
            for_template.wait = Some(updated.wait);
            let mut preview = self.task(template)?;
            for_template.apply(&mut preview);
            let key = Series::key(Series::anchor_of(&preview, self.tz));
            if let Some((_, other)) = self
                .tx
                .instances(template)?
                .into_iter()
                .find(|(k, id)| *k == key && *id != instance)
            {
                return Err(EngineError::NotAllowed(format!(
                    "task {other} already stands for that occurrence of recurring task {template}"
                )));
            }
            updated.recurrence = Some(RecurrenceLink::Instance {
                template,
                occurrence: key,
            });
            self.save(Op::Modify, updated)?;
        }
        self.update(template, &for_template)?;
        self.task(instance)
    }
}

/// The namespace of occurrence uuids.
const OCCURRENCE: uuid::Uuid = uuid::Uuid::from_u128(0x7a3c_6b1e_8f52_4d09_9e61_0c2b_5a47_d815);

/// The uuid of the instance of a series' occurrence: made from the template's uuid and the
/// occurrence, so that every replica that spawns it offline spawns the same task.
pub fn occurrence_uuid(
    template: uuid::Uuid,
    occurrence: chrono::DateTime<chrono::Utc>,
) -> uuid::Uuid {
    let mut name = template.as_bytes().to_vec();
    name.extend_from_slice(&occurrence.timestamp_millis().to_be_bytes());
    uuid::Uuid::new_v5(&OCCURRENCE, &name)
}
