//! What a task contributes to the indexes, worked out the same way for every backend: the
//! redb tables and the PostgreSQL columns hold exactly these.

use std::collections::BTreeSet;

use crate::domain::{RecurrenceLink, Task, When};
use crate::store::codec::{self, status_code};

/// Every index entry one task contributes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IndexEntries {
    /// The status code and the key the task sorts by within it.
    pub status: Option<(u8, i64)>,
    /// The category's key.
    pub category: Option<String>,
    /// The tags' keys.
    pub tags: BTreeSet<String>,
    /// The UUID.
    pub uuid: Option<u128>,
    /// What the task depends on, with the kind's code.
    pub depends: BTreeSet<(u64, u8)>,
    /// Its parent.
    pub parent: Option<u64>,
    /// For an instance: its template and occurrence (ms since the epoch).
    pub instance: Option<(u64, i64)>,
    /// For an open template: what decides when its occurrences fall.
    pub series: Option<SeriesShape>,
}

/// What decides when an open template's occurrences fall: its rule, due, scheduled and until.
pub type SeriesShape = (String, Option<When>, Option<When>, Option<When>);

/// The key a task sorts by within its status: the due date of an open task (last when it has
/// none), the time a closed task was closed.
pub fn status_sort_key(task: &Task) -> i64 {
    if task.status.is_open() {
        task.due.map_or(i64::MAX, |d| d.sort_key())
    } else {
        task.completed.unwrap_or(task.modified).timestamp()
    }
}

/// The index entries of a task (none for a task that is not there).
pub fn entries(task: Option<&Task>) -> IndexEntries {
    let Some(task) = task else {
        return IndexEntries::default();
    };
    IndexEntries {
        status: Some((status_code(task.status), status_sort_key(task))),
        category: task.category.as_ref().map(|c| c.key()),
        tags: task.tags.iter().map(|t| t.key()).collect(),
        uuid: Some(task.uuid.as_u128()),
        depends: codec::stored_depends(&task.depends).collect(),
        parent: task.parent.map(|p| p.0),
        instance: match task.recurrence {
            Some(RecurrenceLink::Instance {
                template,
                occurrence,
            }) => Some((template.0, occurrence.timestamp_millis())),
            _ => None,
        },
        series: match &task.recurrence {
            Some(RecurrenceLink::Template { rule }) if task.status.is_open() => {
                Some((rule.to_string(), task.due, task.scheduled, task.until))
            }
            _ => None,
        },
    }
}

/// A task's fingerprint: a hash of its encoding (re-encoded, so that rows and journal entries
/// written by older versions of the codec compare by what they hold).
pub fn fingerprint(task: &Task) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    codec::encode_task(task)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}
