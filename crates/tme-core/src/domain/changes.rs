//! What a user asks to set on a new task ([`NewTask`]) or to change on an existing one
//! ([`TaskChanges`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::duration::Duration;
use super::names::{Category, Tag};
use super::recurrence::{RecurrenceLink, RecurrenceRule};
use super::task::{AttrValue, Dependency, Priority, Task, TaskId};
use super::when::When;

/// Everything that can be given when a task is created. Only `title` is required.
///
/// ```
/// use tme_core::domain::{Category, NewTask};
/// let task = NewTask {
///     title: "Pay rent".into(),
///     category: Some(Category::parse("Finance").unwrap()),
///     ..NewTask::default()
/// };
/// assert_eq!(task.title, "Pay rent");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewTask {
    /// One-line title.
    pub title: String,
    /// Multi-line description.
    pub description: String,
    /// Category.
    pub category: Option<Category>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Due date.
    pub due: Option<When>,
    /// Scheduled date.
    pub scheduled: Option<When>,
    /// Hidden until.
    pub wait: Option<When>,
    /// End of a recurring series.
    pub until: Option<When>,
    /// Makes the task a recurring template.
    pub recurrence: Option<RecurrenceRule>,
    /// Expected effort.
    pub estimate: Option<Duration>,
    /// Tasks this one depends on.
    pub depends: Vec<Dependency>,
    /// Parent task.
    pub parent: Option<TaskId>,
    /// Task type.
    pub task_type: Option<String>,
    /// Typed custom attributes.
    pub attrs: BTreeMap<String, AttrValue>,
}

/// Changes to apply to a task. `None` leaves a field alone; for optional fields `Some(None)`
/// clears the field and `Some(Some(v))` sets it.
///
/// ```
/// use tme_core::domain::{Priority, TaskChanges};
/// let changes = TaskChanges { priority: Some(Some(Priority::High)), ..TaskChanges::default() };
/// assert!(!changes.is_empty());
/// assert!(TaskChanges::default().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskChanges {
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New category, or clear it.
    pub category: Option<Option<Category>>,
    /// Tags to add.
    pub add_tags: Vec<Tag>,
    /// Tags to remove.
    pub remove_tags: Vec<Tag>,
    /// New priority, or clear it.
    pub priority: Option<Option<Priority>>,
    /// New due date, or clear it.
    pub due: Option<Option<When>>,
    /// New scheduled date, or clear it.
    pub scheduled: Option<Option<When>>,
    /// New wait date, or clear it.
    pub wait: Option<Option<When>>,
    /// New end of the series, or clear it.
    pub until: Option<Option<When>>,
    /// New recurrence rule, or stop recurring.
    pub recurrence: Option<Option<RecurrenceRule>>,
    /// New estimate, or clear it.
    pub estimate: Option<Option<Duration>>,
    /// Dependencies to add.
    pub add_depends: Vec<Dependency>,
    /// Dependencies to remove (not expressible in capture text; the edit form and
    /// `tme dep rm` use it).
    pub remove_depends: Vec<TaskId>,
    /// New parent, or make it a top-level task.
    pub parent: Option<Option<TaskId>>,
    /// New task type, or clear it.
    pub task_type: Option<Option<String>>,
    /// Attributes to set (`Some`) or remove (`None`).
    pub attrs: BTreeMap<String, Option<AttrValue>>,
}

impl TaskChanges {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        *self == TaskChanges::default()
    }

    /// Applies the changes to `task` (fields only: status and timestamps are the engine's).
    ///
    /// ```
    /// use chrono::Utc;
    /// use tme_core::domain::{Tag, Task, TaskChanges, TaskId};
    /// let mut task = Task::new(TaskId(1), uuid::Uuid::nil(), "Old", Utc::now());
    /// let changes = TaskChanges {
    ///     title: Some("New".into()),
    ///     add_tags: vec![Tag::parse("home").unwrap()],
    ///     ..TaskChanges::default()
    /// };
    /// changes.apply(&mut task);
    /// assert_eq!(task.title, "New");
    /// assert_eq!(task.tags.len(), 1);
    /// ```
    pub fn apply(&self, task: &mut Task) {
        fn set<T: Clone>(field: &mut T, change: &Option<T>) {
            if let Some(value) = change {
                *field = value.clone();
            }
        }
        set(&mut task.title, &self.title);
        set(&mut task.description, &self.description);
        set(&mut task.category, &self.category);
        set(&mut task.priority, &self.priority);
        set(&mut task.due, &self.due);
        set(&mut task.scheduled, &self.scheduled);
        set(&mut task.wait, &self.wait);
        set(&mut task.until, &self.until);
        set(&mut task.estimate, &self.estimate);
        set(&mut task.parent, &self.parent);
        set(&mut task.task_type, &self.task_type);
        task.tags
            .retain(|t| !self.remove_tags.iter().any(|r| r.matches(t)));
        for tag in &self.add_tags {
            if !task.has_tag(tag) {
                task.tags.insert(tag.clone());
            }
        }
        task.depends
            .retain(|d| !self.remove_depends.contains(&d.on));
        for dep in &self.add_depends {
            task.depends.retain(|d| d.on != dep.on);
            task.depends.push(*dep);
        }
        task.depends.sort();
        if let Some(rule) = &self.recurrence {
            task.recurrence = rule.clone().map(|rule| RecurrenceLink::Template { rule });
        }
        for (name, value) in &self.attrs {
            match value {
                Some(v) => task.attrs.insert(name.clone(), v.clone()),
                None => task.attrs.remove(name),
            };
        }
    }
}

impl NewTask {
    /// The task this describes, with the given identity, created at `now`.
    pub fn into_task(self, id: TaskId, uuid: Uuid, now: DateTime<Utc>) -> Task {
        let mut task = Task::new(id, uuid, self.title, now);
        task.description = self.description;
        task.category = self.category;
        for tag in self.tags {
            if !task.has_tag(&tag) {
                task.tags.insert(tag);
            }
        }
        task.priority = self.priority;
        task.due = self.due;
        task.scheduled = self.scheduled;
        task.wait = self.wait;
        task.until = self.until;
        task.recurrence = self
            .recurrence
            .map(|rule| RecurrenceLink::Template { rule });
        task.estimate = self.estimate;
        task.depends = self.depends;
        task.depends.sort();
        task.depends.dedup_by_key(|d| d.on);
        task.parent = self.parent;
        task.task_type = self.task_type;
        task.attrs = self.attrs;
        task
    }
}

/// A new task needs a title.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a task needs a title: give some words besides the fields, e.g. `tme add Pay rent due:eom`"
)]
pub struct MissingTitle;

impl TryFrom<TaskChanges> for NewTask {
    type Error = MissingTitle;

    /// Builds a new task from parsed capture text. Clearing a field means leaving it empty.
    fn try_from(changes: TaskChanges) -> Result<NewTask, MissingTitle> {
        let title = changes
            .title
            .filter(|t| !t.trim().is_empty())
            .ok_or(MissingTitle)?;
        Ok(NewTask {
            title,
            description: changes.description.unwrap_or_default(),
            category: changes.category.flatten(),
            tags: changes.add_tags,
            priority: changes.priority.flatten(),
            due: changes.due.flatten(),
            scheduled: changes.scheduled.flatten(),
            wait: changes.wait.flatten(),
            until: changes.until.flatten(),
            recurrence: changes.recurrence.flatten(),
            estimate: changes.estimate.flatten(),
            depends: changes.add_depends,
            parent: changes.parent.flatten(),
            task_type: changes.task_type.flatten(),
            attrs: changes
                .attrs
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect(),
        })
    }
}
