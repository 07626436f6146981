//! One PostgreSQL transaction: a read-only snapshot, or a write holding the writers' lock.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use postgres::Client;
use postgres::types::ToSql;
use uuid::Uuid;

use super::{PgStore, WRITER_LOCK, pg_error};
use crate::domain::{
    Category, Command, CommandId, DepKind, JournalEntry, Op, Rank, Status, Tag, Task, TaskId,
};
use crate::store::codec::{self, status_code};
use crate::store::entries::{entries, fingerprint};
use crate::store::{
    CheckReport, CommandStart, Counter, Record, StoreCounts, StoreError, StoreRead, StoreWrite,
};

/// A transaction on a [`PgStore`]; dropped without a commit, it rolls back.
pub struct PgTxn<'a> {
    store: &'a PgStore,
    client: RefCell<Option<Client>>,
    command: Option<CommandId>,
    dirty: bool,
}

/// Begins a snapshot or a write (with the writers' lock) on `client`.
fn start(mut client: Client, write: bool) -> Result<Client, StoreError> {
    if write {
        client
            .batch_execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            .map_err(pg_error)?;
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])
            .map_err(pg_error)?;
    } else {
        client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .map_err(pg_error)?;
    }
    Ok(client)
}

fn decode_error(what: String) -> impl FnOnce(codec::CodecError) -> StoreError {
    move |source| StoreError::Record { what, source }
}

fn task_row(id: i64, doc: &[u8]) -> Result<Task, StoreError> {
    codec::decode_task(doc).map_err(decode_error(format!("task {id}")))
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
            dirty: false,
        })
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        let mut slot = self.client.borrow_mut();
        let client = slot
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
        client.query(sql, params).map_err(pg_error)
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, StoreError> {
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
        Ok(self
            .query("SELECT value FROM tme_meta WHERE key = $1", &[&name])?
            .first()
            .map(|r| u64::from_ne_bytes(r.get::<_, i64>(0).to_ne_bytes())))
    }

    fn set_meta(&self, name: &str, value: u64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO tme_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&name, &i64::from_ne_bytes(value.to_ne_bytes())],
        )?;
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
                    .map_err(decode_error(format!("journal entry {seq}")))
            })
            .collect()
    }

    fn command_row(id: i64, doc: &[u8]) -> Result<Command, StoreError> {
        let id = u64::try_from(id).unwrap_or(0);
        codec::decode_command(id, doc).map_err(decode_error(format!("command {id}")))
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
        let doc = codec::encode_entry(entry).map_err(decode_error("journal entry".into()))?;
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
        Ok(())
    }

    fn insert_command(&self, command: &Command) -> Result<(), StoreError> {
        let doc = codec::encode_command(command).map_err(decode_error("command".into()))?;
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
        match after {
            Some(task) => {
                let doc = codec::encode_task(task).map_err(decode_error(format!("task {id}")))?;
                let (template, occurrence) = new
                    .instance
                    .map_or((None, None), |(t, o)| (Some(key(t)), Some(o)));
                let series = new.series.as_ref().map(|s| format!("{s:?}"));
                let sort_key = new.status.map_or(0, |(_, k)| k);
                let priority = task.priority.map(|p| p.letter());
                let check = if old.series == new.series {
                    None
                } else {
                    new.series.as_ref().map(|_| i64::MIN)
                };
                self.execute(
                    "INSERT INTO tasks (id, uuid, status, open, sort_key, title, category,
                         priority, parent, template, occurrence, series, recurrence_check, doc)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                     ON CONFLICT (id) DO UPDATE SET uuid = EXCLUDED.uuid,
                         status = EXCLUDED.status, open = EXCLUDED.open,
                         sort_key = EXCLUDED.sort_key, title = EXCLUDED.title,
                         category = EXCLUDED.category, priority = EXCLUDED.priority,
                         parent = EXCLUDED.parent, template = EXCLUDED.template,
                         occurrence = EXCLUDED.occurrence, series = EXCLUDED.series,
                         recurrence_check = CASE
                             WHEN EXCLUDED.series IS NULL THEN NULL
                             WHEN tasks.series IS DISTINCT FROM EXCLUDED.series
                                 THEN EXCLUDED.recurrence_check
                             ELSE tasks.recurrence_check END,
                         doc = EXCLUDED.doc",
                    &[
                        &key(id.0),
                        &task.uuid,
                        &i16::from(status_code(task.status)),
                        &task.status.is_open(),
                        &sort_key,
                        &task.title,
                        &new.category,
                        &priority,
                        &new.parent.map(key),
                        &template,
                        &occurrence,
                        &series,
                        &check,
                        &doc,
                    ],
                )?;
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
            }
            None => {
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
        let mut slot = self.client.borrow_mut();
        let client = slot
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the transaction has ended".into()))?;
        let mut rows = client
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
        Ok(report)
    }

    fn finish(&self, sql: &str) -> Result<(), StoreError> {
        let client = self.client.borrow_mut().take();
        let Some(mut client) = client else {
            return Err(StoreError::Backend("the transaction has ended".into()));
        };
        let outcome = client.batch_execute(sql).map_err(pg_error);
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

    fn id_by_uuid(&self, uuid: Uuid) -> Result<Option<TaskId>, StoreError> {
        Ok(self
            .ids("SELECT id FROM tasks WHERE uuid = $1", &[&uuid])?
            .pop())
    }

    fn open_tasks(&self) -> Result<Vec<Arc<Task>>, StoreError> {
        Ok(self
            .tasks(
                &format!("SELECT id, doc FROM tasks WHERE {OPEN_ROWS} ORDER BY id"),
                &[],
            )?
            .into_iter()
            .map(Arc::new)
            .collect())
    }

    fn open_ranks(&self) -> Result<Vec<Rank>, StoreError> {
        self.query(
            &format!("SELECT id, doc FROM tasks WHERE {OPEN_ROWS} ORDER BY id"),
            &[],
        )?
        .iter()
        .map(|row| {
            let id: i64 = row.get(0);
            codec::decode_rank(row.get(1)).map_err(decode_error(format!("task {id}")))
        })
        .collect()
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
        Ok(self.meta("next_command")?.unwrap_or(0))
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
        let rows = self.query(
            "SELECT (SELECT count(*) FROM tasks WHERE open),
                    (SELECT count(*) FROM tasks WHERE NOT open),
                    (SELECT count(*) FROM journal)",
            &[],
        )?;
        let count = |i: usize| {
            rows.first()
                .map_or(0, |r| u64::try_from(r.get::<_, i64>(i)).unwrap_or(0))
        };
        Ok(StoreCounts {
            open: count(0),
            closed: count(1),
            journal: count(2),
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
                .map_err(decode_error(format!("journal entry {seq}")))?;
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
        Ok(())
    }
}

/// The condition on `tasks` that picks the open rows, by the status codes of pending and
/// started (waiting and recurring are stored as pending), so that the status index serves it.
const OPEN_ROWS: &str = "status IN (0, 1)";

/// The key of a counter in `tme_meta`.
fn counter_key(counter: Counter) -> &'static str {
    match counter {
        Counter::TaskId => "next_id",
        Counter::Journal => "next_seq",
        Counter::Command => "next_command",
    }
}

/// A copied task's row, as new.
fn write_loaded(txn: &PgTxn<'_>, task: &Task) -> Result<(), StoreError> {
    txn.write_row(
        task.id,
        &crate::store::entries::IndexEntries::default(),
        Some(task),
    )
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
                .map_err(decode_error("a dependency's kind".into()))?;
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
        let id = CommandId(self.take_counter("next_command", 0)?);
        let command = Command {
            id,
            at: start.at,
            actor: start.actor,
            summary: start.summary,
            kind: start.kind,
            undone_by: None,
        };
        self.insert_command(&command)?;
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
        let doc = codec::encode_command(&record).map_err(decode_error("command".into()))?;
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

    fn load_record(&mut self, record: Record) -> Result<(), StoreError> {
        self.dirty = true;
        match record {
            Record::Counter(counter, value) => self.set_meta(counter_key(counter), value),
            Record::Task(task) => write_loaded(self, &task),
            Record::Command(command) => self.insert_command(&command),
            Record::Entry(entry) => self.insert_entry(&entry),
            Record::Check(template, at) => {
                self.execute(
                    "UPDATE tasks SET recurrence_check = $2 WHERE id = $1",
                    &[&key(template.0), &at.timestamp_millis()],
                )?;
                Ok(())
            }
            Record::Stamp(name, value) => self.set_meta(&format!("stamp:{name}"), value),
        }
    }

    fn is_dirty(&self) -> bool {
        self.dirty
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.finish("COMMIT")
    }
}
