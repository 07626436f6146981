//! Keeps the secondary indexes in step with a task row.

use redb::{ReadableTable, WriteTransaction};

use crate::domain::{Task, TaskId};
use crate::store::StoreError;
use crate::store::entries::entries;
use crate::store::tables;

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
