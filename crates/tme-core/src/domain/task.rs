//! The task itself and the small value types it is made of.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::duration::Duration;
use super::names::{Category, Tag};
use super::recurrence::RecurrenceLink;
use super::when::When;

/// The stable numeric id users type (`tme done 12`). Ids are never reused or renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u64);

impl TaskId {
    /// The largest id TME gives out or keeps: every id is then exact as a JSON number in any
    /// language (JavaScript's and Python's included).
    pub const MOST: u64 = (1 << 53) - 1;

    /// An id a file brings from elsewhere: none for 0 (no id), refused past [`TaskId::MOST`].
    ///
    /// ```
    /// use tme_core::domain::TaskId;
    /// assert_eq!(TaskId::from_file(12), Ok(Some(TaskId(12))));
    /// assert_eq!(TaskId::from_file(0), Ok(None));
    /// assert!(TaskId::from_file(u64::MAX).is_err());
    /// ```
    pub fn from_file(id: u64) -> Result<Option<TaskId>, String> {
        match id {
            0 => Ok(None),
            id if id > TaskId::MOST => Err(format!(
                "id {id} is out of range: task ids go up to {}",
                TaskId::MOST
            )),
            id => Ok(Some(TaskId(id))),
        }
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a task is in its life.
///
/// `Waiting` and `Recurring` are never stored: a pending task whose `wait` date lies in the
/// future is waiting (see [`Task::status_at`]) and becomes pending again by itself when that date
/// passes; an open recurring template is `Recurring`, never work to do itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Open and not being worked on.
    Pending,
    /// Open, with time tracking running (`tme start`).
    Started,
    /// Open but hidden until its wait date.
    Waiting,
    /// The template of a recurring series: it makes instances, and is not work itself.
    Recurring,
    /// Done.
    Completed,
    /// Deleted; kept for undo, history and reports.
    Deleted,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 6] = [
        Status::Pending,
        Status::Started,
        Status::Waiting,
        Status::Recurring,
        Status::Completed,
        Status::Deleted,
    ];

    /// The lowercase name used in filters and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Started => "started",
            Status::Waiting => "waiting",
            Status::Recurring => "recurring",
            Status::Completed => "completed",
            Status::Deleted => "deleted",
        }
    }

    /// Parses the lowercase name (`pending`, `started`, ...).
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }

    /// Whether this is work still to do: pending, started or waiting (a recurring template is
    /// open, but makes work rather than being it).
    pub fn is_work(self) -> bool {
        matches!(self, Status::Pending | Status::Started | Status::Waiting)
    }

    /// Whether the task is still open: pending, started, waiting, or a live recurring template.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Pending | Status::Started | Status::Waiting | Status::Recurring
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How important a task is; a task may have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// `pri:H`
    High,
    /// `pri:M`
    Medium,
    /// `pri:L`
    Low,
}

impl Priority {
    /// The one-letter form used in capture and JSON.
    pub fn letter(self) -> &'static str {
        match self {
            Priority::High => "H",
            Priority::Medium => "M",
            Priority::Low => "L",
        }
    }

    /// Parses `H`, `M` or `L` (any case, or the words `high`, `medium`, `low`).
    pub fn parse(text: &str) -> Option<Priority> {
        match text.to_ascii_lowercase().as_str() {
            "h" | "high" => Some(Priority::High),
            "m" | "medium" | "med" => Some(Priority::Medium),
            "l" | "low" => Some(Priority::Low),
            _ => None,
        }
    }
}

/// How a dependency constrains the dependent task (DESIGN §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DepKind {
    /// Finish-to-start: the task cannot start or complete before the other completes.
    FinishToStart,
    /// Start-to-start: the task cannot start before the other has started.
    StartToStart,
    /// Finish-to-finish: the task cannot complete before the other completes.
    FinishToFinish,
    /// Related work; never blocks.
    Relates,
}

impl DepKind {
    /// The short name used in capture (`dep:ss:7`) and JSON (`fs|ss|ff|relates`).
    pub fn as_str(self) -> &'static str {
        match self {
            DepKind::FinishToStart => "fs",
            DepKind::StartToStart => "ss",
            DepKind::FinishToFinish => "ff",
            DepKind::Relates => "relates",
        }
    }

    /// The kind in words: "finish-to-start", "relates to".
    pub fn words(self) -> &'static str {
        match self {
            DepKind::FinishToStart => "finish-to-start",
            DepKind::StartToStart => "start-to-start",
            DepKind::FinishToFinish => "finish-to-finish",
            DepKind::Relates => "relates to",
        }
    }

    /// Parses `fs`, `ss`, `ff`, `rel` or `relates`.
    pub fn parse(text: &str) -> Option<DepKind> {
        match text.to_ascii_lowercase().as_str() {
            "fs" => Some(DepKind::FinishToStart),
            "ss" => Some(DepKind::StartToStart),
            "ff" => Some(DepKind::FinishToFinish),
            "rel" | "relates" => Some(DepKind::Relates),
            _ => None,
        }
    }
}

/// "This task depends on that one", with how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    /// The task depended on.
    pub on: TaskId,
    /// How it constrains this task.
    pub kind: DepKind,
}

/// A timestamped note on a task.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// When the note was written.
    pub at: DateTime<Utc>,
    /// The note.
    pub text: String,
}

/// The value of a typed custom attribute (DESIGN §7).
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// Free text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date or date and time.
    Date(When),
    /// A length of time.
    Duration(Duration),
    /// Yes or no.
    Bool(bool),
}

impl AttrValue {
    /// The value as a user would type it: `30`, `2.5`, `2026-12-01`, `1h30m`, `yes`.
    pub fn text(&self, tz: chrono_tz::Tz) -> String {
        match self {
            AttrValue::Text(t) => t.clone(),
            AttrValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            AttrValue::Number(n) => n.to_string(),
            AttrValue::Date(w) => w.display(tz),
            AttrValue::Duration(d) => d.to_string(),
            AttrValue::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        }
    }
}

/// A task: everything TME knows about one piece of work.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Stable numeric id shown to users.
    pub id: TaskId,
    /// Globally unique id, for import, export and sync.
    pub uuid: Uuid,
    /// One-line title.
    pub title: String,
    /// Multi-line description; empty when there is none.
    pub description: String,
    /// The one category (hierarchical with dots).
    pub category: Option<Category>,
    /// Tags, sorted.
    pub tags: BTreeSet<Tag>,
    /// Stored status: never [`Status::Waiting`], which is derived by [`Task::status_at`].
    pub status: Status,
    /// Priority, if any.
    pub priority: Option<Priority>,
    /// When the task was created.
    pub created: DateTime<Utc>,
    /// When the task last changed.
    pub modified: DateTime<Utc>,
    /// When work on the task first started.
    pub started: Option<DateTime<Utc>>,
    /// When the task was completed or deleted.
    pub completed: Option<DateTime<Utc>>,
    /// Since when time tracking has been running, while started.
    pub tracking_since: Option<DateTime<Utc>>,
    /// When the task is due.
    pub due: Option<When>,
    /// When work is planned to begin.
    pub scheduled: Option<When>,
    /// Hidden until this date.
    pub wait: Option<When>,
    /// For a recurring template: when the series ends.
    pub until: Option<When>,
    /// Expected effort.
    pub estimate: Option<Duration>,
    /// Time tracked so far, not counting a running session.
    pub spent: Duration,
    /// Tasks this one depends on, sorted by id.
    pub depends: Vec<Dependency>,
    /// The task this one is a subtask of.
    pub parent: Option<TaskId>,
    /// The recurrence rule of a template, or the link of an instance to its template.
    pub recurrence: Option<RecurrenceLink>,
    /// Notes, oldest first.
    pub annotations: Vec<Annotation>,
    /// Task type name (DESIGN §7).
    pub task_type: Option<String>,
    /// Typed custom attributes, by name.
    pub attrs: BTreeMap<String, AttrValue>,
}

impl Task {
    /// A new pending task with only a title, created at `now`.
    pub fn new(id: TaskId, uuid: Uuid, title: impl Into<String>, now: DateTime<Utc>) -> Task {
        Task {
            id,
            uuid,
            title: title.into(),
            description: String::new(),
            category: None,
            tags: BTreeSet::new(),
            status: Status::Pending,
            priority: None,
            created: now,
            modified: now,
            started: None,
            completed: None,
            tracking_since: None,
            due: None,
            scheduled: None,
            wait: None,
            until: None,
            estimate: None,
            spent: Duration::ZERO,
            depends: Vec::new(),
            parent: None,
            recurrence: None,
            annotations: Vec::new(),
            task_type: None,
            attrs: BTreeMap::new(),
        }
    }

    /// The status as seen at `now`: an open template is recurring; a pending task whose wait
    /// date has not come yet is waiting.
    pub fn status_at(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Status {
        super::rank::status_at(self.status, self.is_template(), self.wait, now, tz)
    }

    /// Time tracked including a session still running at `now`.
    pub fn spent_at(&self, now: DateTime<Utc>) -> Duration {
        let running = self
            .tracking_since
            .map(|since| Duration::between(since, now))
            .unwrap_or(Duration::ZERO);
        self.spent.saturating_add(running)
    }

    /// Whether the task has the tag, ignoring case.
    pub fn has_tag(&self, tag: &Tag) -> bool {
        self.tags.iter().any(|t| t.matches(tag))
    }

    /// Whether this task is a recurring template.
    pub fn is_template(&self) -> bool {
        matches!(self.recurrence, Some(RecurrenceLink::Template { .. }))
    }

    /// For a recurring instance, its template.
    pub fn template(&self) -> Option<TaskId> {
        match self.recurrence {
            Some(RecurrenceLink::Instance { template, .. }) => Some(template),
            _ => None,
        }
    }

    /// Every task this one names: those it depends on, its parent and its template.
    pub fn linked(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.depends
            .iter()
            .map(|d| d.on)
            .chain(self.parent)
            .chain(self.template())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn task() -> Task {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).single();
        Task::new(TaskId(1), Uuid::nil(), "Pay rent", now.unwrap_or_default())
    }

    #[test]
    fn waiting_is_derived_from_the_wait_date() {
        let mut t = task();
        let tz = chrono_tz::UTC;
        let now = t.created;
        t.wait = Some(When::At(now + chrono::Duration::hours(1)));
        assert_eq!(t.status_at(now, tz), Status::Waiting);
        assert_eq!(
            t.status_at(now + chrono::Duration::hours(2), tz),
            Status::Pending
        );
        t.status = Status::Completed;
        assert_eq!(t.status_at(now, tz), Status::Completed);
    }

    #[test]
    fn spent_includes_the_running_session() {
        let mut t = task();
        t.spent = Duration::from_secs(60);
        t.tracking_since = Some(t.created);
        let later = t.created + chrono::Duration::seconds(30);
        assert_eq!(t.spent_at(later), Duration::from_secs(90));
    }

    #[test]
    fn status_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("done"), None);
    }
}
