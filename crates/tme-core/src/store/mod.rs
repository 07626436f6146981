//! Storage: where tasks, indexes and the journal live.
//!
//! The engine talks to storage only through the [`Store`], [`StoreRead`] and [`StoreWrite`]
//! traits, so that another backend (a shared server database for teams) can be added without
//! touching the engine. [`RedbStore`] keeps everything in one redb file.

pub mod codec;
mod copy;
pub(crate) mod entries;
mod error;
mod location;
mod migrate;
mod pg_store;
mod redb_store;
pub mod tables;

pub use copy::{Copied, copy};
pub use error::StoreError;
pub use location::{AnyStore, Database, parse_database_url};
pub use pg_store::{PG_SCHEMA_VERSION, PgStore, hide_password};
pub use redb_store::{
    CheckReport, RedbStore, Repair, copy_beside, identity, in_guarded_call, partial_prefix, sweep,
};
pub use redb_store::{create_private_dir, private_options};

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{
    ApiToken, Category, Command, CommandId, CommandKind, DepKind, JournalEntry, Op, Rank, Status,
    Tag, Task, TaskId,
};

/// The schema version this build writes. Older files are migrated when opened; newer files
/// are refused.
pub const SCHEMA_VERSION: u64 = 5;

/// What taking a counter that stands at `next` gives, and where it then stands: `next`, or
/// `wanted` when the counter has not reached it and it lies in the lower half of the ids (so
/// that no file can use up the ids every later task needs). Shared by every backend.
pub(crate) fn advance_counter(
    name: &str,
    next: u64,
    wanted: u64,
) -> Result<(u64, u64), StoreError> {
    let value = if wanted <= TaskId::MOST / 2 {
        next.max(wanted)
    } else {
        next
    };
    let after = value
        .checked_add(1)
        .filter(|n| *n <= TaskId::MOST + 1)
        .ok_or_else(|| StoreError::Backend(format!("the counter {name} has run out")))?;
    Ok((value, after))
}

/// How many tasks of each kind a store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreCounts {
    /// Pending and started tasks (waiting ones included).
    pub open: u64,
    /// Completed and deleted tasks.
    pub closed: u64,
    /// Journal entries.
    pub journal: u64,
}

/// A place tasks are kept. Each call starts a transaction: reads see one consistent snapshot,
/// and a write is all-or-nothing.
pub trait Store: Send + Sync {
    /// Starts a read-only snapshot.
    fn read(&self) -> Result<Box<dyn StoreRead + '_>, StoreError>;
    /// Starts a write transaction, waiting for any other writer (in any process) to finish.
    fn write(&self) -> Result<Box<dyn StoreWrite + '_>, StoreError>;
    /// Writes a consistent copy of everything to `to` (waiting for a writer to finish and
    /// holding others off meanwhile); returns its size in bytes.
    fn backup(&self, to: &std::path::Path) -> Result<u64, StoreError>;
    /// Checks one snapshot: every row reads, every index holds exactly what the rows imply,
    /// the journal replayed gives the rows. Nothing is changed.
    fn check_records(&self) -> Result<CheckReport, StoreError>;
    /// Told after a whole database was copied in ([`copy`]): brings what the store knows of its
    /// data up to date (PostgreSQL's planner statistics, so that a million new rows are read
    /// by index). A file needs nothing.
    fn copied_in(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// How many reads are worth running at once: as many as there are cores for a file (the
    /// work is the processor's), more for a database server, where each waits on the network.
    fn parallel_reads(&self) -> usize {
        std::thread::available_parallelism().map_or(2, usize::from)
    }
    /// Waits at most `timeout` for the change stamp ([`StoreRead::change_stamp`]) to differ
    /// from `seen`, and returns it as it then is. Any process's commit counts. This one looks
    /// every 100 ms; a server backend is told of commits instead.
    fn wait_for_change(&self, seen: u64, timeout: std::time::Duration) -> Result<u64, StoreError> {
        let until = std::time::Instant::now() + timeout;
        loop {
            let stamp = self.read()?.change_stamp()?;
            let left = until.saturating_duration_since(std::time::Instant::now());
            if stamp != seen || left.is_zero() {
                return Ok(stamp);
            }
            std::thread::sleep(left.min(std::time::Duration::from_millis(100)));
        }
    }
}

/// Queries on one snapshot.
pub trait StoreRead {
    /// One task by id.
    fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError>;
    /// The tasks with these ids that exist, in no particular order.
    fn tasks_by_id(&self, ids: &[TaskId]) -> Result<Vec<Task>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.task(*id)?);
        }
        Ok(out)
    }
    /// The id of the task with this UUID.
    fn id_by_uuid(&self, uuid: Uuid) -> Result<Option<TaskId>, StoreError>;
    /// Every open task (pending, started, waiting), without reading closed ones, in id order.
    /// Shared, so that callers can keep them without copying 100,000 tasks.
    fn open_tasks(&self) -> Result<Vec<Arc<Task>>, StoreError>;
    /// What ranking needs of every open task, in id order, read without decoding whole tasks.
    fn open_ranks(&self) -> Result<Vec<Rank>, StoreError>;
    /// Visits every closed task (completed or deleted) until `visit` returns false.
    fn visit_closed(&self, visit: &mut dyn FnMut(Task) -> bool) -> Result<(), StoreError>;
    /// Visits every closed task, perhaps from up to `parts` threads at once: `visit` is told
    /// which part (below `parts`) a task came from, and sees the tasks of a part in id order.
    fn scan_closed(
        &self,
        parts: usize,
        visit: &(dyn Fn(usize, Task) + Sync),
    ) -> Result<(), StoreError>;
    /// Ids of tasks in a category or its subcategories, any status.
    fn ids_in_category(&self, category: &Category) -> Result<Vec<TaskId>, StoreError>;
    /// Ids of tasks with a tag, any status.
    fn ids_with_tag(&self, tag: &Tag) -> Result<Vec<TaskId>, StoreError>;
    /// Whether the task exists and is open (pending, started or waiting), without decoding it.
    fn is_open(&self, id: TaskId) -> Result<bool, StoreError>;
    /// Tasks `id` depends on, with how, from the index (without decoding any task).
    fn depends_on(&self, id: TaskId) -> Result<Vec<(TaskId, DepKind)>, StoreError>;
    /// Tasks that depend on `id`, with how.
    fn dependents(&self, id: TaskId) -> Result<Vec<(TaskId, DepKind)>, StoreError>;
    /// Direct subtasks of `id`.
    fn children(&self, id: TaskId) -> Result<Vec<TaskId>, StoreError>;
    /// Every (parent, subtask) pair, from the index, by parent.
    fn subtask_links(&self) -> Result<Vec<(TaskId, TaskId)>, StoreError>;
    /// The journal of one task, oldest first.
    fn history(&self, id: TaskId) -> Result<Vec<JournalEntry>, StoreError>;
    /// The journal entries of one command, in the order they were made.
    fn entries_of(&self, command: CommandId) -> Result<Vec<JournalEntry>, StoreError>;
    /// The journal entries of every command after `command`, in the order they were made.
    fn journal_after(&self, command: CommandId) -> Result<Vec<JournalEntry>, StoreError>;
    /// One command by id.
    fn command(&self, id: CommandId) -> Result<Option<Command>, StoreError>;
    /// Visits commands newest first until `visit` returns false.
    fn visit_commands_newest_first(
        &self,
        visit: &mut dyn FnMut(Command) -> bool,
    ) -> Result<(), StoreError>;
    /// A number that changes whenever any process commits a change.
    fn change_stamp(&self) -> Result<u64, StoreError>;
    /// Open tasks (pending or started) with a due date whose sort key (`When::sort_key`) is at
    /// most `until`, from the status index, by due date.
    fn open_due_by(&self, until: i64) -> Result<Vec<TaskId>, StoreError>;
    /// How many tasks reached `status` (completed or deleted) at or after `since`.
    fn count_closed_since(&self, status: Status, since: DateTime<Utc>) -> Result<u64, StoreError>;
    /// How many tasks and journal entries there are.
    fn counts(&self) -> Result<StoreCounts, StoreError>;
    /// The instances of a recurring template, by occurrence (any status), from the index.
    fn instances(&self, template: TaskId) -> Result<Vec<(DateTime<Utc>, TaskId)>, StoreError>;
    /// The earliest time any recurring template needs looking at, if any does.
    fn first_recurrence_check(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// The templates that need looking at by `now`, earliest first.
    fn recurrence_due(&self, now: DateTime<Utc>) -> Result<Vec<TaskId>, StoreError>;
    /// A number the engine stored under `name` with [`StoreWrite::set_stamp`].
    fn stamp(&self, name: &str) -> Result<Option<u64>, StoreError>;
    /// The API tokens, by name.
    fn tokens(&self) -> Result<Vec<ApiToken>, StoreError>;
    /// Visits everything stored, in an order [`StoreWrite::load_record`] can take it in:
    /// counters, tasks, commands, journal entries, the ticker's times, stamps, tokens.
    fn visit_records(
        &self,
        visit: &mut dyn FnMut(Record) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
}

/// A counter a store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// The next task id.
    TaskId,
    /// The next journal number.
    Journal,
    /// The next command id.
    Command,
}

/// One stored thing, as a whole database is copied from one store to another: what
/// [`StoreRead::visit_records`] hands out and [`StoreWrite::load_record`] takes, as it was,
/// without journaling it again.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// Where a counter stands.
    Counter(Counter, u64),
    /// A task.
    Task(Box<Task>),
    /// A command of the journal.
    Command(Command),
    /// A journal entry.
    Entry(Box<JournalEntry>),
    /// When the ticker looks at a template next.
    Check(TaskId, DateTime<Utc>),
    /// A stamp the engine keeps.
    Stamp(String, u64),
    /// An API token.
    Token(ApiToken),
}

/// What starts a command in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandStart {
    /// When it runs.
    pub at: DateTime<Utc>,
    /// Who runs it.
    pub actor: String,
    /// What it is, in words.
    pub summary: String,
    /// User, undo or system.
    pub kind: CommandKind,
}

/// Changes within one write transaction. Dropping it without [`StoreWrite::commit`] discards
/// everything.
pub trait StoreWrite: StoreRead {
    /// Hands out the next task id.
    fn next_task_id(&mut self) -> Result<TaskId, StoreError>;
    /// Hands out `wanted` when this database never gave that id to a task (it is at or past the
    /// next id; the ids below it are then passed over) and it lies in the lower half of the
    /// ids ([`TaskId::MOST`]` / 2`, so that ids never run out), and the next id otherwise.
    fn claim_task_id(&mut self, wanted: TaskId) -> Result<TaskId, StoreError>;
    /// Records a new command; every later change in this transaction belongs to it.
    fn begin_command(&mut self, start: CommandStart) -> Result<CommandId, StoreError>;
    /// Marks `command` as reverted by `undo`.
    fn mark_undone(&mut self, command: CommandId, undo: CommandId) -> Result<(), StoreError>;
    /// Writes `task` (new or changed), keeps every index in step, and journals the change
    /// with the task as it was before.
    fn put_task(&mut self, op: Op, task: &Task, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Removes a task entirely (only undo of an add does this), journaling it.
    fn remove_task(&mut self, op: Op, id: TaskId, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Sets (or with `None` clears) when the ticker should look at a template next. Changing a
    /// template's rule or dates resets it by itself, so the ticker looks again at once.
    fn set_recurrence_check(
        &mut self,
        template: TaskId,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;
    /// Stores a number under `name`, e.g. a fingerprint of the config it last synced from.
    fn set_stamp(&mut self, name: &str, value: u64) -> Result<(), StoreError>;
    /// Keeps an API token, replacing one of the same name (tokens are not journaled).
    fn put_token(&mut self, token: &ApiToken) -> Result<(), StoreError>;
    /// Removes the API token of this name; says whether there was one.
    fn remove_token(&mut self, name: &str) -> Result<bool, StoreError>;
    /// Journals a note about a task without changing its row (a conflict met at sync): `before`
    /// and `after` say what the note is about.
    fn note_entry(
        &mut self,
        op: Op,
        task: TaskId,
        sides: (Option<&Task>, Option<&Task>),
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Writes a task's row (or with `None` removes it) and keeps every index in step, without a
    /// journal entry: a replica setting a task as the server's log has it.
    fn mirror_row(&mut self, id: TaskId, task: Option<&Task>) -> Result<(), StoreError>;
    /// Forgets the journal entries from `seq` on and the commands from `command` on (clearing
    /// the marks their undos left), and sets both counters back to them: a replica taking back
    /// what it had not synced, to take the server's versions instead. Rows are the caller's.
    fn forget_since(&mut self, seq: u64, command: CommandId) -> Result<(), StoreError>;
    /// Stores a record copied from another store as it was (no journal entry is made for it).
    fn load_record(&mut self, record: Record) -> Result<(), StoreError>;
    /// Whether anything was written since the transaction began.
    fn is_dirty(&self) -> bool;
    /// Makes every change durable, or none of them.
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}
