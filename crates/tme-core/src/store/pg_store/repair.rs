//! `tme check --repair` on PostgreSQL: what is derived from the encoded tasks (each row's
//! columns, the tags, dependencies and rank records, the kept counts) is made again from them,
//! and counters behind what they counted are moved past it. The encoded tasks, the journal and
//! the commands are what was saved: they are never changed, and what is wrong with them is left
//! for a backup.

use postgres::Transaction;

use super::txn::{OPEN_ROWS, TASK_COLUMN_NAMES, copy_tasks, task_updates};
use super::{CHANNEL, PgStore, WRITER_LOCK, pg_error};
use crate::domain::Task;
use crate::store::{Repair, Store, StoreError, codec};

/// Tasks decoded and copied at a time, so that a million of them are never all held at once.
const BATCH: i64 = 10_000;

impl PgStore {
    /// Checks the database and, when it has problems, makes what is derived from the tasks
    /// again in one transaction holding the writers' lock (other writers wait), then checks it
    /// again.
    pub fn repair(&self) -> Result<Repair, StoreError> {
        let before = self.check_records()?;
        if before.problems.is_empty() {
            return Ok(Repair {
                found: Vec::new(),
                after: before,
            });
        }
        let mut conn = self.connect()?;
        let mut txn = conn.client().transaction().map_err(pg_error)?;
        txn.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])
            .map_err(pg_error)?;
        rebuild(&mut txn)?;
        txn.batch_execute(&format!("NOTIFY {CHANNEL}"))
            .map_err(pg_error)?;
        txn.commit().map_err(pg_error)?;
        Ok(Repair {
            found: before.problems,
            after: self.check_records()?,
        })
    }
}

fn rebuild(txn: &mut Transaction<'_>) -> Result<(), StoreError> {
    txn.batch_execute(
        "CREATE TEMP TABLE tme_rebuilt (LIKE tasks) ON COMMIT DROP;
         DELETE FROM task_tags;
         DELETE FROM dependencies;
         DELETE FROM task_ranks;",
    )
    .map_err(pg_error)?;
    let mut after = 0i64;
    loop {
        let rows = txn
            .query(
                "SELECT id, doc FROM tasks WHERE id > $1 ORDER BY id LIMIT $2",
                &[&after, &BATCH],
            )
            .map_err(pg_error)?;
        let Some(last) = rows.last() else { break };
        after = last.get(0);
        // A row that does not decode stays as it is: the check after the repair names it.
        let tasks: Vec<Task> = rows
            .iter()
            .filter_map(|row| codec::decode_task(row.get(1)).ok())
            .collect();
        copy_tasks(txn, &tasks, "tme_rebuilt")?;
    }
    // Only rows whose columns disagree with their task are written (the document is where
    // the columns come from, and the ticker's next look is kept for an unchanged series).
    let compared: Vec<&str> = TASK_COLUMN_NAMES
        .iter()
        .copied()
        .filter(|name| !matches!(*name, "id" | "recurrence_check" | "doc"))
        .collect();
    let columns = |table: &str| {
        let named: Vec<String> = compared.iter().map(|c| format!("{table}.{c}")).collect();
        named.join(", ")
    };
    txn.batch_execute(&format!(
        "UPDATE tasks SET {updates} FROM tme_rebuilt r
             WHERE tasks.id = r.id AND ({current}) IS DISTINCT FROM ({rebuilt});
         INSERT INTO tme_meta (key, value)
             SELECT 'count_open', count(*) FROM tasks WHERE {OPEN_ROWS}
             UNION ALL SELECT 'count_closed', count(*) FROM tasks WHERE NOT {OPEN_ROWS}
             UNION ALL SELECT 'count_journal', count(*) FROM journal
             UNION ALL SELECT 'next_id', coalesce(greatest(
                 (SELECT max(id) FROM tasks), (SELECT max(task) FROM journal)), 0) + 1
             UNION ALL SELECT 'next_seq', coalesce((SELECT max(seq) FROM journal), 0) + 1
             UNION ALL SELECT 'next_command', coalesce(greatest(
                 (SELECT max(id) FROM commands), (SELECT max(command) FROM journal)), 0) + 1
         ON CONFLICT (key) DO UPDATE SET value = CASE
             WHEN tme_meta.key LIKE 'count_%' THEN EXCLUDED.value
             ELSE greatest(tme_meta.value, EXCLUDED.value) END;",
        updates = task_updates("r"),
        current = columns("tasks"),
        rebuilt = columns("r"),
    ))
    .map_err(pg_error)
}
