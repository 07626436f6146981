//! One PostgreSQL transaction: a read-only snapshot, or a write holding the writers' lock.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use postgres::GenericClient;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use uuid::Uuid;

use super::{CHANNEL, Conn, PgStore, WRITER_LOCK, pg_error};
use crate::domain::{
    Category, Command, CommandId, DepKind, JournalEntry, Op, Rank, Status, Tag, Task, TaskId,
};
use crate::store::codec::{self, status_code};
use crate::store::entries::{entries, fingerprint};
use crate::store::error::record_error;
use crate::store::{
    CheckReport, CommandStart, Counter, Record, StoreCounts, StoreError, StoreRead, StoreWrite,
};

/// A transaction on a [`PgStore`]; dropped without a commit, it rolls back.
pub struct PgTxn<'a> {
    store: &'a PgStore,
    client: RefCell<Option<Conn>>,
    command: Option<CommandId>,
    /// The command row this transaction wrote, to tell after a lost `COMMIT` whether it landed.
    written: Option<Vec<u8>>,
    dirty: bool,
    /// Records copied in ([`StoreWrite::load_record`]) and not sent yet.
    pending: RefCell<Pending>,
}

/// Begins a snapshot or a write (with the writers' lock) on `client`.
fn start(mut conn: Conn, write: bool) -> Result<Conn, StoreError> {
    if write {
        conn.client()
            .batch_execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            .map_err(pg_error)?;
        conn.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])
            .map_err(pg_error)?;
    } else {
        conn.client()
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .map_err(pg_error)?;
    }
    Ok(conn)
}

fn task_row(id: i64, doc: &[u8]) -> Result<Task, StoreError> {
    codec::decode_task(doc).map_err(record_error(|| format!("task {id}")))
}

/// The rank record kept in `task_ranks` for an open task.
fn rank_record(task: &Task) -> Result<Vec<u8>, StoreError> {
    codec::encode_rank(&Rank::of(task)).map_err(record_error(|| format!("task {}", task.id)))
}

fn id_of(value: i64) -> TaskId {
    TaskId(u64::try_from(value).unwrap_or(0))
}

fn key(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl<'a> PgTxn<'a> {
    /// Starts a snapshot, or (with `write`) a write that waits for any other writer.
    ///
    /// A kept connection that the server dropped meanwhile (it restarted, or an administrator
    /// ended the session) is replaced without the caller seeing it, waiting for the server to
    /// come back for at most the connect timeout.
    pub fn begin(store: &'a PgStore, write: bool) -> Result<PgTxn<'a>, StoreError> {
        let (client, reused) = store.client()?;
        let client = match start(client, write) {
            Ok(client) => client,
            Err(_) if reused => start(store.reconnect()?, write)?,
            Err(e) => return Err(e),
        };
        Ok(PgTxn {
            store,
            client: RefCell::new(Some(client)),
            command: None,
            written: None,
            dirty: false,
            pending: RefCell::default(),
        })
    }

    /// Sends the records copied in so far, so that what follows sees them.
    fn send_pending(&self) -> Result<(), StoreError> {
        let pending = self.pending.take();
        if matches!(pending, Pending::Nothing) {
            return Ok(());
        }
        let tallies = {
            let mut slot = self.client.borrow_mut();
            let conn = slot
                .as_mut()
                .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
            send(conn, pending)?
        };
        for (name, delta) in tallies {
            self.tally(name, delta)?;
        }
        Ok(())
    }

    /// Holds a copied task, command or journal entry to be sent with others of its kind.
    fn hold(&mut self, record: Record) -> Result<(), StoreError> {
        let same_kind = matches!(
            (self.pending.get_mut(), &record),
            (Pending::Tasks(_), Record::Task(_))
                | (Pending::Commands(_), Record::Command(_))
                | (Pending::Entries(_), Record::Entry(_))
        );
        if !same_kind {
            self.send_pending()?;
        }
        let pending = self.pending.get_mut();
        match (pending, record) {
            (Pending::Tasks(list), Record::Task(task)) => list.push(*task),
            (Pending::Commands(list), Record::Command(command)) => list.push(command),
            (Pending::Entries(list), Record::Entry(entry)) => list.push(*entry),
            (pending, Record::Task(task)) => *pending = Pending::Tasks(vec![*task]),
            (pending, Record::Command(command)) => *pending = Pending::Commands(vec![command]),
            (pending, Record::Entry(entry)) => *pending = Pending::Entries(vec![*entry]),
            (_, other) => {
                return Err(StoreError::Backend(format!(
                    "{other:?} is not copied in bulk"
                )));
            }
        }
        Ok(())
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        self.send_pending()?;
        let mut slot = self.client.borrow_mut();
        let client = slot
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
        client.query(sql, params).map_err(pg_error)
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, StoreError> {
        self.send_pending()?;
        let mut slot = self.client.borrow_mut();
        let client = slot
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
        client.execute(sql, params).map_err(pg_error)
    }

    fn ids(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<TaskId>, StoreError> {
        Ok(self
            .query(sql, params)?
            .iter()
            .map(|r| id_of(r.get(0)))
            .collect())
    }

    fn tasks(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Task>, StoreError> {
        self.query(sql, params)?
            .iter()
            .map(|r| task_row(r.get(0), r.get(1)))
            .collect()
    }

    /// A value of `tme_meta`: a counter or a stamp, all 64 bits of it (a `bigint` holds the
    /// same bits; stamps are hashes and use the top one).
    fn meta(&self, name: &str) -> Result<Option<u64>, StoreError> {
        self.send_pending()?;
        let mut slot = self.client.borrow_mut();
        let conn = slot
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
        meta_on(conn, name)
    }

    fn set_meta(&self, name: &str, value: u64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO tme_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&name, &i64::from_ne_bytes(value.to_ne_bytes())],
        )?;
        Ok(())
    }

    /// Adds `delta` to one of the tallies `counts` reads (`count_open`, `count_closed`,
    /// `count_journal`).
    fn tally(&self, name: &str, delta: i64) -> Result<(), StoreError> {
        if delta != 0 {
            self.execute(
                "UPDATE tme_meta SET value = value + $2 WHERE key = $1",
                &[&name, &delta],
            )?;
        }
        Ok(())
    }

    /// Moves a task between the open and closed tallies as its row goes from `old` to `new`.
    fn tally_task(
        &self,
        old: &crate::store::entries::IndexEntries,
        new: &crate::store::entries::IndexEntries,
    ) -> Result<(), StoreError> {
        let (before, after) = (tally_of(old), tally_of(new));
        if before != after {
            for (name, delta) in before
                .map(|n| (n, -1))
                .into_iter()
                .chain(after.map(|n| (n, 1)))
            {
                self.tally(name, delta)?;
            }
        }
        Ok(())
    }

    /// Takes the next value of a counter (or `wanted`, when the counter has not reached it and
    /// it lies in the lower half of the ids), leaving the counter after it.
    fn take_counter(&self, name: &str, wanted: u64) -> Result<u64, StoreError> {
        let next = self.meta(name)?.unwrap_or(1);
        let (value, after) = crate::store::advance_counter(name, next, wanted)?;
        self.set_meta(name, after)?;
        Ok(value)
    }

    fn entries(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<JournalEntry>, StoreError> {
        self.query(sql, params)?
            .iter()
            .map(|r| {
                let seq = u64::try_from(r.get::<_, i64>(0)).unwrap_or(0);
                codec::decode_entry(seq, r.get(1))
                    .map_err(record_error(|| format!("journal entry {seq}")))
            })
            .collect()
    }

    fn command_row(id: i64, doc: &[u8]) -> Result<Command, StoreError> {
        let id = u64::try_from(id).unwrap_or(0);
        codec::decode_command(id, doc).map_err(record_error(|| format!("command {id}")))
    }

    fn command_id(&self) -> Result<CommandId, StoreError> {
        self.command.ok_or_else(|| {
            StoreError::Backend("a change was written before its command began".into())
        })
    }

    /// Writes the row, its tags and dependencies and the journal entry for a task going from
    /// its stored state to `after` (`None`: removed).
    fn replace(
        &mut self,
        op: Op,
        id: TaskId,
        after: Option<&Task>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.dirty = true;
        let command = self.command_id()?;
        let before = self.task(id)?;
        self.write_row(id, &entries(before.as_ref()), after)?;
        let seq = self.take_counter("next_seq", 0)?;
        self.insert_entry(&JournalEntry {
            seq,
            command,
            at,
            task: id,
            op,
            before,
            after: after.cloned(),
        })
    }

    fn insert_entry(&self, entry: &JournalEntry) -> Result<(), StoreError> {
        let doc = codec::encode_entry(entry).map_err(record_error(|| "journal entry".into()))?;
        self.execute(
            "INSERT INTO journal (seq, command, task, at, doc) VALUES ($1, $2, $3, $4, $5)",
            &[
                &key(entry.seq),
                &key(entry.command.0),
                &key(entry.task.0),
                &entry.at,
                &doc,
            ],
        )?;
        self.tally("count_journal", 1)
    }

    fn insert_command(&self, command: &Command) -> Result<(), StoreError> {
        let doc = codec::encode_command(command).map_err(record_error(|| "command".into()))?;
        self.execute(
            "INSERT INTO commands (id, at, actor, doc) VALUES ($1, $2, $3, $4)",
            &[&key(command.id.0), &command.at, &command.actor, &doc],
        )?;
        Ok(())
    }

    /// Writes task `id`'s row, tags and dependencies as `after` has them (`None`: removed),
    /// from what its index entries were (`old`).
    fn write_row(
        &self,
        id: TaskId,
        old: &crate::store::entries::IndexEntries,
        after: Option<&Task>,
    ) -> Result<(), StoreError> {
        let new = entries(after);
        self.tally_task(old, &new)?;
        match after {
            Some(task) => {
                let row = TaskColumns::of(task, old, &new)?;
                self.execute(&UPSERT_TASK, &row.values())?;
                if old.tags != new.tags {
                    self.execute("DELETE FROM task_tags WHERE task = $1", &[&key(id.0)])?;
                    for tag in &new.tags {
                        self.execute(
                            "INSERT INTO task_tags (task, tag) VALUES ($1, $2)",
                            &[&key(id.0), tag],
                        )?;
                    }
                }
                if old.depends != new.depends {
                    self.execute("DELETE FROM dependencies WHERE task = $1", &[&key(id.0)])?;
                    for (on, kind) in &new.depends {
                        self.execute(
                            "INSERT INTO dependencies (task, on_task, kind) VALUES ($1, $2, $3)",
                            &[&key(id.0), &key(*on), &i16::from(*kind)],
                        )?;
                    }
                }
                if task.status.is_open() {
                    self.execute(
                        "INSERT INTO task_ranks (id, rank) VALUES ($1, $2)
                         ON CONFLICT (id) DO UPDATE SET rank = EXCLUDED.rank",
                        &[&key(id.0), &rank_record(task)?],
                    )?;
                } else if tally_of(old) == Some("count_open") {
                    self.execute("DELETE FROM task_ranks WHERE id = $1", &[&key(id.0)])?;
                }
            }
            None => {
                // Its tags, dependencies and rank go with it (ON DELETE CASCADE).
                self.execute("DELETE FROM tasks WHERE id = $1", &[&key(id.0)])?;
            }
        }
        Ok(())
    }

    /// Runs `sql` and hands each row to `each` as it arrives, without holding them all, until
    /// `each` returns `false`.
    fn stream(
        &self,
        sql: &str,
        each: &mut dyn FnMut(&postgres::Row) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        self.send_pending()?;
        let mut slot = self.client.borrow_mut();
        let client = slot
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
        let mut rows = client
            .client()
            .query_raw(sql, std::iter::empty::<i64>())
            .map_err(pg_error)?;
        while let Some(row) = rows.next().map_err(pg_error)? {
            if !each(&row)? {
                break;
            }
        }
        Ok(())
    }

    /// Checks one snapshot: every row decodes, its columns, tags and dependencies say what the
    /// task says, every journal entry and command decodes, the journal replayed gives the rows,
    /// and the counters are past everything they counted.
    pub fn check(self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let mut fingerprints: BTreeMap<u64, u64> = BTreeMap::new();
        let mut tags: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for row in self.query("SELECT task, tag FROM task_tags ORDER BY task, tag", &[])? {
            tags.entry(row.get(0)).or_default().push(row.get(1));
        }
        let mut depends: BTreeMap<i64, Vec<(i64, i16)>> = BTreeMap::new();
        for row in self.query(
            "SELECT task, on_task, kind FROM dependencies ORDER BY task, on_task",
            &[],
        )? {
            depends
                .entry(row.get(0))
                .or_default()
                .push((row.get(1), row.get(2)));
        }
        let mut ranks: BTreeMap<i64, Vec<u8>> = BTreeMap::new();
        for row in self.query("SELECT id, rank FROM task_ranks", &[])? {
            ranks.insert(row.get(0), row.get(1));
        }
        let rows = self.query(
            "SELECT id, doc, status, category, parent, template, occurrence, title, open,
                    priority, sort_key, uuid
             FROM tasks ORDER BY id",
            &[],
        )?;
        for row in rows {
            let id: i64 = row.get(0);
            report.tasks += 1;
            let task = match task_row(id, row.get(1)) {
                Ok(task) => task,
                Err(e) => {
                    report.problems.push(e.to_string());
                    report.lasting += 1;
                    continue;
                }
            };
            if task.status.is_open() {
                report.open += 1;
            }
            fingerprints.insert(task.id.0, fingerprint(&task));
            let want = entries(Some(&task));
            let mut wrong = |what: &str| {
                report
                    .problems
                    .push(format!("task {id}: {what} disagrees with the task"))
            };
            if want.status.map(|(code, _)| i16::from(code)) != Some(row.get::<_, i16>(2)) {
                wrong("the status column");
            }
            if want.category != row.get::<_, Option<String>>(3) {
                wrong("the category column");
            }
            if task.title != row.get::<_, String>(7)
                || task.status.is_open() != row.get::<_, bool>(8)
            {
                wrong("the title or open column");
            }
            if task.priority.map(|p| p.letter().to_string()) != row.get::<_, Option<String>>(9) {
                wrong("the priority column");
            }
            if want.status.map(|(_, k)| k) != Some(row.get::<_, i64>(10)) {
                wrong("the sort key column");
            }
            if task.uuid != row.get::<_, Uuid>(11) {
                wrong("the uuid column");
            }
            if want.parent.map(key) != row.get::<_, Option<i64>>(4) {
                wrong("the parent column");
            }
            let instance = want.instance.map(|(t, o)| (key(t), o));
            if instance
                != row
                    .get::<_, Option<i64>>(5)
                    .zip(row.get::<_, Option<i64>>(6))
            {
                wrong("the template and occurrence columns");
            }
            let stored_tags = tags.remove(&id).unwrap_or_default();
            if stored_tags != want.tags.iter().cloned().collect::<Vec<_>>() {
                wrong("the tags table");
            }
            let stored_deps = depends.remove(&id).unwrap_or_default();
            let want_deps: Vec<(i64, i16)> = want
                .depends
                .iter()
                .map(|(on, kind)| (key(*on), i16::from(*kind)))
                .collect();
            if stored_deps != want_deps {
                wrong("the dependencies table");
            }
            let rank = ranks
                .remove(&id)
                .map(|bytes| codec::decode_rank(&bytes).ok());
            match (task.status.is_open(), rank) {
                (true, Some(Some(rank))) if rank == Rank::of(&task) => {}
                (false, None) => {}
                (true, None) => wrong("the ranks table (the task has no rank)"),
                (true, Some(_)) => wrong("the ranks table"),
                (false, Some(_)) => wrong("the ranks table (a closed task has a rank)"),
            }
        }
        // The journal replayed: the last change of each task leaves it as its row is.
        let mut last: BTreeMap<u64, Option<u64>> = BTreeMap::new();
        let (mut last_seq, mut last_command) = (0, 0);
        for row in self.query("SELECT seq, doc FROM journal ORDER BY seq", &[])? {
            report.journal += 1;
            let seq = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
            last_seq = seq;
            match codec::decode_entry(seq, row.get(1)) {
                Ok(entry) => {
                    last_command = last_command.max(entry.command.0);
                    last.insert(entry.task.0, entry.after.as_ref().map(fingerprint));
                }
                Err(e) => {
                    report.problems.push(format!("journal entry {seq}: {e}"));
                    report.lasting += 1;
                }
            }
        }
        let differ: Vec<u64> = fingerprints
            .keys()
            .chain(last.keys())
            .copied()
            .collect::<std::collections::BTreeSet<u64>>()
            .into_iter()
            .filter(|id| last.get(id).copied().flatten() != fingerprints.get(id).copied())
            .collect();
        if let Some(first) = differ.first() {
            report.problems.push(format!(
                "{} task(s) differ from what the journal says they became (the first: task {first})",
                differ.len()
            ));
            report.lasting += 1;
        }
        for row in self.query("SELECT id, doc FROM commands ORDER BY id", &[])? {
            if let Err(e) = Self::command_row(row.get(0), row.get(1)) {
                report.problems.push(e.to_string());
                report.lasting += 1;
            }
        }
        for row in self.query("SELECT name, doc FROM api_tokens ORDER BY name", &[])? {
            if let Err(e) = codec::decode_token(row.get(1)) {
                let name: &str = row.get(0);
                report.problems.push(format!("token {name}: {e}"));
                report.lasting += 1;
            }
        }
        let highest = fingerprints
            .keys()
            .chain(last.keys())
            .max()
            .copied()
            .unwrap_or(0);
        for (name, what, used) in [
            ("next_id", "task id", highest),
            ("next_seq", "journal number", last_seq),
            ("next_command", "command number", last_command),
        ] {
            let next = self.meta(name)?.unwrap_or(1);
            if used > 0 && next <= used {
                report.problems.push(format!(
                    "the next {what} ({next}) is not past the highest one used ({used})"
                ));
            }
        }
        let counted = self.query(
            &format!(
                "SELECT (SELECT count(*) FROM tasks WHERE {OPEN_ROWS}),
                        (SELECT count(*) FROM tasks WHERE NOT {OPEN_ROWS}),
                        (SELECT count(*) FROM journal)"
            ),
            &[],
        )?;
        let kept = self.counts()?;
        if let Some(row) = counted.first() {
            for (i, (what, kept)) in [
                ("open tasks", kept.open),
                ("closed tasks", kept.closed),
                ("journal entries", kept.journal),
            ]
            .into_iter()
            .enumerate()
            {
                let there = u64::try_from(row.get::<_, i64>(i)).unwrap_or(0);
                if there != kept {
                    report.problems.push(format!(
                        "the count of {what} says {kept}, but there are {there}"
                    ));
                }
            }
        }
        Ok(report)
    }

    fn finish(&self, sql: &str) -> Result<(), StoreError> {
        let client = self.client.borrow_mut().take();
        let Some(mut client) = client else {
            return Err(StoreError::Backend("the transaction has ended".into()));
        };
        let outcome = client.client().batch_execute(sql).map_err(pg_error);
        if outcome.is_ok() {
            self.store.give_back(client);
        }
        outcome
    }
}

impl Drop for PgTxn<'_> {
    fn drop(&mut self) {
        if self.client.borrow().is_some() {
            let _ = self.finish("ROLLBACK");
        }
    }
}

impl StoreRead for PgTxn<'_> {
    fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        Ok(self
            .tasks("SELECT id, doc FROM tasks WHERE id = $1", &[&key(id.0)])?
            .pop())
    }

    fn tasks_by_id(&self, ids: &[TaskId]) -> Result<Vec<Task>, StoreError> {
        let keys: Vec<i64> = ids.iter().map(|id| key(id.0)).collect();
        self.tasks("SELECT id, doc FROM tasks WHERE id = ANY($1)", &[&keys])
    }

    fn id_by_uuid(&self, uuid: Uuid) -> Result<Option<TaskId>, StoreError> {
        Ok(self
            .ids("SELECT id FROM tasks WHERE uuid = $1", &[&uuid])?
            .pop())
    }

    fn open_tasks(&self) -> Result<Vec<Arc<Task>>, StoreError> {
        let rows = self.query(&format!("SELECT id, doc FROM tasks WHERE {OPEN_ROWS}"), &[])?;
        let mut tasks = decode_rows(&rows, |id, doc| task_row(id, doc).map(Arc::new))?;
        // Put in id order here: the server would sort 100,000 rows (on disk, past work_mem).
        tasks.sort_unstable_by_key(|t| t.id);
        Ok(tasks)
    }

    fn open_ranks(&self) -> Result<Vec<Rank>, StoreError> {
        // A run of records per core, rather than a row per task: 100,000 rows cost more to
        // receive than their few megabytes do.
        let threads = crate::store::redb_store::scan_threads();
        let rows = self.query(
            "SELECT string_agg(rank, ''::bytea) FROM task_ranks GROUP BY id % $1",
            &[&i64::try_from(threads).unwrap_or(1)],
        )?;
        let runs: Vec<&[u8]> = rows.iter().map(|row| row.get(0)).collect();
        let size: usize = runs.iter().map(|run| run.len()).sum();
        let mut ranks = decode_parts(runs, size >= PARALLEL_RANKS_FROM, |run| {
            codec::decode_ranks(run).map_err(record_error(|| "the rank records".into()))
        })?;
        ranks.sort_unstable_by_key(|r| r.id);
        Ok(ranks)
    }

    fn visit_closed(&self, visit: &mut dyn FnMut(Task) -> bool) -> Result<(), StoreError> {
        // Closed tasks may be millions: streamed, never all held at once.
        self.stream(
            &format!("SELECT id, doc FROM tasks WHERE NOT {OPEN_ROWS} ORDER BY id"),
            &mut |r| Ok(visit(task_row(r.get(0), r.get(1))?)),
        )
    }

    fn scan_closed(
        &self,
        _parts: usize,
        visit: &(dyn Fn(usize, Task) + Sync),
    ) -> Result<(), StoreError> {
        self.visit_closed(&mut |task| {
            visit(0, task);
            true
        })
    }

    fn ids_in_category(&self, category: &Category) -> Result<Vec<TaskId>, StoreError> {
        let name = category.key();
        let below = format!(
            "{}.%",
            name.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.ids(
            "SELECT id FROM tasks WHERE category = $1 OR category LIKE $2 ORDER BY id",
            &[&name, &below],
        )
    }

    fn ids_with_tag(&self, tag: &Tag) -> Result<Vec<TaskId>, StoreError> {
        self.ids(
            "SELECT task FROM task_tags WHERE tag = $1 ORDER BY task",
            &[&tag.key()],
        )
    }

    fn is_open(&self, id: TaskId) -> Result<bool, StoreError> {
        Ok(!self
            .query("SELECT 1 FROM tasks WHERE id = $1 AND open", &[&key(id.0)])?
            .is_empty())
    }

    fn depends_on(&self, id: TaskId) -> Result<Vec<(TaskId, DepKind)>, StoreError> {
        edges(self.query(
            "SELECT on_task, kind FROM dependencies WHERE task = $1 ORDER BY on_task",
            &[&key(id.0)],
        )?)
    }

    fn dependents(&self, id: TaskId) -> Result<Vec<(TaskId, DepKind)>, StoreError> {
        edges(self.query(
            "SELECT task, kind FROM dependencies WHERE on_task = $1 ORDER BY task",
            &[&key(id.0)],
        )?)
    }

    fn children(&self, id: TaskId) -> Result<Vec<TaskId>, StoreError> {
        self.ids(
            "SELECT id FROM tasks WHERE parent = $1 ORDER BY id",
            &[&key(id.0)],
        )
    }

    fn subtask_links(&self) -> Result<Vec<(TaskId, TaskId)>, StoreError> {
        Ok(self
            .query(
                "SELECT parent, id FROM tasks WHERE parent IS NOT NULL ORDER BY parent, id",
                &[],
            )?
            .iter()
            .map(|r| (id_of(r.get(0)), id_of(r.get(1))))
            .collect())
    }

    fn history(&self, id: TaskId) -> Result<Vec<JournalEntry>, StoreError> {
        self.entries(
            "SELECT seq, doc FROM journal WHERE task = $1 ORDER BY seq",
            &[&key(id.0)],
        )
    }

    fn entries_of(&self, command: CommandId) -> Result<Vec<JournalEntry>, StoreError> {
        self.entries(
            "SELECT seq, doc FROM journal WHERE command = $1 ORDER BY seq",
            &[&key(command.0)],
        )
    }

    fn journal_after(&self, command: CommandId) -> Result<Vec<JournalEntry>, StoreError> {
        self.entries(
            "SELECT seq, doc FROM journal WHERE command > $1 ORDER BY seq",
            &[&key(command.0)],
        )
    }

    fn command(&self, id: CommandId) -> Result<Option<Command>, StoreError> {
        self.query("SELECT id, doc FROM commands WHERE id = $1", &[&key(id.0)])?
            .first()
            .map(|r| Self::command_row(r.get(0), r.get(1)))
            .transpose()
    }

    fn visit_commands_newest_first(
        &self,
        visit: &mut dyn FnMut(Command) -> bool,
    ) -> Result<(), StoreError> {
        // A page at a time: undo looks at the newest few of what may be millions.
        let mut before = i64::MAX;
        loop {
            let rows = self.query(
                "SELECT id, doc FROM commands WHERE id < $1 ORDER BY id DESC LIMIT 200",
                &[&before],
            )?;
            if rows.is_empty() {
                return Ok(());
            }
            for row in &rows {
                before = row.get(0);
                if !visit(Self::command_row(row.get(0), row.get(1))?) {
                    return Ok(());
                }
            }
        }
    }

    fn change_stamp(&self) -> Result<u64, StoreError> {
        Ok(self.meta(STAMP)?.unwrap_or(0))
    }

    fn open_due_by(&self, until: i64) -> Result<Vec<TaskId>, StoreError> {
        // Tasks without a due date sort last, at i64::MAX.
        let until = until.min(i64::MAX - 1);
        self.ids(
            "SELECT id FROM tasks WHERE status = ANY($1) AND sort_key <= $2
             ORDER BY status, sort_key, id",
            &[
                &vec![
                    i16::from(status_code(Status::Pending)),
                    i16::from(status_code(Status::Started)),
                ],
                &until,
            ],
        )
    }

    fn count_closed_since(&self, status: Status, since: DateTime<Utc>) -> Result<u64, StoreError> {
        let row = self.query(
            "SELECT count(*) FROM tasks WHERE status = $1 AND sort_key >= $2",
            &[&i16::from(status_code(status)), &since.timestamp()],
        )?;
        Ok(row
            .first()
            .map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
    }

    fn counts(&self) -> Result<StoreCounts, StoreError> {
        Ok(StoreCounts {
            open: self.meta("count_open")?.unwrap_or(0),
            closed: self.meta("count_closed")?.unwrap_or(0),
            journal: self.meta("count_journal")?.unwrap_or(0),
        })
    }

    fn instances(&self, template: TaskId) -> Result<Vec<(DateTime<Utc>, TaskId)>, StoreError> {
        Ok(self
            .query(
                "SELECT occurrence, id FROM tasks WHERE template = $1 ORDER BY occurrence",
                &[&key(template.0)],
            )?
            .iter()
            .map(|r| (millis(r.get(0)), id_of(r.get(1))))
            .collect())
    }

    fn first_recurrence_check(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .query("SELECT min(recurrence_check) FROM tasks", &[])?
            .first()
            .and_then(|r| r.get::<_, Option<i64>>(0))
            .map(millis))
    }

    fn recurrence_due(&self, now: DateTime<Utc>) -> Result<Vec<TaskId>, StoreError> {
        self.ids(
            "SELECT id FROM tasks WHERE recurrence_check <= $1 ORDER BY recurrence_check, id",
            &[&now.timestamp_millis()],
        )
    }

    fn stamp(&self, name: &str) -> Result<Option<u64>, StoreError> {
        self.meta(&format!("stamp:{name}"))
    }

    fn visit_records(
        &self,
        visit: &mut dyn FnMut(Record) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for counter in [Counter::TaskId, Counter::Journal, Counter::Command] {
            if let Some(value) = self.meta(counter_key(counter))? {
                visit(Record::Counter(counter, value))?;
            }
        }
        self.stream("SELECT id, doc FROM tasks ORDER BY id", &mut |r| {
            visit(Record::Task(Box::new(task_row(r.get(0), r.get(1))?))).map(|()| true)
        })?;
        self.stream("SELECT id, doc FROM commands ORDER BY id", &mut |r| {
            visit(Record::Command(Self::command_row(r.get(0), r.get(1))?)).map(|()| true)
        })?;
        self.stream("SELECT seq, doc FROM journal ORDER BY seq", &mut |r| {
            let seq = u64::try_from(r.get::<_, i64>(0)).unwrap_or(0);
            let entry = codec::decode_entry(seq, r.get(1))
                .map_err(record_error(|| format!("journal entry {seq}")))?;
            visit(Record::Entry(Box::new(entry))).map(|()| true)
        })?;
        let checks = self.query(
            "SELECT id, recurrence_check FROM tasks WHERE recurrence_check IS NOT NULL ORDER BY id",
            &[],
        )?;
        for row in checks {
            visit(Record::Check(id_of(row.get(0)), millis(row.get(1))))?;
        }
        let stamps = self.query(
            "SELECT key, value FROM tme_meta WHERE key LIKE 'stamp:%' ORDER BY key",
            &[],
        )?;
        for row in stamps {
            let name: String = row.get(0);
            let value = u64::try_from(row.get::<_, i64>(1)).unwrap_or(0);
            visit(Record::Stamp(name["stamp:".len()..].to_string(), value))?;
        }
        for token in self.tokens()? {
            visit(Record::Token(token))?;
        }
        Ok(())
    }

    fn tokens(&self) -> Result<Vec<crate::domain::ApiToken>, StoreError> {
        self.query("SELECT name, doc FROM api_tokens ORDER BY name", &[])?
            .iter()
            .map(|row| {
                codec::decode_token(row.get(1))
                    .map_err(record_error(|| format!("token {}", row.get::<_, &str>(0))))
            })
            .collect()
    }
}

/// The columns of a task's row, as both a write and a bulk copy send them.
struct TaskColumns {
    id: i64,
    uuid: Uuid,
    status: i16,
    open: bool,
    sort_key: i64,
    title: String,
    category: Option<String>,
    priority: Option<&'static str>,
    parent: Option<i64>,
    template: Option<i64>,
    occurrence: Option<i64>,
    series: Option<String>,
    check: Option<i64>,
    doc: Vec<u8>,
}

/// The columns of `tasks`, in the order of [`TaskColumns::values`].
pub(super) const TASK_COLUMN_NAMES: [&str; 14] = [
    "id",
    "uuid",
    "status",
    "open",
    "sort_key",
    "title",
    "category",
    "priority",
    "parent",
    "template",
    "occurrence",
    "series",
    "recurrence_check",
    "doc",
];

/// The assignments that make a `tasks` row what the row `from` (with the same columns) says:
/// every column but the id, and the ticker's next look at a series kept while the series is
/// the same.
pub(super) fn task_updates(from: &str) -> String {
    let mut sets: Vec<String> = TASK_COLUMN_NAMES[1..]
        .iter()
        .filter(|name| **name != "recurrence_check")
        .map(|name| format!("{name} = {from}.{name}"))
        .collect();
    sets.push(format!(
        "recurrence_check = CASE WHEN {from}.series IS NULL THEN NULL
             WHEN tasks.series IS DISTINCT FROM {from}.series THEN {from}.recurrence_check
             ELSE tasks.recurrence_check END"
    ));
    sets.join(", ")
}

/// Writes one task's row, new or not.
static UPSERT_TASK: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let values: Vec<String> = (1..=TASK_COLUMN_NAMES.len())
        .map(|i| format!("${i}"))
        .collect();
    format!(
        "INSERT INTO tasks ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
        TASK_COLUMN_NAMES.join(", "),
        values.join(", "),
        task_updates("EXCLUDED")
    )
});

/// The column types of [`TaskColumns::values`], for a binary copy.
const TASK_COLUMN_TYPES: [Type; 14] = [
    Type::INT8,
    Type::UUID,
    Type::INT2,
    Type::BOOL,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::BYTEA,
];

impl TaskColumns {
    /// The row of `task`, whose index entries were `old` and are now `new`. A new or changed
    /// series is looked at by the next tick.
    fn of(
        task: &Task,
        old: &crate::store::entries::IndexEntries,
        new: &crate::store::entries::IndexEntries,
    ) -> Result<TaskColumns, StoreError> {
        let (template, occurrence) = new
            .instance
            .map_or((None, None), |(t, o)| (Some(key(t)), Some(o)));
        Ok(TaskColumns {
            id: key(task.id.0),
            uuid: task.uuid,
            status: i16::from(status_code(task.status)),
            open: task.status.is_open(),
            sort_key: new.status.map_or(0, |(_, k)| k),
            title: task.title.clone(),
            category: new.category.clone(),
            priority: task.priority.map(|p| p.letter()),
            parent: new.parent.map(key),
            template,
            occurrence,
            series: new.series.as_ref().map(|s| format!("{s:?}")),
            check: if old.series == new.series {
                None
            } else {
                new.series.as_ref().map(|_| i64::MIN)
            },
            doc: codec::encode_task(task).map_err(record_error(|| format!("task {}", task.id)))?,
        })
    }

    /// The values in the order of the `tasks` columns.
    fn values(&self) -> [&(dyn ToSql + Sync); 14] {
        [
            &self.id,
            &self.uuid,
            &self.status,
            &self.open,
            &self.sort_key,
            &self.title,
            &self.category,
            &self.priority,
            &self.parent,
            &self.template,
            &self.occurrence,
            &self.series,
            &self.check,
            &self.doc,
        ]
    }
}

/// Records being copied in and not sent yet: a run of one kind, sent with one `COPY`.
#[derive(Default)]
enum Pending {
    #[default]
    Nothing,
    Tasks(Vec<Task>),
    Commands(Vec<Command>),
    Entries(Vec<JournalEntry>),
}

/// Sends a run of copied records with `COPY … FROM STDIN BINARY`: tasks with their tags and
/// dependencies, commands, or journal entries. Returns what the tallies of `counts` gain.
fn send(conn: &mut Conn, pending: Pending) -> Result<Vec<(&'static str, i64)>, StoreError> {
    match pending {
        Pending::Nothing => Ok(Vec::new()),
        Pending::Tasks(tasks) => copy_tasks(conn.client(), &tasks, "tasks"),
        Pending::Commands(commands) => copy_rows(
            conn.client(),
            "commands (id, at, actor, doc)",
            &[Type::INT8, Type::TIMESTAMPTZ, Type::TEXT, Type::BYTEA],
            commands.iter(),
            |c| {
                let doc = codec::encode_command(c).map_err(record_error(|| "command".into()))?;
                Ok((key(c.id.0), c.at, c.actor.as_str(), doc))
            },
            |(id, at, actor, doc), writer| writer.write(&[id, at, actor, doc]),
        )
        .map(|()| Vec::new()),
        Pending::Entries(list) => {
            let added = i64::try_from(list.len()).unwrap_or(i64::MAX);
            copy_rows(
                conn.client(),
                "journal (seq, command, task, at, doc)",
                &[
                    Type::INT8,
                    Type::INT8,
                    Type::INT8,
                    Type::TIMESTAMPTZ,
                    Type::BYTEA,
                ],
                list.iter(),
                |e| {
                    let doc =
                        codec::encode_entry(e).map_err(record_error(|| "journal entry".into()))?;
                    Ok((key(e.seq), key(e.command.0), key(e.task.0), e.at, doc))
                },
                |(seq, command, task, at, doc), writer| {
                    writer.write(&[seq, command, task, at, doc])
                },
            )?;
            Ok(vec![("count_journal", added)])
        }
    }
}

/// Copies tasks in with `COPY … FROM STDIN BINARY`: their rows into `rows` (`tasks`, or a
/// table like it), their tags, dependencies and rank records into theirs. Returns what the
/// open and closed tallies gain.
pub(super) fn copy_tasks(
    client: &mut impl GenericClient,
    tasks: &[Task],
    rows: &str,
) -> Result<Vec<(&'static str, i64)>, StoreError> {
    let none = crate::store::entries::IndexEntries::default();
    let mut tags = Vec::new();
    let mut depends = Vec::new();
    let mut ranks = Vec::new();
    let mut tallies = vec![("count_open", 0), ("count_closed", 0)];
    copy_rows(
        client,
        &format!("{rows} ({})", TASK_COLUMN_NAMES.join(", ")),
        &TASK_COLUMN_TYPES,
        tasks.iter(),
        |task| {
            let new = entries(Some(task));
            for (name, added) in &mut tallies {
                *added += i64::from(tally_of(&new) == Some(*name));
            }
            let id = key(task.id.0);
            tags.extend(new.tags.iter().map(|tag| (id, tag.clone())));
            depends.extend(
                new.depends
                    .iter()
                    .map(|(on, kind)| (id, key(*on), i16::from(*kind))),
            );
            if task.status.is_open() {
                ranks.push((id, rank_record(task)?));
            }
            TaskColumns::of(task, &none, &new)
        },
        |row, writer| writer.write(&row.values()),
    )?;
    copy_ranks(client, ranks)?;
    copy_rows(
        client,
        "task_tags (task, tag)",
        &[Type::INT8, Type::TEXT],
        tags.iter(),
        Ok,
        |(task, tag), writer| writer.write(&[task, tag]),
    )?;
    copy_rows(
        client,
        "dependencies (task, on_task, kind)",
        &[Type::INT8, Type::INT8, Type::INT2],
        depends.iter(),
        Ok,
        |(task, on, kind), writer| writer.write(&[task, on, kind]),
    )?;
    Ok(tallies)
}

/// Copies rank records (task id, record) into `task_ranks`.
fn copy_ranks(
    client: &mut impl GenericClient,
    ranks: Vec<(i64, Vec<u8>)>,
) -> Result<(), StoreError> {
    copy_rows(
        client,
        "task_ranks (id, rank)",
        &[Type::INT8, Type::BYTEA],
        ranks.iter(),
        Ok,
        |(id, rank), writer| writer.write(&[id, rank]),
    )
}

/// Migration 3: a rank record for every open task of a database that had none.
pub(super) fn fill_ranks(txn: &mut postgres::Transaction<'_>) -> Result<(), StoreError> {
    let rows = txn
        .query(&format!("SELECT id, doc FROM tasks WHERE {OPEN_ROWS}"), &[])
        .map_err(pg_error)?;
    let ranks = decode_rows(&rows, |id, doc| {
        let rank = codec::decode_rank(doc).map_err(record_error(|| format!("task {id}")))?;
        let record = codec::encode_rank(&rank).map_err(record_error(|| format!("task {id}")))?;
        Ok((id, record))
    })?;
    copy_ranks(txn, ranks)
}

/// Copies `items` into `target` (a table and its columns), each turned into a row by `row`
/// and written by `write`.
fn copy_rows<I, R>(
    client: &mut impl GenericClient,
    target: &str,
    types: &[Type],
    items: impl Iterator<Item = I>,
    mut row: impl FnMut(I) -> Result<R, StoreError>,
    write: impl Fn(&R, &mut BinaryCopyInWriter<'_>) -> Result<(), postgres::Error>,
) -> Result<(), StoreError> {
    let sink = client
        .copy_in(&format!("COPY {target} FROM STDIN BINARY"))
        .map_err(pg_error)?;
    let mut writer = BinaryCopyInWriter::new(sink, types);
    for item in items {
        write(&row(item)?, &mut writer).map_err(pg_error)?;
    }
    writer.finish().map_err(pg_error)?;
    Ok(())
}

/// The tally a task with these index entries counts in: open or closed (none when absent).
fn tally_of(entries: &crate::store::entries::IndexEntries) -> Option<&'static str> {
    entries.status.map(|(code, _)| {
        if code == status_code(Status::Pending) || code == status_code(Status::Started) {
            "count_open"
        } else {
            "count_closed"
        }
    })
}

/// Decodes rows of (id, doc); as many as a redb scan splits, by every core at once (in no
/// particular order).
fn decode_rows<T: Send>(
    rows: &[postgres::Row],
    decode: fn(i64, &[u8]) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let threads = crate::store::redb_store::scan_threads();
    let many = (rows.len() as u64) >= crate::store::redb_store::PARALLEL_SCAN_FROM;
    let parts: Vec<&[postgres::Row]> = rows.chunks(rows.len().div_ceil(threads).max(1)).collect();
    decode_parts(parts, many, |part| {
        part.iter().map(|r| decode(r.get(0), r.get(1))).collect()
    })
}

/// Decodes each part (with `parallel`, each on a thread of its own) and joins the results in
/// the parts' order.
fn decode_parts<P: Send, T: Send>(
    parts: Vec<P>,
    parallel: bool,
    decode: impl Fn(P) -> Result<Vec<T>, StoreError> + Sync,
) -> Result<Vec<T>, StoreError> {
    let decoded: Vec<Result<Vec<T>, StoreError>> = if parallel && parts.len() > 1 {
        std::thread::scope(|scope| {
            let decode = &decode;
            let workers: Vec<_> = parts
                .into_iter()
                .map(|part| scope.spawn(move || decode(part)))
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join().unwrap_or_else(|_| {
                        Err(StoreError::Backend("a decoding thread failed".into()))
                    })
                })
                .collect()
        })
    } else {
        parts.into_iter().map(&decode).collect()
    };
    let mut out = Vec::new();
    for part in decoded {
        out.extend(part?);
    }
    Ok(out)
}

/// From this many bytes of rank records on, each core decodes a share.
const PARALLEL_RANKS_FROM: usize = 512 * 1024;

/// The counter that moves with every command, doubling as the change stamp.
pub(super) const STAMP: &str = "next_command";

/// A number kept in `tme_meta` (stored as the bits of a signed number), read on `conn`.
pub(super) fn meta_on(conn: &mut Conn, name: &str) -> Result<Option<u64>, StoreError> {
    Ok(conn
        .query("SELECT value FROM tme_meta WHERE key = $1", &[&name])
        .map_err(pg_error)?
        .first()
        .map(|r| u64::from_ne_bytes(r.get::<_, i64>(0).to_ne_bytes())))
}

/// The condition on `tasks` that picks the open rows, by the status codes of pending and
/// started (waiting and recurring are stored as pending), so that the status index serves it.
pub(super) const OPEN_ROWS: &str = "status IN (0, 1)";

/// The key of a counter in `tme_meta`.
fn counter_key(counter: Counter) -> &'static str {
    match counter {
        Counter::TaskId => "next_id",
        Counter::Journal => "next_seq",
        Counter::Command => "next_command",
    }
}

/// A time kept as milliseconds since the epoch (the earliest time for the lowest key).
fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn edges(rows: Vec<postgres::Row>) -> Result<Vec<(TaskId, DepKind)>, StoreError> {
    rows.iter()
        .map(|r| {
            let kind: i16 = r.get(1);
            let kind = codec::dep_kind_from(u8::try_from(kind).unwrap_or(u8::MAX))
                .map_err(record_error(|| "a dependency's kind".into()))?;
            Ok((id_of(r.get(0)), kind))
        })
        .collect()
}

impl StoreWrite for PgTxn<'_> {
    fn next_task_id(&mut self) -> Result<TaskId, StoreError> {
        self.take_counter("next_id", 0).map(TaskId)
    }

    fn claim_task_id(&mut self, wanted: TaskId) -> Result<TaskId, StoreError> {
        self.take_counter("next_id", wanted.0).map(TaskId)
    }

    fn begin_command(&mut self, start: CommandStart) -> Result<CommandId, StoreError> {
        let id = CommandId(self.take_counter(STAMP, 0)?);
        let command = Command {
            id,
            at: start.at,
            actor: start.actor,
            summary: start.summary,
            kind: start.kind,
            undone_by: None,
        };
        self.insert_command(&command)?;
        self.written =
            Some(codec::encode_command(&command).map_err(record_error(|| "command".into()))?);
        self.command = Some(id);
        Ok(id)
    }

    fn mark_undone(&mut self, command: CommandId, undo: CommandId) -> Result<(), StoreError> {
        let Some(mut record) = self.command(command)? else {
            return Err(StoreError::Backend(format!(
                "command {command} does not exist"
            )));
        };
        record.undone_by = Some(undo);
        let doc = codec::encode_command(&record).map_err(record_error(|| "command".into()))?;
        self.execute(
            "UPDATE commands SET doc = $2 WHERE id = $1",
            &[&key(command.0), &doc],
        )?;
        Ok(())
    }

    fn put_task(&mut self, op: Op, task: &Task, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.replace(op, task.id, Some(task), at)
    }

    fn remove_task(&mut self, op: Op, id: TaskId, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.replace(op, id, None, at)
    }

    fn set_recurrence_check(
        &mut self,
        template: TaskId,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        self.dirty = true;
        self.execute(
            "UPDATE tasks SET recurrence_check = $2 WHERE id = $1",
            &[&key(template.0), &at.map(|t| t.timestamp_millis())],
        )?;
        Ok(())
    }

    fn set_stamp(&mut self, name: &str, value: u64) -> Result<(), StoreError> {
        self.dirty = true;
        self.set_meta(&format!("stamp:{name}"), value)
    }

    fn note_entry(
        &mut self,
        op: Op,
        task: TaskId,
        (before, after): (Option<&Task>, Option<&Task>),
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.dirty = true;
        let command = self.command_id()?;
        let seq = self.take_counter("next_seq", 0)?;
        self.insert_entry(&JournalEntry {
            seq,
            command,
            at,
            task,
            op,
            before: before.cloned(),
            after: after.cloned(),
        })
    }

    fn mirror_row(&mut self, _: TaskId, _: Option<&Task>) -> Result<(), StoreError> {
        Err(not_a_replica())
    }

    fn forget_since(&mut self, _: u64, _: CommandId) -> Result<(), StoreError> {
        Err(not_a_replica())
    }

    fn load_record(&mut self, record: Record) -> Result<(), StoreError> {
        self.dirty = true;
        match record {
            Record::Counter(counter, value) => self.set_meta(counter_key(counter), value),
            record @ (Record::Task(_) | Record::Command(_) | Record::Entry(_)) => self.hold(record),
            Record::Check(template, at) => {
                self.execute(
                    "UPDATE tasks SET recurrence_check = $2 WHERE id = $1",
                    &[&key(template.0), &at.timestamp_millis()],
                )?;
                Ok(())
            }
            Record::Stamp(name, value) => self.set_meta(&format!("stamp:{name}"), value),
            Record::Token(token) => self.put_token(&token),
        }
    }

    fn put_token(&mut self, token: &crate::domain::ApiToken) -> Result<(), StoreError> {
        self.dirty = true;
        let doc = codec::encode_token(token).map_err(record_error(|| "token".into()))?;
        self.execute(
            "INSERT INTO api_tokens (name, doc) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc",
            &[&token.name, &doc],
        )?;
        Ok(())
    }

    fn remove_token(&mut self, name: &str) -> Result<bool, StoreError> {
        self.dirty = true;
        Ok(self.execute("DELETE FROM api_tokens WHERE name = $1", &[&name])? > 0)
    }

    fn is_dirty(&self) -> bool {
        self.dirty
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.send_pending()?;
        let commit = if self.dirty {
            format!("NOTIFY {CHANNEL}; COMMIT")
        } else {
            "COMMIT".to_string()
        };
        match self.finish(&commit) {
            // The connection went while committing: the command's row, looked for on a new
            // connection, says whether the commit landed.
            Err(StoreError::Interrupted(why)) => match (self.command, &self.written) {
                (Some(id), Some(doc)) if self.store.has_command(id, doc)? => Ok(()),
                (Some(_), Some(_)) => Err(StoreError::Interrupted(why)),
                _ => Err(StoreError::Backend(format!(
                    "{why}; whether the last change was saved is not known"
                ))),
            },
            outcome => outcome,
        }
    }
}

/// Why a PostgreSQL database does not take what only a replica does.
fn not_a_replica() -> StoreError {
    StoreError::Backend(
        "a PostgreSQL database is the team's own and never a replica: `tme sync` keeps a file (database: a path) in step with a server".into(),
    )
}
