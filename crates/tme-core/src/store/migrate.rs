//! Upgrades files written by older schema versions, in one transaction.
//!
//! Each step takes a file from version `n` to `n + 1`. The whole upgrade commits at once, so a
//! crash part-way leaves the file at its old version, and the next open simply tries again. Two
//! processes opening an old file at once are safe: the second sees the new version inside its
//! write transaction and does nothing.

use std::path::Path;

use redb::{Database, ReadableTable, WriteTransaction};

use super::redb_store::set_check;

use super::codec::{self, TASK_V1};
use super::error::record_error;
use super::tables::{self, meta};
use super::{SCHEMA_VERSION, StoreError};

/// Brings the file up to [`SCHEMA_VERSION`].
pub fn upgrade(db: &Database, path: &Path) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    let version = txn
        .open_table(tables::META)?
        .get(meta::SCHEMA)?
        .map_or(0, |v| v.value());
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    tracing::info!(
        from = version,
        to = SCHEMA_VERSION,
        "migrating database schema"
    );
    for step in version..SCHEMA_VERSION {
        match step {
            1 => schema_1_to_2(&txn)?,
            2 => schema_2_to_3(&txn)?,
            3 => {
                // Schema 4 adds the API tokens of `tme serve`.
                txn.open_table(tables::API_TOKENS)?;
            }
            // Schema 5: the journal may hold conflicts met at sync, which older builds cannot
            // read (so they refuse the file instead); nothing already there changes.
            4 => {}
            other => {
                return Err(StoreError::Damaged {
                    path: path.to_path_buf(),
                    detail: format!("unknown schema version {other}"),
                });
            }
        }
    }
    txn.open_table(tables::META)?
        .insert(meta::SCHEMA, SCHEMA_VERSION)?;
    txn.commit()?;
    Ok(())
}

/// Schema 2 re-encodes task rows with the fields for typed attributes and running time-tracking
/// sessions, adds the per-task journal index, and the recurrence tables.
fn schema_1_to_2(txn: &WriteTransaction) -> Result<(), StoreError> {
    for def in [tables::OPEN_TASKS, tables::CLOSED_TASKS] {
        let mut table = txn.open_table(def)?;
        let mut old_rows = Vec::new();
        for row in table.iter()? {
            let (id, bytes) = row?;
            if bytes.value().first() == Some(&TASK_V1) {
                old_rows.push((id.value(), bytes.value().to_vec()));
            }
        }
        for (id, bytes) in old_rows {
            let what = || format!("task {id}");
            let task = codec::decode_task(&bytes).map_err(record_error(what))?;
            let new = codec::encode_task(&task).map_err(record_error(what))?;
            table.insert(id, new.as_slice())?;
        }
    }
    let journal = txn.open_table(tables::JOURNAL)?;
    let mut by_task = txn.open_table(tables::JOURNAL_BY_TASK)?;
    for row in journal.iter()? {
        let (seq, bytes) = row?;
        let entry = codec::decode_entry(seq.value(), bytes.value())
            .map_err(record_error(|| format!("journal entry {}", seq.value())))?;
        by_task.insert((entry.task.0, entry.seq), ())?;
    }
    txn.open_table(tables::RECURRENCE_NEXT)?;
    txn.open_table(tables::INSTANCES)?;
    Ok(())
}

/// Schema 3 adds the ticker's index of when to look at each recurring template next; every
/// open template is looked at by the first tick.
fn schema_2_to_3(txn: &WriteTransaction) -> Result<(), StoreError> {
    let mut templates = Vec::new();
    for row in txn.open_table(tables::OPEN_TASKS)?.iter()? {
        let (id, bytes) = row?;
        let task = codec::decode_task(bytes.value())
            .map_err(record_error(|| format!("task {}", id.value())))?;
        if task.is_template() {
            templates.push(task.id);
        }
    }
    txn.open_table(tables::RECURRENCE_CHECK)?;
    for id in templates {
        set_check(txn, id, Some(i64::MIN))?;
    }
    Ok(())
}
