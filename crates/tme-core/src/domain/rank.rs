//! What ranking an open task needs of it, and nothing more: its status, dates, priority, a few
//! flags and its dependencies. Stores read it without building the whole task, so `tme next`
//! and `tme list --limit 50` cost what they show, not the size of the backlog.

use chrono::{DateTime, Utc};

use super::task::{Dependency, Priority, Status, Task, TaskId};
use super::when::When;

/// The parts of a task that its urgency, its place in the dependency graph and the status and
/// date conditions of a filter depend on.
#[derive(Debug, Clone, PartialEq)]
pub struct Rank {
    /// The task's id.
    pub id: TaskId,
    /// Its stored status (pending, started, completed or deleted).
    pub status: Status,
    /// It is a recurring template.
    pub template: bool,
    /// Its priority.
    pub priority: Option<Priority>,
    /// When it was added.
    pub created: DateTime<Utc>,
    /// It has been started at some point.
    pub started: bool,
    /// When it is due.
    pub due: Option<When>,
    /// When it is scheduled to begin.
    pub scheduled: Option<When>,
    /// Hidden until this date.
    pub wait: Option<When>,
    /// It has the tag `next`.
    pub next_tag: bool,
    /// It has any tag.
    pub tagged: bool,
    /// It has a category.
    pub categorized: bool,
    /// It has annotations.
    pub annotated: bool,
    /// What it depends on.
    pub depends: Vec<Dependency>,
}

impl Rank {
    /// The rank of a whole task.
    ///
    /// ```
    /// use chrono::Utc;
    /// use tme_core::domain::{Rank, Tag, Task, TaskId};
    /// let mut task = Task::new(TaskId(7), uuid::Uuid::nil(), "Ship", Utc::now());
    /// task.tags.extend(Tag::parse("NEXT"));
    /// let rank = Rank::of(&task);
    /// assert!(rank.next_tag && rank.tagged && !rank.categorized);
    /// ```
    pub fn of(task: &Task) -> Rank {
        Rank {
            id: task.id,
            status: task.status,
            template: task.is_template(),
            priority: task.priority,
            created: task.created,
            started: task.started.is_some(),
            due: task.due,
            scheduled: task.scheduled,
            wait: task.wait,
            next_tag: task.tags.iter().any(|t| is_next_tag(t.as_str())),
            tagged: !task.tags.is_empty(),
            categorized: task.category.is_some(),
            annotated: !task.annotations.is_empty(),
            depends: task.depends.clone(),
        }
    }

    /// The status as seen at `now` ([`Task::status_at`]).
    pub fn status_at(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Status {
        status_at(self.status, self.template, self.wait, now, tz)
    }
}

/// Whether a tag (its text, or the bytes of its text) is `next` in any case, the tag that
/// raises urgency most.
pub(crate) fn is_next_tag(tag: impl AsRef<[u8]>) -> bool {
    tag.as_ref().eq_ignore_ascii_case(b"next")
}

/// The status a task with this stored status, template flag and wait date has at `now`: an
/// open template is recurring; a pending task whose wait date has not come yet is waiting.
pub(crate) fn status_at(
    status: Status,
    template: bool,
    wait: Option<When>,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Status {
    match (status, wait) {
        (status, _) if status.is_open() && template => Status::Recurring,
        (Status::Pending, Some(wait)) if wait.start(tz) > now => Status::Waiting,
        (status, _) => status,
    }
}
