//! `tme check --repair`: what the check finds wrong with derived data is made again from the
//! rows. Every index is rebuilt (the ticker keeps each series' next look where it had one), a
//! row kept with the wrong status is moved, and counters behind what they counted are moved
//! past it. The rows and the journal are what was saved: they are never changed, and what is
//! wrong with them is left for a backup (`tme restore`).

use std::collections::{BTreeMap, BTreeSet};

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::check::CheckReport;
use super::{RedbStore, guard, identity, index};
use crate::domain::{Task, TaskId};
use crate::store::StoreError;
use crate::store::codec;
use crate::store::error::record_error;
use crate::store::tables::{self, meta};

/// What a repair found and what is still wrong after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repair {
    /// The problems the check found before the repair.
    pub found: Vec<String>,
    /// The check of the repaired file: its problems are those a repair cannot mend.
    pub after: CheckReport,
}

impl RedbStore {
    /// Checks the file and, when it has problems, rebuilds what is derived from the rows in one
    /// transaction (other writers wait), then checks it again.
    ///
    /// ```
    /// use tme_core::store::RedbStore;
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut store = RedbStore::open(dir.path().join("tasks.redb")).unwrap();
    /// let repair = store.repair().unwrap();
    /// assert!(repair.found.is_empty() && repair.after.problems.is_empty());
    /// ```
    pub fn repair(&mut self) -> Result<Repair, StoreError> {
        let before = self.check()?;
        if before.problems.is_empty() {
            return Ok(Repair {
                found: Vec::new(),
                after: before,
            });
        }
        guard::guarded(|| {
            let txn = self.db.begin_write()?;
            if identity(&self.path) != self.identity {
                return Err(StoreError::Replaced {
                    path: self.path.clone(),
                });
            }
            rebuild(&txn)?;
            txn.commit()?;
            Ok(())
        })?;
        Ok(Repair {
            found: before.problems,
            after: self.check()?,
        })
    }
}

/// The tables made from the rows alone.
const DERIVED: [&(dyn Clear + Sync); 11] = [
    &tables::BY_STATUS,
    &tables::BY_CATEGORY,
    &tables::BY_TAG,
    &tables::BY_UUID,
    &tables::DEPENDS_ON,
    &tables::DEPENDED_BY,
    &tables::CHILDREN,
    &tables::INSTANCES,
    &tables::RECURRENCE_CHECK,
    &tables::RECURRENCE_NEXT,
    &tables::JOURNAL_BY_TASK,
];

/// A table that can be emptied, whatever its key and value types.
trait Clear {
    fn clear(&self, txn: &WriteTransaction) -> Result<(), StoreError>;
}

impl<K: redb::Key + Sync + 'static, V: redb::Value + Sync + 'static> Clear
    for TableDefinition<'static, K, V>
{
    fn clear(&self, txn: &WriteTransaction) -> Result<(), StoreError> {
        txn.delete_table(*self)?;
        txn.open_table(*self)?;
        Ok(())
    }
}

fn rebuild(txn: &WriteTransaction) -> Result<(), StoreError> {
    let tasks = place_rows(txn)?;
    let looks: BTreeMap<u64, i64> = {
        let table = txn.open_table(tables::RECURRENCE_CHECK)?;
        table
            .iter()?
            .map(|item| item.map(|(k, v)| (k.value(), v.value())))
            .collect::<Result<_, _>>()?
    };
    for table in DERIVED {
        table.clear(txn)?;
    }
    for task in tasks.values() {
        index::update(txn, task.id.0, None, Some(task))?;
    }
    // A series the ticker already knew keeps its next look; a new entry is looked at next tick.
    let series: BTreeSet<u64> = {
        let table = txn.open_table(tables::RECURRENCE_CHECK)?;
        table
            .iter()?
            .map(|item| item.map(|(k, _)| k.value()))
            .collect::<Result<_, _>>()?
    };
    for (template, at) in looks {
        if series.contains(&template) {
            index::set_check(txn, TaskId(template), Some(at))?;
        }
    }
    let (last_seq, last_command) = index_journal(txn)?;
    let mut counters = txn.open_table(tables::META)?;
    let highest = tasks.keys().next_back().copied().unwrap_or(0);
    for (key, past) in [
        (meta::NEXT_ID, highest),
        (meta::NEXT_SEQ, last_seq),
        (meta::NEXT_COMMAND, last_command),
    ] {
        let now = counters.get(key)?.map_or(0, |v| v.value());
        if past > 0 && now <= past {
            counters.insert(key, past + 1)?;
        }
    }
    Ok(())
}

/// Every row that can be read and is its task, moved to the table its status belongs to. A
/// task kept in both tables is left where it is (which copy is right is not derived data).
fn place_rows(txn: &WriteTransaction) -> Result<BTreeMap<u64, Task>, StoreError> {
    let mut found: BTreeMap<u64, Vec<(bool, Task)>> = BTreeMap::new();
    for (def, open) in [(tables::OPEN_TASKS, true), (tables::CLOSED_TASKS, false)] {
        let table = txn.open_table(def)?;
        for item in table.iter()? {
            let (key, bytes) = item?;
            if let Ok(task) = codec::decode_task(bytes.value())
                && task.id.0 == key.value()
            {
                found.entry(key.value()).or_default().push((open, task));
            }
        }
    }
    let mut tasks = BTreeMap::new();
    for (id, mut copies) in found {
        let Some((kept_open, task)) = copies.pop() else {
            continue;
        };
        if copies.is_empty() && task.status.is_open() != kept_open {
            let bytes = codec::encode_task(&task).map_err(record_error(|| format!("task {id}")))?;
            let (from, to) = match kept_open {
                true => (tables::OPEN_TASKS, tables::CLOSED_TASKS),
                false => (tables::CLOSED_TASKS, tables::OPEN_TASKS),
            };
            txn.open_table(from)?.remove(id)?;
            txn.open_table(to)?.insert(id, bytes.as_slice())?;
        }
        if copies.is_empty() {
            tasks.insert(id, task);
        }
    }
    Ok(tasks)
}

/// Indexes the journal by task again; the last entry and command numbers it holds.
fn index_journal(txn: &WriteTransaction) -> Result<(u64, u64), StoreError> {
    let journal = txn.open_table(tables::JOURNAL)?;
    let mut by_task = txn.open_table(tables::JOURNAL_BY_TASK)?;
    let (mut last_seq, mut last_command) = (0, 0);
    for item in journal.iter()? {
        let (key, bytes) = item?;
        let seq = key.value();
        last_seq = seq;
        if let Ok(entry) = codec::decode_entry(seq, bytes.value()) {
            by_task.insert((entry.task.0, seq), ())?;
            last_command = last_command.max(entry.command.0);
        }
    }
    Ok((last_seq, last_command))
}
