//! What changed between two versions of a task, field by field, for history views.

use chrono_tz::Tz;

use super::task::Task;
use super::when::When;

/// One field that differs: its name, and its value before and after (empty when unset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name as users know it (`due`, `tags`).
    pub field: &'static str,
    /// The value before.
    pub before: String,
    /// The value after.
    pub after: String,
}

impl FieldChange {
    /// The change in one line: `due: 2026-11-30 → 2026-12-01`, `(none)` for an empty side.
    pub fn line(&self) -> String {
        let shown = |v: &str| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.replace('\n', " ")
            }
        };
        format!(
            "{}: {} → {}",
            self.field,
            shown(&self.before),
            shown(&self.after)
        )
    }
}

fn when(value: Option<When>, tz: Tz) -> String {
    value.map(|w| w.display(tz)).unwrap_or_default()
}

/// The user-visible fields, each as text. Timestamps the engine keeps (modified) are left out.
fn fields(task: &Task, tz: Tz) -> [(&'static str, String); 18] {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    [
        ("title", task.title.clone()),
        ("description", task.description.clone()),
        ("status", task.status.to_string()),
        (
            "category",
            task.category
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        (
            "tags",
            task.tags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "priority",
            task.priority
                .map(|p| p.letter().to_string())
                .unwrap_or_default(),
        ),
        ("due", when(task.due, tz)),
        ("scheduled", when(task.scheduled, tz)),
        ("wait", when(task.wait, tz)),
        ("until", when(task.until, tz)),
        (
            "estimate",
            task.estimate.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("spent", task.spent.to_string()),
        (
            "depends",
            task.depends
                .iter()
                .map(|d| format!("{}:{}", d.kind.as_str(), d.on))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "parent",
            task.parent.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("annotations", task.annotations.len().to_string()),
        ("completed", time(task.completed)),
        ("type", task.task_type.clone().unwrap_or_default()),
        (
            "attributes",
            task.attrs
                .iter()
                .map(|(k, v)| format!("{k}:{}", v.text(tz)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ]
}

/// The fields that differ between `before` and `after`, in a stable order.
///
/// ```
/// use chrono::Utc;
/// use tme_core::domain::{changed_fields, Task, TaskId};
/// let before = Task::new(TaskId(1), uuid::Uuid::nil(), "Old", Utc::now());
/// let mut after = before.clone();
/// after.title = "New".into();
/// let changes = changed_fields(&before, &after, chrono_tz::UTC);
/// assert_eq!(changes[0].field, "title");
/// assert_eq!((changes[0].before.as_str(), changes[0].after.as_str()), ("Old", "New"));
/// ```
pub fn changed_fields(before: &Task, after: &Task, tz: Tz) -> Vec<FieldChange> {
    fields(before, tz)
        .into_iter()
        .zip(fields(after, tz))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, before), (_, after))| FieldChange {
            field,
            before,
            after,
        })
        .collect()
}
