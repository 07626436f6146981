//! Recurring tasks declared in the config file (`recurring:`), kept in step with the store.
//!
//! Each declared series is a template with a UUID derived from its key (its `id`, else its
//! title), so syncing is idempotent: any number of processes may sync at once and each entry
//! maps to one template. A fingerprint of the whole list is stored, so a sync when nothing
//! changed reads one value and returns.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use uuid::Uuid;

use super::TaskManager;
use super::error::EngineError;
use super::session::Session;
use crate::domain::{
    AttrValue, Category, CommandKind, Duration, NewTask, Priority, RecurrenceLink, RecurrenceRule,
    Series, Tag, Task, TaskChanges, When, local_to_utc,
};

/// The attribute that marks a template as declared in the config, holding its key.
pub const DECLARED_ATTR: &str = "tme.config";

/// Where the stored fingerprint of the declared list lives.
const STAMP: &str = "declared.recurring";

/// Namespace of the UUIDs of declared templates.
const NAMESPACE: Uuid = Uuid::from_u128(0x7a3c_6b1e_8f52_4d09_9e61_0c2b_5a47_d813);

/// When a declared series starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclaredStart {
    /// A whole day.
    Day(NaiveDate),
    /// A local date and time.
    At(NaiveDateTime),
    /// A time of day, from the day the series was first synced.
    TimeOfDay(NaiveTime),
}

/// One entry of the config's `recurring:` list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeclaredSeries {
    /// Identifies the entry across edits: its `id`, else its title.
    pub key: String,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The category.
    pub category: Option<Category>,
    /// The tags.
    pub tags: BTreeSet<Tag>,
    /// The priority.
    pub priority: Option<Priority>,
    /// The rule (`schedule.interval`).
    pub rule: RecurrenceRule,
    /// The start (`schedule.start`); without one, the day it was first synced.
    pub start: Option<DeclaredStart>,
    /// How long each instance spans (`schedule.duration`): scheduled at the occurrence, due
    /// this much later.
    pub duration: Option<Duration>,
    /// The last day (`schedule.end_date`).
    pub until: Option<NaiveDate>,
}

impl DeclaredSeries {
    /// The UUID of this entry's template.
    pub fn uuid(&self) -> Uuid {
        Uuid::new_v5(&NAMESPACE, self.key.as_bytes())
    }

    /// The template's fields, given the start of an existing template (kept when the entry
    /// names no date) and the time context.
    fn fields(&self, existing: Option<When>, session: &Session<'_>) -> NewTask {
        let tz = session.tz;
        let local = |at: NaiveDateTime| When::At(local_to_utc(at, tz));
        let today = session.now().with_timezone(&tz).date_naive();
        let kept_day = existing.map_or(today, |w| w.local_date(tz));
        let anchor = match self.start {
            Some(DeclaredStart::Day(day)) => When::Day(day),
            Some(DeclaredStart::At(at)) => local(at),
            Some(DeclaredStart::TimeOfDay(time)) => local(kept_day.and_time(time)),
            None => existing.unwrap_or(When::Day(today)),
        };
        let (scheduled, due) = match (self.duration, anchor) {
            (None, anchor) => (None, anchor),
            (Some(length), When::Day(day)) => {
                let days = length.as_secs() / 86_400;
                let due = day.checked_add_days(chrono::Days::new(days)).unwrap_or(day);
                (Some(anchor), When::Day(due))
            }
            (Some(length), When::At(at)) => {
                let naive = at.with_timezone(&tz).naive_local();
                let end = length.delta().and_then(|d| naive.checked_add_signed(d));
                (Some(anchor), local(end.unwrap_or(naive)))
            }
        };
        NewTask {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            tags: self.tags.iter().cloned().collect(),
            priority: self.priority,
            due: Some(due),
            scheduled,
            until: self.until.map(When::Day),
            recurrence: Some(self.rule.clone()),
            attrs: BTreeMap::from([(DECLARED_ATTR.to_string(), AttrValue::Text(self.key.clone()))]),
            ..NewTask::default()
        }
    }
}

/// The changes that make `task` match `want`, field by field.
fn changes_to(task: &Task, want: &NewTask) -> TaskChanges {
    fn differ<T: PartialEq + Clone>(have: &T, want: &T) -> Option<T> {
        (have != want).then(|| want.clone())
    }
    let want_tags: BTreeSet<Tag> = want.tags.iter().cloned().collect();
    let rule = match &task.recurrence {
        Some(RecurrenceLink::Template { rule }) => Some(rule.clone()),
        _ => None,
    };
    TaskChanges {
        title: differ(&task.title, &want.title),
        description: differ(&task.description, &want.description),
        category: differ(&task.category, &want.category),
        add_tags: want_tags.difference(&task.tags).cloned().collect(),
        remove_tags: task.tags.difference(&want_tags).cloned().collect(),
        priority: differ(&task.priority, &want.priority),
        due: differ(&task.due, &want.due),
        scheduled: differ(&task.scheduled, &want.scheduled),
        until: differ(&task.until, &want.until),
        recurrence: differ(&rule, &want.recurrence),
        ..TaskChanges::default()
    }
}

/// A fingerprint of the declared list that stays the same from run to run.
fn fingerprint(declared: &[DeclaredSeries]) -> u64 {
    // SipHash with fixed keys: stable across runs (a new Rust release at worst re-syncs once).
    let mut hasher = std::hash::DefaultHasher::new();
    declared.hash(&mut hasher);
    hasher.finish()
}

/// The key of a declared template.
pub fn declared_key(task: &Task) -> Option<&str> {
    match task.attrs.get(DECLARED_ATTR) {
        Some(AttrValue::Text(key)) => Some(key),
        _ => None,
    }
}

impl TaskManager {
    /// Makes the store's declared templates match `declared`: creates new ones, updates
    /// changed ones (their pending instances follow), and ends the series of entries that were
    /// removed. Returns how many templates changed; 0 (after one read) when the list is the
    /// same as last time.
    pub fn sync_declared(&self, declared: &[DeclaredSeries]) -> Result<usize, EngineError> {
        let print = fingerprint(declared);
        if self.store.read()?.stamp(STAMP)? == Some(print) {
            return Ok(0);
        }
        let summary = "sync recurring tasks from the config";
        self.run(CommandKind::System, "config", summary, |session| {
            let mut changed = 0;
            let mut keys = BTreeSet::new();
            for entry in declared {
                keys.insert(entry.key.as_str());
                changed += usize::from(session.sync_entry(entry)?);
            }
            for task in session.tx.open_tasks()? {
                if task.is_template() && declared_key(&task).is_some_and(|k| !keys.contains(k)) {
                    tracing::info!(
                        template = task.id.0,
                        "declared series removed from the config"
                    );
                    session.delete(task.id)?;
                    changed += 1;
                }
            }
            session.tx.set_stamp(STAMP, print)?;
            Ok(changed)
        })
    }
}

impl Session<'_> {
    /// Creates or updates one declared template; whether anything changed.
    fn sync_entry(&mut self, entry: &DeclaredSeries) -> Result<bool, EngineError> {
        let uuid = entry.uuid();
        let existing = match self.tx.id_by_uuid(uuid)? {
            Some(id) => Some(self.task(id)?),
            None => None,
        };
        let Some(task) = existing else {
            let fields = entry.fields(None, self);
            self.create_as(fields, uuid)?;
            return Ok(true);
        };
        if !task.status.is_open() {
            // Its series ended (its end date passed): nothing to keep in step.
            return Ok(false);
        }
        let anchor = Series::anchor_of(&task, self.tz);
        let want = entry.fields(Some(anchor), self);
        let changes = changes_to(&task, &want);
        if changes.is_empty() {
            return Ok(false);
        }
        self.update(task.id, &changes)?;
        Ok(true)
    }
}
