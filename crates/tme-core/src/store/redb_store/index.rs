//! Keeps the secondary indexes in step with a task row.

use std::collections::BTreeSet;

use redb::{ReadableTable, WriteTransaction};

use crate::domain::{RecurrenceLink, Task, TaskId, When};
use crate::store::StoreError;
use crate::store::codec::{dep_kind_code, status_code};
use crate::store::tables;

/// Every index entry one task contributes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IndexEntries {
    pub status: Option<(u8, i64)>,
    pub category: Option<String>,
    pub tags: BTreeSet<String>,
    pub uuid: Option<u128>,
    pub depends: BTreeSet<(u64, u8)>,
    pub parent: Option<u64>,
    pub instance: Option<(u64, i64)>,
    pub series: Option<SeriesShape>,
}

/// What decides when an open template's occurrences fall: its rule, due, scheduled and until.
type SeriesShape = (String, Option<When>, Option<When>, Option<When>);

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
        depends: task
            .depends
            .iter()
            .map(|d| (d.on.0, dep_kind_code(d.kind)))
            .collect(),
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

/// Moves a template's entry in the ticker's index to `at` (ms since the epoch), or removes it.
pub fn set_check(
    txn: &WriteTransaction,
    template: TaskId,
    at: Option<i64>,
) -> Result<(), StoreError> {
    let mut checks = txn.open_table(tables::RECURRENCE_CHECK)?;
    let mut next = txn.open_table(tables::RECURRENCE_NEXT)?;
    let old = checks.get(template.0)?.map(|v| v.value());
    if old == at {
        return Ok(());
    }
    if let Some(old) = old {
        next.remove((old, template.0))?;
    }
    match at {
        Some(at) => {
            checks.insert(template.0, at)?;
            next.insert((at, template.0), ())?;
        }
        None => {
            checks.remove(template.0)?;
        }
    }
    Ok(())
}

/// Updates every index for a task that changes from `before` to `after` (either may be absent).
pub fn update(
    txn: &WriteTransaction,
    id: u64,
    before: Option<&Task>,
    after: Option<&Task>,
) -> Result<(), StoreError> {
    let old = entries(before);
    let new = entries(after);
    if old.status != new.status {
        let mut table = txn.open_table(tables::BY_STATUS)?;
        if let Some((code, key)) = old.status {
            table.remove((code, key, id))?;
        }
        if let Some((code, key)) = new.status {
            table.insert((code, key, id), ())?;
        }
    }
    if old.category != new.category {
        let mut table = txn.open_table(tables::BY_CATEGORY)?;
        if let Some(c) = &old.category {
            table.remove((c.as_str(), id))?;
        }
        if let Some(c) = &new.category {
            table.insert((c.as_str(), id), ())?;
        }
    }
    if old.tags != new.tags {
        let mut table = txn.open_table(tables::BY_TAG)?;
        for tag in old.tags.difference(&new.tags) {
            table.remove((tag.as_str(), id))?;
        }
        for tag in new.tags.difference(&old.tags) {
            table.insert((tag.as_str(), id), ())?;
        }
    }
    if old.uuid != new.uuid {
        let mut table = txn.open_table(tables::BY_UUID)?;
        if let Some(u) = old.uuid {
            table.remove(u)?;
        }
        if let Some(u) = new.uuid {
            table.insert(u, id)?;
        }
    }
    if old.depends != new.depends {
        let mut forward = txn.open_table(tables::DEPENDS_ON)?;
        let mut reverse = txn.open_table(tables::DEPENDED_BY)?;
        for (on, _) in old.depends.difference(&new.depends) {
            forward.remove((id, *on))?;
            reverse.remove((*on, id))?;
        }
        for (on, kind) in new.depends.difference(&old.depends) {
            forward.insert((id, *on), *kind)?;
            reverse.insert((*on, id), *kind)?;
        }
    }
    if old.parent != new.parent {
        let mut table = txn.open_table(tables::CHILDREN)?;
        if let Some(p) = old.parent {
            table.remove((p, id))?;
        }
        if let Some(p) = new.parent {
            table.insert((p, id), ())?;
        }
    }
    if old.series != new.series {
        // A new or changed series is looked at by the next tick; an ended one never again.
        set_check(txn, TaskId(id), new.series.is_some().then_some(i64::MIN))?;
    }
    if old.instance != new.instance {
        let mut table = txn.open_table(tables::INSTANCES)?;
        if let Some(key) = old.instance {
            table.remove(key)?;
        }
        if let Some(key) = new.instance {
            table.insert(key, id)?;
        }
    }
    Ok(())
}
