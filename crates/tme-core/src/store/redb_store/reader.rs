//! Queries, written once for both read and write transactions.

use redb::{
    Key, ReadOnlyTable, ReadTransaction, ReadableTable, ReadableTableMetadata, Table,
    TableDefinition, Value, WriteTransaction,
};
use std::sync::Arc;

use uuid::Uuid;

use crate::domain::{
    ApiToken, Category, Command, CommandId, DepKind, JournalEntry, Rank, Tag, Task, TaskId,
};
use crate::store::codec::{self, CodecError};
use crate::store::error::record_error;
use crate::store::tables::{self, meta};
use crate::store::{Counter, Record, StoreCounts, StoreError};

/// A transaction that tables can be opened from for reading.
pub trait Reader {
    /// The table type this transaction opens.
    type Table<'a, K: Key + 'static, V: Value + 'static>: ReadableTable<K, V>
    where
        Self: 'a;

    /// Opens a table for reading.
    fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<Self::Table<'_, K, V>, StoreError>;
}

impl Reader for ReadTransaction {
    type Table<'a, K: Key + 'static, V: Value + 'static> = ReadOnlyTable<K, V>;

    fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<ReadOnlyTable<K, V>, StoreError> {
        Ok(self.open_table(def)?)
    }
}

impl Reader for WriteTransaction {
    type Table<'a, K: Key + 'static, V: Value + 'static> = Table<'a, K, V>;

    fn table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<Table<'_, K, V>, StoreError> {
        Ok(self.open_table(def)?)
    }
}

pub fn meta_value(r: &impl Reader, key: &str) -> Result<Option<u64>, StoreError> {
    Ok(r.table(tables::META)?.get(key)?.map(|v| v.value()))
}

pub fn task(r: &impl Reader, id: TaskId) -> Result<Option<Task>, StoreError> {
    for def in [tables::OPEN_TASKS, tables::CLOSED_TASKS] {
        if let Some(bytes) = r.table(def)?.get(id.0)? {
            return codec::decode_task(bytes.value())
                .map(Some)
                .map_err(record_error(|| format!("task {id}")));
        }
    }
    Ok(None)
}

pub fn id_by_uuid(r: &impl Reader, uuid: Uuid) -> Result<Option<TaskId>, StoreError> {
    Ok(r.table(tables::BY_UUID)?
        .get(uuid.as_u128())?
        .map(|v| TaskId(v.value())))
}

pub fn visit_table(
    r: &impl Reader,
    def: TableDefinition<u64, &[u8]>,
    visit: &mut dyn FnMut(Task) -> bool,
) -> Result<(), StoreError> {
    visit_range(r, def, .., codec::decode_task, visit)
}

/// Visits the records of a span of ids, each decoded by `decode`, until `visit` says stop.
fn visit_range<T>(
    r: &impl Reader,
    def: TableDefinition<u64, &[u8]>,
    range: impl std::ops::RangeBounds<u64>,
    decode: fn(&[u8]) -> Result<T, CodecError>,
    visit: &mut dyn FnMut(T) -> bool,
) -> Result<(), StoreError> {
    for row in r.table(def)?.range(range)? {
        let (id, bytes) = row?;
        let record =
            decode(bytes.value()).map_err(record_error(|| format!("task {}", id.value())))?;
        if !visit(record) {
            break;
        }
    }
    Ok(())
}

/// Below this many open tasks one thread decodes them; above it, every core takes a share.
pub const PARALLEL_SCAN_FROM: u64 = 20_000;

/// How many threads a large scan uses: every core, up to four.
pub fn scan_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
}

/// Visits every task of a table. A large table (and `concurrent` on) is split into `parts`
/// equal spans of ids, each read by its own thread (read transactions can be shared between
/// threads; write ones are not); `visit` is told which span a task came from, and sees the
/// tasks of one span in id order.
pub fn scan_split<R: Reader + Sync>(
    r: &R,
    def: TableDefinition<u64, &[u8]>,
    parts: usize,
    concurrent: bool,
    visit: &(dyn Fn(usize, Task) + Sync),
) -> Result<(), StoreError> {
    scan_split_as(r, def, parts, concurrent, codec::decode_task, visit)
}

/// [`scan_split`] with each record decoded by `decode`.
fn scan_split_as<R: Reader + Sync, T>(
    r: &R,
    def: TableDefinition<u64, &[u8]>,
    parts: usize,
    concurrent: bool,
    decode: fn(&[u8]) -> Result<T, CodecError>,
    visit: &(dyn Fn(usize, T) + Sync),
) -> Result<(), StoreError> {
    let table = r.table(def)?;
    let count = table.len()?;
    let bounds = match (table.first()?, table.last()?) {
        (Some((first, _)), Some((last, _))) => Some((first.value(), last.value())),
        _ => None,
    };
    drop(table);
    let threads = parts as u64;
    let (Some((first, last)), true, true) = (
        bounds,
        concurrent,
        count >= PARALLEL_SCAN_FROM && threads > 1,
    ) else {
        return visit_range(r, def, .., decode, &mut |t| {
            visit(0, t);
            true
        });
    };
    let span = (last - first) / threads + 1;
    let results: Vec<Result<(), StoreError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let low = first + i * span;
                let high = low.saturating_add(span);
                let part = usize::try_from(i).unwrap_or(0);
                scope.spawn(move || {
                    super::guard::guarded(|| {
                        visit_range(r, def, low..high, decode, &mut |t| {
                            visit(part, t);
                            true
                        })
                    })
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(StoreError::Backend("a reading thread failed".into())))
            })
            .collect()
    });
    results.into_iter().collect()
}

/// Every open task, in id order (see [`scan_split`]).
pub fn open_tasks<R: Reader + Sync>(r: &R, concurrent: bool) -> Result<Vec<Arc<Task>>, StoreError> {
    open_records(r, concurrent, |bytes| {
        codec::decode_task(bytes).map(Arc::new)
    })
}

/// What ranking needs of every open task, in id order (see [`scan_split`]).
pub fn open_ranks<R: Reader + Sync>(r: &R, concurrent: bool) -> Result<Vec<Rank>, StoreError> {
    open_records(r, concurrent, codec::decode_rank)
}

/// Every open task decoded by `decode`, in id order, by every core when there are many.
fn open_records<R: Reader + Sync, T: Send>(
    r: &R,
    concurrent: bool,
    decode: fn(&[u8]) -> Result<T, CodecError>,
) -> Result<Vec<T>, StoreError> {
    let parts: Vec<std::sync::Mutex<Vec<T>>> =
        (0..scan_threads()).map(|_| Default::default()).collect();
    scan_split_as(
        r,
        tables::OPEN_TASKS,
        parts.len(),
        concurrent,
        decode,
        &|part, record| {
            if let Ok(mut list) = parts[part].lock() {
                list.push(record);
            }
        },
    )?;
    let mut out = Vec::new();
    for part in parts {
        out.extend(part.into_inner().unwrap_or_default());
    }
    Ok(out)
}

/// Ids under a string-keyed index entry, and under its dotted children when `children` is set.
fn ids_under(
    r: &impl Reader,
    def: TableDefinition<(&'static str, u64), ()>,
    key: &str,
    children: bool,
) -> Result<Vec<TaskId>, StoreError> {
    let table = r.table(def)?;
    let mut ids: Vec<TaskId> = Vec::new();
    for row in table.range((key, 0)..=(key, u64::MAX))? {
        ids.push(TaskId(row?.0.value().1));
    }
    if children {
        // "work." up to (but not including) "work/": '/' is the character after '.'.
        let low = format!("{key}.");
        let high = format!("{key}/");
        for row in table.range((low.as_str(), 0)..(high.as_str(), 0))? {
            ids.push(TaskId(row?.0.value().1));
        }
    }
    ids.sort();
    Ok(ids)
}

pub fn ids_in_category(r: &impl Reader, category: &Category) -> Result<Vec<TaskId>, StoreError> {
    ids_under(r, tables::BY_CATEGORY, &category.key(), true)
}

pub fn ids_with_tag(r: &impl Reader, tag: &Tag) -> Result<Vec<TaskId>, StoreError> {
    ids_under(r, tables::BY_TAG, &tag.key(), false)
}

pub fn is_open(r: &impl Reader, id: TaskId) -> Result<bool, StoreError> {
    Ok(r.table(tables::OPEN_TASKS)?.get(id.0)?.is_some())
}

pub fn depends_on(r: &impl Reader, id: TaskId) -> Result<Vec<(TaskId, DepKind)>, StoreError> {
    edges(r, tables::DEPENDS_ON, id)
}

pub fn dependents(r: &impl Reader, id: TaskId) -> Result<Vec<(TaskId, DepKind)>, StoreError> {
    edges(r, tables::DEPENDED_BY, id)
}

fn edges(
    r: &impl Reader,
    def: TableDefinition<(u64, u64), u8>,
    id: TaskId,
) -> Result<Vec<(TaskId, DepKind)>, StoreError> {
    let table = r.table(def)?;
    let mut out = Vec::new();
    for row in table.range((id.0, 0)..=(id.0, u64::MAX))? {
        let (key, kind) = row?;
        let kind = codec::dep_kind_from(kind.value())
            .map_err(record_error(|| format!("dependency of task {id}")))?;
        out.push((TaskId(key.value().1), kind));
    }
    Ok(out)
}

pub fn children(r: &impl Reader, id: TaskId) -> Result<Vec<TaskId>, StoreError> {
    let table = r.table(tables::CHILDREN)?;
    let mut out = Vec::new();
    for row in table.range((id.0, 0)..=(id.0, u64::MAX))? {
        out.push(TaskId(row?.0.value().1));
    }
    Ok(out)
}

pub fn subtask_links(r: &impl Reader) -> Result<Vec<(TaskId, TaskId)>, StoreError> {
    let table = r.table(tables::CHILDREN)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (parent, child) = row?.0.value();
        out.push((TaskId(parent), TaskId(child)));
    }
    Ok(out)
}

fn entry(r: &impl Reader, seq: u64) -> Result<Option<JournalEntry>, StoreError> {
    match r.table(tables::JOURNAL)?.get(seq)? {
        Some(bytes) => codec::decode_entry(seq, bytes.value())
            .map(Some)
            .map_err(record_error(|| format!("journal entry {seq}"))),
        None => Ok(None),
    }
}

pub fn history(r: &impl Reader, id: TaskId) -> Result<Vec<JournalEntry>, StoreError> {
    let index = r.table(tables::JOURNAL_BY_TASK)?;
    let mut out = Vec::new();
    for row in index.range((id.0, 0)..=(id.0, u64::MAX))? {
        let seq = row?.0.value().1;
        out.extend(entry(r, seq)?);
    }
    Ok(out)
}

pub fn entries_of(r: &impl Reader, command: CommandId) -> Result<Vec<JournalEntry>, StoreError> {
    let mut out = newest_entries(r, command)?;
    out.retain(|e| e.command == command);
    Ok(out)
}

/// The entries of every command after `command`, walking back from the end of the journal.
pub fn journal_after(r: &impl Reader, command: CommandId) -> Result<Vec<JournalEntry>, StoreError> {
    newest_entries(r, CommandId(command.0.saturating_add(1)))
}

/// The entries of the commands from `from` on, in journal order: a command's entries are
/// contiguous (one transaction), and commands are numbered in commit order, so the walk goes
/// back from the end of the journal and stops at the first entry of an older command.
fn newest_entries(r: &impl Reader, from: CommandId) -> Result<Vec<JournalEntry>, StoreError> {
    let journal = r.table(tables::JOURNAL)?;
    let mut out = Vec::new();
    for row in journal.iter()?.rev() {
        let (seq, bytes) = row?;
        let entry = codec::decode_entry(seq.value(), bytes.value())
            .map_err(record_error(|| format!("journal entry {}", seq.value())))?;
        if entry.command < from {
            break;
        }
        out.push(entry);
    }
    out.reverse();
    Ok(out)
}

pub fn command(r: &impl Reader, id: CommandId) -> Result<Option<Command>, StoreError> {
    match r.table(tables::COMMANDS)?.get(id.0)? {
        Some(bytes) => codec::decode_command(id.0, bytes.value())
            .map(Some)
            .map_err(record_error(|| format!("command {id}"))),
        None => Ok(None),
    }
}

pub fn visit_commands_newest_first(
    r: &impl Reader,
    visit: &mut dyn FnMut(Command) -> bool,
) -> Result<(), StoreError> {
    for row in r.table(tables::COMMANDS)?.iter()?.rev() {
        let (id, bytes) = row?;
        let command = codec::decode_command(id.value(), bytes.value())
            .map_err(record_error(|| format!("command {}", id.value())))?;
        if !visit(command) {
            break;
        }
    }
    Ok(())
}

pub fn change_stamp(r: &impl Reader) -> Result<u64, StoreError> {
    Ok(meta_value(r, meta::NEXT_COMMAND)?.unwrap_or(0))
}

pub fn open_due_by(r: &impl Reader, until: i64) -> Result<Vec<TaskId>, StoreError> {
    let table = r.table(tables::BY_STATUS)?;
    let mut out = Vec::new();
    for status in [
        crate::domain::Status::Pending,
        crate::domain::Status::Started,
    ] {
        let code = codec::status_code(status);
        // Tasks without a due date sort last, at i64::MAX.
        let until = until.min(i64::MAX - 1);
        for row in table.range((code, i64::MIN, 0)..=(code, until, u64::MAX))? {
            out.push(TaskId(row?.0.value().2));
        }
    }
    Ok(out)
}

pub fn count_closed_since(
    r: &impl Reader,
    status: crate::domain::Status,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<u64, StoreError> {
    let code = codec::status_code(status);
    let table = r.table(tables::BY_STATUS)?;
    let mut count = 0;
    for row in table.range((code, since.timestamp(), 0)..=(code, i64::MAX, u64::MAX))? {
        row?;
        count += 1;
    }
    Ok(count)
}

/// The time in a [`tables::RECURRENCE_NEXT`] key.
fn check_time(millis: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
}

pub fn instances(
    r: &impl Reader,
    template: TaskId,
) -> Result<Vec<(chrono::DateTime<chrono::Utc>, TaskId)>, StoreError> {
    let table = r.table(tables::INSTANCES)?;
    let mut out = Vec::new();
    for row in table.range((template.0, i64::MIN)..=(template.0, i64::MAX))? {
        let (key, id) = row?;
        out.push((check_time(key.value().1), TaskId(id.value())));
    }
    Ok(out)
}

pub fn first_recurrence_check(
    r: &impl Reader,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
    Ok(r.table(tables::RECURRENCE_NEXT)?
        .first()?
        .map(|(key, _)| check_time(key.value().0)))
}

pub fn recurrence_due(
    r: &impl Reader,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<TaskId>, StoreError> {
    let table = r.table(tables::RECURRENCE_NEXT)?;
    let mut out = Vec::new();
    for row in table.range((i64::MIN, 0)..=(now.timestamp_millis(), u64::MAX))? {
        out.push(TaskId(row?.0.value().1));
    }
    Ok(out)
}

pub fn stamp(r: &impl Reader, name: &str) -> Result<Option<u64>, StoreError> {
    meta_value(r, &format!("{}{name}", meta::STAMP_PREFIX))
}

/// Everything in the file, for a copy (see [`crate::store::StoreRead::visit_records`]).
pub fn visit_records(
    r: &impl Reader,
    visit: &mut dyn FnMut(Record) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for (counter, key) in [
        (Counter::TaskId, meta::NEXT_ID),
        (Counter::Journal, meta::NEXT_SEQ),
        (Counter::Command, meta::NEXT_COMMAND),
    ] {
        if let Some(value) = meta_value(r, key)? {
            visit(Record::Counter(counter, value))?;
        }
    }
    for def in [tables::OPEN_TASKS, tables::CLOSED_TASKS] {
        for row in r.table(def)?.iter()? {
            let (id, bytes) = row?;
            let task = codec::decode_task(bytes.value())
                .map_err(record_error(|| format!("task {}", id.value())))?;
            visit(Record::Task(Box::new(task)))?;
        }
    }
    for row in r.table(tables::COMMANDS)?.iter()? {
        let (id, bytes) = row?;
        let command = codec::decode_command(id.value(), bytes.value())
            .map_err(record_error(|| format!("command {}", id.value())))?;
        visit(Record::Command(command))?;
    }
    for row in r.table(tables::JOURNAL)?.iter()? {
        let (seq, bytes) = row?;
        let entry = codec::decode_entry(seq.value(), bytes.value())
            .map_err(record_error(|| format!("journal entry {}", seq.value())))?;
        visit(Record::Entry(Box::new(entry)))?;
    }
    for row in r.table(tables::RECURRENCE_CHECK)?.iter()? {
        let (template, at) = row?;
        visit(Record::Check(
            TaskId(template.value()),
            check_time(at.value()),
        ))?;
    }
    for row in r.table(tables::META)?.iter()? {
        let (key, value) = row?;
        if let Some(name) = key.value().strip_prefix(meta::STAMP_PREFIX) {
            visit(Record::Stamp(name.to_string(), value.value()))?;
        }
    }
    for token in tokens(r)? {
        visit(Record::Token(token))?;
    }
    Ok(())
}

/// The API tokens, by name.
pub fn tokens(r: &impl Reader) -> Result<Vec<ApiToken>, StoreError> {
    let mut out = Vec::new();
    for row in r.table(tables::API_TOKENS)?.iter()? {
        let (name, bytes) = row?;
        let token = codec::decode_token(bytes.value())
            .map_err(record_error(|| format!("token {}", name.value())))?;
        out.push(token);
    }
    Ok(out)
}

pub fn counts(r: &impl Reader) -> Result<StoreCounts, StoreError> {
    Ok(StoreCounts {
        open: r.table(tables::OPEN_TASKS)?.len()?,
        closed: r.table(tables::CLOSED_TASKS)?.len()?,
        journal: r.table(tables::JOURNAL)?.len()?,
    })
}

/// Implements [`crate::store::StoreRead`] for a type holding a transaction in `self.txn`;
/// `concurrent` says whether large scans may share the transaction between threads.
macro_rules! impl_store_read {
    ($t:ty, concurrent: $concurrent:expr) => {
        impl crate::store::StoreRead for $t {
            fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::task(&*self.txn, id))
            }
            fn id_by_uuid(&self, uuid: uuid::Uuid) -> Result<Option<TaskId>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::id_by_uuid(&*self.txn, uuid))
            }
            fn open_tasks(&self) -> Result<Vec<std::sync::Arc<Task>>, StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::open_tasks(&*self.txn, $concurrent)
                })
            }
            fn open_ranks(&self) -> Result<Vec<crate::domain::Rank>, StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::open_ranks(&*self.txn, $concurrent)
                })
            }
            fn visit_closed(&self, visit: &mut dyn FnMut(Task) -> bool) -> Result<(), StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::visit_table(&*self.txn, crate::store::tables::CLOSED_TASKS, visit)
                })
            }
            fn scan_closed(
                &self,
                parts: usize,
                visit: &(dyn Fn(usize, Task) + Sync),
            ) -> Result<(), StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::scan_split(
                        &*self.txn,
                        crate::store::tables::CLOSED_TASKS,
                        parts,
                        $concurrent,
                        visit,
                    )
                })
            }
            fn ids_in_category(
                &self,
                category: &crate::domain::Category,
            ) -> Result<Vec<TaskId>, StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::ids_in_category(&*self.txn, category)
                })
            }
            fn ids_with_tag(&self, tag: &crate::domain::Tag) -> Result<Vec<TaskId>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::ids_with_tag(&*self.txn, tag))
            }
            fn is_open(&self, id: TaskId) -> Result<bool, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::is_open(&*self.txn, id))
            }
            fn depends_on(
                &self,
                id: TaskId,
            ) -> Result<Vec<(TaskId, crate::domain::DepKind)>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::depends_on(&*self.txn, id))
            }
            fn dependents(
                &self,
                id: TaskId,
            ) -> Result<Vec<(TaskId, crate::domain::DepKind)>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::dependents(&*self.txn, id))
            }
            fn open_due_by(&self, until: i64) -> Result<Vec<TaskId>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::open_due_by(&*self.txn, until))
            }
            fn children(&self, id: TaskId) -> Result<Vec<TaskId>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::children(&*self.txn, id))
            }

            fn subtask_links(&self) -> Result<Vec<(TaskId, TaskId)>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::subtask_links(&*self.txn))
            }
            fn history(&self, id: TaskId) -> Result<Vec<crate::domain::JournalEntry>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::history(&*self.txn, id))
            }
            fn entries_of(
                &self,
                command: crate::domain::CommandId,
            ) -> Result<Vec<crate::domain::JournalEntry>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::entries_of(&*self.txn, command))
            }
            fn journal_after(
                &self,
                command: crate::domain::CommandId,
            ) -> Result<Vec<crate::domain::JournalEntry>, StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::journal_after(&*self.txn, command)
                })
            }
            fn command(
                &self,
                id: crate::domain::CommandId,
            ) -> Result<Option<crate::domain::Command>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::command(&*self.txn, id))
            }
            fn visit_commands_newest_first(
                &self,
                visit: &mut dyn FnMut(crate::domain::Command) -> bool,
            ) -> Result<(), StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::visit_commands_newest_first(&*self.txn, visit)
                })
            }
            fn change_stamp(&self) -> Result<u64, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::change_stamp(&*self.txn))
            }
            fn count_closed_since(
                &self,
                status: crate::domain::Status,
                since: chrono::DateTime<chrono::Utc>,
            ) -> Result<u64, StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::count_closed_since(&*self.txn, status, since)
                })
            }
            fn counts(&self) -> Result<crate::store::StoreCounts, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::counts(&*self.txn))
            }
            fn instances(
                &self,
                template: TaskId,
            ) -> Result<Vec<(chrono::DateTime<chrono::Utc>, TaskId)>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::instances(&*self.txn, template))
            }
            fn first_recurrence_check(
                &self,
            ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::first_recurrence_check(&*self.txn)
                })
            }
            fn recurrence_due(
                &self,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<TaskId>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::recurrence_due(&*self.txn, now))
            }
            fn stamp(&self, name: &str) -> Result<Option<u64>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::stamp(&*self.txn, name))
            }
            fn tokens(&self) -> Result<Vec<crate::domain::ApiToken>, StoreError> {
                crate::store::redb_store::guard::guarded(|| reader::tokens(&*self.txn))
            }
            fn visit_records(
                &self,
                visit: &mut dyn FnMut(crate::store::Record) -> Result<(), StoreError>,
            ) -> Result<(), StoreError> {
                crate::store::redb_store::guard::guarded(|| {
                    reader::visit_records(&*self.txn, visit)
                })
            }
        }
    };
}

pub(crate) use impl_store_read;
