//! The write side: one redb write transaction per command.

use chrono::{DateTime, Utc};
use redb::{ReadableTable, TableHandle, WriteTransaction};

use super::guard::{DropGuarded, guarded};
use super::index;
use super::reader::{self, impl_store_read};
use crate::domain::{ApiToken, Command, CommandId, JournalEntry, Op, Task, TaskId};
use crate::store::codec;
use crate::store::error::record_error;
use crate::store::tables::{self, meta};
use crate::store::{CommandStart, Counter, Record, StoreError, StoreWrite};

/// A write transaction on a [`super::RedbStore`].
pub struct RedbWrite {
    pub(super) txn: DropGuarded<WriteTransaction>,
    pub(super) command: Option<CommandId>,
    pub(super) dirty: bool,
}

impl_store_read!(RedbWrite, concurrent: false);

/// Reads a counter from meta, stores it plus one, and returns the value read.
pub fn take_counter(txn: &WriteTransaction, key: &str, first: u64) -> Result<u64, StoreError> {
    take_counter_from(txn, key, first, first)
}

/// Takes the next value of a counter, or `wanted` when the counter has not reached it yet
/// (the counter then goes on after `wanted`).
fn take_counter_from(
    txn: &WriteTransaction,
    key: &str,
    first: u64,
    wanted: u64,
) -> Result<u64, StoreError> {
    let mut table = txn.open_table(tables::META)?;
    let next = table.get(key)?.map_or(first, |v| v.value());
    let (value, after) = crate::store::advance_counter(key, next, wanted)?;
    table.insert(key, after)?;
    Ok(value)
}

fn row_table(task: &Task) -> redb::TableDefinition<'static, u64, &'static [u8]> {
    if task.status.is_open() {
        tables::OPEN_TASKS
    } else {
        tables::CLOSED_TASKS
    }
}

impl RedbWrite {
    fn command_id(&self) -> Result<CommandId, StoreError> {
        self.command.ok_or_else(|| {
            StoreError::Backend("a change was written before its command began".into())
        })
    }

    fn journal(&mut self, entry: JournalEntry) -> Result<(), StoreError> {
        let bytes = codec::encode_entry(&entry).map_err(record_error(|| "journal entry".into()))?;
        self.txn
            .open_table(tables::JOURNAL)?
            .insert(entry.seq, bytes.as_slice())?;
        self.txn
            .open_table(tables::JOURNAL_BY_TASK)?
            .insert((entry.task.0, entry.seq), ())?;
        Ok(())
    }

    /// Writes the row (moving it between the open and closed tables as needed), the indexes
    /// and the journal entry for a task going from its stored state to `after`.
    fn replace(
        &mut self,
        op: Op,
        id: TaskId,
        after: Option<&Task>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let command = self.command_id()?;
        let before = self.write_row(id, after)?;
        let seq = take_counter(&self.txn, meta::NEXT_SEQ, 1)?;
        self.journal(JournalEntry {
            seq,
            command,
            at,
            task: id,
            op,
            before,
            after: after.cloned(),
        })
    }
}

impl RedbWrite {
    /// Writes the row (moving it between the open and closed tables as needed) and the
    /// indexes for a task going from its stored state to `after`; gives the stored state.
    fn write_row(&mut self, id: TaskId, after: Option<&Task>) -> Result<Option<Task>, StoreError> {
        let before = reader::task(&*self.txn, id)?;
        if let Some(old) = &before
            && after.is_none_or(|new| row_table(new).name() != row_table(old).name())
        {
            self.txn.open_table(row_table(old))?.remove(id.0)?;
        }
        if let Some(new) = after {
            let bytes = codec::encode_task(new).map_err(record_error(|| format!("task {id}")))?;
            self.txn
                .open_table(row_table(new))?
                .insert(id.0, bytes.as_slice())?;
        }
        index::update(&self.txn, id.0, before.as_ref(), after)?;
        Ok(before)
    }

    /// See [`StoreWrite::forget_since`].
    fn forget(&mut self, seq: u64, command: CommandId) -> Result<(), StoreError> {
        let mut gone = Vec::new();
        {
            let mut journal = self.txn.open_table(tables::JOURNAL)?;
            for item in journal.range(seq..)? {
                let (key, bytes) = item?;
                let entry = codec::decode_entry(key.value(), bytes.value())
                    .map_err(record_error(|| format!("journal entry {}", key.value())))?;
                gone.push((entry.task.0, entry.seq));
            }
            journal.retain_in(seq.., |_, _| false)?;
        }
        let mut by_task = self.txn.open_table(tables::JOURNAL_BY_TASK)?;
        for key in gone {
            by_task.remove(key)?;
        }
        drop(by_task);
        let mut undone = Vec::new();
        {
            let mut commands = self.txn.open_table(tables::COMMANDS)?;
            for item in commands.range(command.0..)? {
                let (key, bytes) = item?;
                let record = codec::decode_command(key.value(), bytes.value())
                    .map_err(record_error(|| format!("command {}", key.value())))?;
                if let crate::domain::CommandKind::Undo { of } = record.kind
                    && of < command
                {
                    undone.push(of);
                }
            }
            commands.retain_in(command.0.., |_, _| false)?;
        }
        for of in undone {
            if let Some(mut record) = reader::command(&*self.txn, of)? {
                record.undone_by = None;
                let bytes =
                    codec::encode_command(&record).map_err(record_error(|| "command".into()))?;
                self.txn
                    .open_table(tables::COMMANDS)?
                    .insert(of.0, bytes.as_slice())?;
            }
        }
        let mut meta_table = self.txn.open_table(tables::META)?;
        meta_table.insert(meta::NEXT_SEQ, seq)?;
        meta_table.insert(meta::NEXT_COMMAND, command.0)?;
        Ok(())
    }
}

impl StoreWrite for RedbWrite {
    fn next_task_id(&mut self) -> Result<TaskId, StoreError> {
        guarded(|| take_counter(&self.txn, meta::NEXT_ID, 1).map(TaskId))
    }

    fn claim_task_id(&mut self, wanted: TaskId) -> Result<TaskId, StoreError> {
        guarded(|| take_counter_from(&self.txn, meta::NEXT_ID, 1, wanted.0).map(TaskId))
    }

    fn begin_command(&mut self, start: CommandStart) -> Result<CommandId, StoreError> {
        guarded(|| self.record_command(start))
    }

    fn mark_undone(&mut self, command: CommandId, undo: CommandId) -> Result<(), StoreError> {
        guarded(|| self.set_undone(command, undo))
    }

    fn put_task(&mut self, op: Op, task: &Task, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| self.replace(op, task.id, Some(task), at))
    }

    fn remove_task(&mut self, op: Op, id: TaskId, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| self.replace(op, id, None, at))
    }

    fn set_recurrence_check(
        &mut self,
        template: TaskId,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| index::set_check(&self.txn, template, at.map(|t| t.timestamp_millis())))
    }

    fn set_stamp(&mut self, name: &str, value: u64) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| {
            let key = format!("{}{name}", meta::STAMP_PREFIX);
            self.txn
                .open_table(tables::META)?
                .insert(key.as_str(), value)?;
            Ok(())
        })
    }

    fn put_token(&mut self, token: &ApiToken) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| self.keep_token(token))
    }

    fn remove_token(&mut self, name: &str) -> Result<bool, StoreError> {
        self.dirty = true;
        guarded(|| {
            let mut table = self.txn.open_table(tables::API_TOKENS)?;
            let removed = table.remove(name)?.is_some();
            Ok(removed)
        })
    }

    fn load_record(&mut self, record: Record) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| self.load(record))
    }

    fn note_entry(
        &mut self,
        op: Op,
        task: TaskId,
        (before, after): (Option<&Task>, Option<&Task>),
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| {
            let command = self.command_id()?;
            let seq = take_counter(&self.txn, meta::NEXT_SEQ, 1)?;
            self.journal(JournalEntry {
                seq,
                command,
                at,
                task,
                op,
                before: before.cloned(),
                after: after.cloned(),
            })
        })
    }

    fn mirror_row(&mut self, id: TaskId, task: Option<&Task>) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| self.write_row(id, task).map(|_| ()))
    }

    fn forget_since(&mut self, seq: u64, command: CommandId) -> Result<(), StoreError> {
        self.dirty = true;
        guarded(|| self.forget(seq, command))
    }

    fn is_dirty(&self) -> bool {
        self.dirty
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        guarded(|| match self.txn.take() {
            Some(txn) => Ok(txn.commit()?),
            None => Err(StoreError::Backend(
                "the transaction was already finished".into(),
            )),
        })
    }
}

impl RedbWrite {
    /// Stores a copied record as it was.
    fn load(&mut self, record: Record) -> Result<(), StoreError> {
        match record {
            Record::Counter(counter, value) => {
                let key = match counter {
                    Counter::TaskId => meta::NEXT_ID,
                    Counter::Journal => meta::NEXT_SEQ,
                    Counter::Command => meta::NEXT_COMMAND,
                };
                self.txn.open_table(tables::META)?.insert(key, value)?;
            }
            Record::Task(task) => {
                let bytes = codec::encode_task(&task)
                    .map_err(record_error(|| format!("task {}", task.id)))?;
                self.txn
                    .open_table(row_table(&task))?
                    .insert(task.id.0, bytes.as_slice())?;
                index::update(&self.txn, task.id.0, None, Some(&task))?;
            }
            Record::Command(command) => {
                let bytes =
                    codec::encode_command(&command).map_err(record_error(|| "command".into()))?;
                self.txn
                    .open_table(tables::COMMANDS)?
                    .insert(command.id.0, bytes.as_slice())?;
            }
            Record::Entry(entry) => self.journal(*entry)?,
            Record::Check(template, at) => {
                index::set_check(&self.txn, template, Some(at.timestamp_millis()))?;
            }
            Record::Stamp(name, value) => {
                let key = format!("{}{name}", meta::STAMP_PREFIX);
                self.txn
                    .open_table(tables::META)?
                    .insert(key.as_str(), value)?;
            }
            Record::Token(token) => self.keep_token(&token)?,
        }
        Ok(())
    }

    fn keep_token(&mut self, token: &ApiToken) -> Result<(), StoreError> {
        let bytes = codec::encode_token(token).map_err(record_error(|| "token".into()))?;
        self.txn
            .open_table(tables::API_TOKENS)?
            .insert(token.name.as_str(), bytes.as_slice())?;
        Ok(())
    }

    fn record_command(&mut self, start: CommandStart) -> Result<CommandId, StoreError> {
        let id = CommandId(take_counter(&self.txn, meta::NEXT_COMMAND, 1)?);
        let command = Command {
            id,
            at: start.at,
            actor: start.actor,
            summary: start.summary,
            kind: start.kind,
            undone_by: None,
        };
        let bytes = codec::encode_command(&command).map_err(record_error(|| "command".into()))?;
        self.txn
            .open_table(tables::COMMANDS)?
            .insert(id.0, bytes.as_slice())?;
        self.command = Some(id);
        Ok(id)
    }

    fn set_undone(&mut self, command: CommandId, undo: CommandId) -> Result<(), StoreError> {
        let Some(mut record) = reader::command(&*self.txn, command)? else {
            return Err(StoreError::Backend(format!(
                "command {command} does not exist"
            )));
        };
        record.undone_by = Some(undo);
        let bytes = codec::encode_command(&record).map_err(record_error(|| "command".into()))?;
        self.txn
            .open_table(tables::COMMANDS)?
            .insert(command.0, bytes.as_slice())?;
        Ok(())
    }
}
