//! Which tasks a query means: status, category, tags, dates, priority, ids and words.

use super::names::{Category, Tag};
use super::rank::Rank;
use super::task::{AttrValue, Priority, Status, Task, TaskId};
use super::when::{TimeContext, When};

/// Which statuses a filter accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Pending and started tasks: what needs doing now (waiting tasks are hidden).
    #[default]
    Actionable,
    /// Every status, deleted included.
    Any,
    /// Exactly these statuses (as seen now: a pending task with a future wait is waiting).
    Only(Vec<Status>),
}

impl StatusFilter {
    /// Whether a task whose status (as seen now) is `status` passes.
    pub fn accepts(&self, status: Status) -> bool {
        match self {
            StatusFilter::Actionable => matches!(status, Status::Pending | Status::Started),
            StatusFilter::Any => true,
            StatusFilter::Only(list) => list.contains(&status),
        }
    }

    /// Whether only open tasks (pending, started, waiting) can pass, so that closed tasks need
    /// not be read at all.
    pub fn only_open(&self) -> bool {
        match self {
            StatusFilter::Actionable => true,
            StatusFilter::Any => false,
            StatusFilter::Only(list) => list.iter().all(|s| s.is_open()),
        }
    }
}

/// A filter: every condition given must hold. The default matches all actionable tasks.
///
/// ```
/// use tme_core::domain::{Filter, Category};
/// let filter = Filter {
///     category: Some(Some(Category::parse("Work").unwrap())),
///     words: vec!["report".into()],
///     ..Filter::default()
/// };
/// assert!(!filter.is_everything());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only these ids (empty: any id).
    pub ids: Vec<TaskId>,
    /// Only ids above this one (where a page by id goes on from).
    pub after_id: Option<TaskId>,
    /// Which statuses.
    pub status: StatusFilter,
    /// In this category or a subcategory (`Some(None)`: without a category).
    pub category: Option<Option<Category>>,
    /// Has all of these tags.
    pub tags: Vec<Tag>,
    /// Has none of these tags.
    pub without_tags: Vec<Tag>,
    /// Has this priority (`Some(None)`: no priority).
    pub priority: Option<Option<Priority>>,
    /// Due on this day (`Some(None)`: no due date).
    pub due: Option<Option<When>>,
    /// Due strictly before this point.
    pub due_before: Option<When>,
    /// Due strictly after this point.
    pub due_after: Option<When>,
    /// Past its deadline (a whole day's passes when the day ends): Taskwarrior's `+OVERDUE`.
    pub overdue: bool,
    /// Of this task type.
    pub task_type: Option<String>,
    /// A subtask of this task.
    pub parent: Option<TaskId>,
    /// Every word appears in the title or description, ignoring case.
    pub words: Vec<String>,
    /// Conditions on typed attributes (`samples.gt:20`).
    pub attrs: Vec<AttrTest>,
}

/// How an attribute is compared in a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrOp {
    /// `name:value`
    Eq,
    /// `name.gt:value`
    Gt,
    /// `name.gte:value`
    Gte,
    /// `name.lt:value`
    Lt,
    /// `name.lte:value`
    Lte,
}

impl AttrOp {
    /// Reads `gt`, `gte`, `lt`, `lte` (or `eq`).
    pub fn parse(text: &str) -> Option<AttrOp> {
        match text.to_ascii_lowercase().as_str() {
            "eq" | "is" => Some(AttrOp::Eq),
            "gt" | "above" | "after" => Some(AttrOp::Gt),
            "gte" => Some(AttrOp::Gte),
            "lt" | "below" | "before" => Some(AttrOp::Lt),
            "lte" => Some(AttrOp::Lte),
            _ => None,
        }
    }
}

/// A condition on one typed attribute: `samples.gt:20`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrTest {
    /// The attribute.
    pub name: String,
    /// How it is compared.
    pub op: AttrOp,
    /// With what.
    pub value: AttrValue,
}

impl AttrTest {
    /// Whether a task's attributes pass (a task without the attribute never does).
    pub fn passes(&self, task: &Task, tz: chrono_tz::Tz) -> bool {
        use std::cmp::Ordering;
        let Some(have) = task.attrs.get(&self.name) else {
            return false;
        };
        let order = match (have, &self.value) {
            (AttrValue::Number(a), AttrValue::Number(b)) => a.partial_cmp(b),
            (AttrValue::Text(a), AttrValue::Text(b)) => {
                Some(a.to_lowercase().cmp(&b.to_lowercase()))
            }
            (AttrValue::Date(a), AttrValue::Date(b)) => Some(a.start(tz).cmp(&b.start(tz))),
            (AttrValue::Duration(a), AttrValue::Duration(b)) => Some(a.cmp(b)),
            (AttrValue::Bool(a), AttrValue::Bool(b)) => Some(a.cmp(b)),
            _ => None,
        };
        let Some(order) = order else { return false };
        match self.op {
            AttrOp::Eq => order == Ordering::Equal,
            AttrOp::Gt => order == Ordering::Greater,
            AttrOp::Gte => order != Ordering::Less,
            AttrOp::Lt => order == Ordering::Less,
            AttrOp::Lte => order != Ordering::Greater,
        }
    }
}

impl Filter {
    /// A filter that matches every task, whatever its status.
    pub fn all() -> Filter {
        Filter {
            status: StatusFilter::Any,
            ..Filter::default()
        }
    }

    /// A filter for exactly these ids, whatever their status.
    pub fn ids(ids: impl IntoIterator<Item = TaskId>) -> Filter {
        Filter {
            ids: ids.into_iter().collect(),
            status: StatusFilter::Any,
            ..Filter::default()
        }
    }

    /// The same filter over every status, unless it names statuses (`status:completed`): what
    /// reports, exports, rules and `list --all` look at.
    ///
    /// ```
    /// use tme_core::domain::{Filter, StatusFilter};
    /// assert_eq!(Filter::default().any_status_unless_named().status, StatusFilter::Any);
    /// let named = Filter { status: StatusFilter::Only(vec![]), ..Filter::default() };
    /// assert_eq!(named.clone().any_status_unless_named(), named);
    /// ```
    pub fn any_status_unless_named(mut self) -> Filter {
        if self.status == StatusFilter::Actionable {
            self.status = StatusFilter::Any;
        }
        self
    }

    /// Whether the filter has no condition besides the default status.
    pub fn is_everything(&self) -> bool {
        Filter {
            status: self.status.clone(),
            ..Filter::default()
        } == *self
    }

    /// Whether `task` passes, judged at `ctx.now`.
    pub fn matches(&self, task: &Task, ctx: &TimeContext) -> bool {
        let tz = ctx.tz;
        (self.ids.is_empty() || self.ids.contains(&task.id))
            && self.ranked_fields_pass(
                task.id,
                task.status_at(ctx.now, tz),
                task.priority,
                task.due,
                ctx,
            )
            && match &self.category {
                None => true,
                Some(None) => task.category.is_none(),
                Some(Some(wanted)) => task.category.as_ref().is_some_and(|c| c.is_within(wanted)),
            }
            && self.tags.iter().all(|t| task.has_tag(t))
            && !self.without_tags.iter().any(|t| task.has_tag(t))
            && self.task_type.as_ref().is_none_or(|t| {
                task.task_type
                    .as_ref()
                    .is_some_and(|tt| tt.eq_ignore_ascii_case(t))
            })
            && self.parent.is_none_or(|p| task.parent == Some(p))
            && self.attrs.iter().all(|t| t.passes(task, tz))
            && self.words_match(task)
    }

    /// Whether a task's [`Rank`] says all this filter asks: true when it has no conditions but
    /// on the id bound, status, priority and the due date. Then [`Filter::matches_rank`] judges a task as
    /// [`Filter::matches`] would, without the whole task.
    ///
    /// ```
    /// use tme_core::domain::{Filter, Priority};
    /// let urgent = Filter { priority: Some(Some(Priority::High)), overdue: true, ..Filter::default() };
    /// assert!(urgent.ranks_decide());
    /// assert!(!Filter { words: vec!["report".into()], ..urgent }.ranks_decide());
    /// ```
    pub fn ranks_decide(&self) -> bool {
        *self
            == Filter {
                status: self.status.clone(),
                priority: self.priority,
                due: self.due,
                due_before: self.due_before,
                due_after: self.due_after,
                overdue: self.overdue,
                after_id: self.after_id,
                ..Filter::default()
            }
    }

    /// Whether a task with this rank passes the status, priority and due conditions, judged
    /// at `ctx.now` (all the conditions there are when [`Filter::ranks_decide`]).
    pub fn matches_rank(&self, rank: &Rank, ctx: &TimeContext) -> bool {
        self.ranked_fields_pass(
            rank.id,
            rank.status_at(ctx.now, ctx.tz),
            rank.priority,
            rank.due,
            ctx,
        )
    }

    fn ranked_fields_pass(
        &self,
        id: TaskId,
        status: Status,
        priority: Option<Priority>,
        due: Option<When>,
        ctx: &TimeContext,
    ) -> bool {
        let tz = ctx.tz;
        self.after_id.is_none_or(|after| id > after)
            && self.status.accepts(status)
            && self.priority.is_none_or(|p| priority == p)
            && match self.due {
                None => true,
                Some(None) => due.is_none(),
                Some(Some(day)) => due.is_some_and(|due| due.local_date(tz) == day.local_date(tz)),
            }
            && (!self.overdue || due.is_some_and(|d| d.deadline(tz) <= ctx.now))
            && self
                .due_before
                .is_none_or(|limit| due.is_some_and(|d| d.start(tz) < limit.start(tz)))
            && self
                .due_after
                .is_none_or(|limit| due.is_some_and(|d| d.start(tz) >= limit.deadline(tz)))
    }

    fn words_match(&self, task: &Task) -> bool {
        self.words.iter().all(|word| {
            contains_caseless(&task.title, word) || contains_caseless(&task.description, word)
        })
    }
}

/// Whether `needle` occurs in `haystack`, ignoring case. Allocates only when either is not
/// ASCII, so filtering 100,000 titles as the user types stays fast.
fn contains_caseless(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use uuid::Uuid;

    fn ctx() -> TimeContext {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).single();
        TimeContext::new(now.unwrap_or_default(), chrono_tz::UTC)
    }

    fn day(d: u32) -> When {
        When::Day(NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default())
    }

    fn task() -> Task {
        let mut t = Task::new(TaskId(7), Uuid::nil(), "Write Report", ctx().now);
        t.category = Category::parse("Work.Backend").ok();
        t.tags.extend(Tag::parse("urgent"));
        t.due = Some(day(3));
        t
    }

    fn passes(filter: Filter) -> bool {
        filter.matches(&task(), &ctx())
    }

    #[test]
    fn each_condition_is_checked() {
        let work = Category::parse("work").ok();
        let urgent = Tag::parse("Urgent").ok().into_iter().collect::<Vec<_>>();
        assert!(passes(Filter::default()));
        assert!(passes(Filter {
            category: Some(work),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            category: Some(None),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            tags: urgent.clone(),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            without_tags: urgent,
            ..Filter::default()
        }));
        assert!(passes(Filter {
            words: vec!["report".into()],
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            words: vec!["memo".into()],
            ..Filter::default()
        }));
        assert!(passes(Filter {
            due: Some(Some(day(3))),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            due_before: Some(day(4)),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            due_before: Some(day(3)),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            due_after: Some(day(2)),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            due_after: Some(day(3)),
            ..Filter::default()
        }));
        assert!(passes(Filter::ids([TaskId(7)])));
        assert!(!passes(Filter::ids([TaskId(8)])));
        assert!(!passes(Filter {
            priority: Some(Some(Priority::High)),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            priority: Some(None),
            ..Filter::default()
        }));
    }

    #[test]
    fn statuses() {
        let mut t = task();
        t.status = Status::Completed;
        assert!(!Filter::default().matches(&t, &ctx()));
        assert!(Filter::all().matches(&t, &ctx()));
        let done = Filter {
            status: StatusFilter::Only(vec![Status::Completed]),
            ..Filter::default()
        };
        assert!(done.matches(&t, &ctx()));
        assert!(!done.status.only_open());
    }
}
