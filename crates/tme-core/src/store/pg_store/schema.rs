//! The PostgreSQL schema, as numbered migrations applied in order when a store opens. A
//! database whose schema is newer than this build knows is refused.

use postgres::{Client, Transaction};

use crate::store::StoreError;

use super::pg_error;

/// What TME does to the data after a migration's SQL, in its transaction.
type DataStep = fn(&mut Transaction<'_>) -> Result<(), StoreError>;

/// One step of the schema: its SQL, then (when rows must be made from the encoded tasks, which
/// only TME can read) its data step.
struct Migration {
    sql: &'static str,
    then: Option<DataStep>,
}

/// The migrations, oldest first; the schema version is how many have been applied.
const MIGRATIONS: [Migration; 5] = [
    Migration {
        sql: r#"
CREATE TABLE tme_meta (
    key   text   PRIMARY KEY,
    value bigint NOT NULL
);
CREATE TABLE tasks (
    id               bigint   PRIMARY KEY CHECK (id > 0),
    uuid             uuid     NOT NULL UNIQUE,
    status           smallint NOT NULL CHECK (status BETWEEN 0 AND 5),
    open             boolean  NOT NULL,
    sort_key         bigint   NOT NULL,
    title            text     NOT NULL,
    category         text,
    priority         text     CHECK (priority IN ('H', 'M', 'L')),
    parent           bigint,
    template         bigint,
    occurrence       bigint,
    series           text,
    recurrence_check bigint,
    doc              bytea    NOT NULL,
    UNIQUE (template, occurrence)
);
CREATE INDEX tasks_by_status ON tasks (status, sort_key, id);
CREATE INDEX tasks_by_category ON tasks (category, id);
CREATE INDEX tasks_by_parent ON tasks (parent, id) WHERE parent IS NOT NULL;
CREATE INDEX tasks_by_check ON tasks (recurrence_check, id) WHERE recurrence_check IS NOT NULL;
CREATE TABLE task_tags (
    task bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tag  text   NOT NULL,
    PRIMARY KEY (tag, task)
);
CREATE TABLE dependencies (
    task    bigint   NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    on_task bigint   NOT NULL,
    kind    smallint NOT NULL,
    PRIMARY KEY (task, on_task)
);
CREATE INDEX dependencies_reverse ON dependencies (on_task, task);
CREATE TABLE commands (
    id    bigint      PRIMARY KEY,
    at    timestamptz NOT NULL,
    actor text        NOT NULL,
    doc   bytea       NOT NULL
);
CREATE TABLE journal (
    seq     bigint      PRIMARY KEY,
    command bigint      NOT NULL REFERENCES commands (id),
    task    bigint      NOT NULL,
    at      timestamptz NOT NULL,
    doc     bytea       NOT NULL
);
CREATE INDEX journal_by_task ON journal (task, seq);
CREATE INDEX journal_by_command ON journal (command, seq);
"#,
        then: None,
    },
    Migration {
        sql: r#"
-- 2: how many open tasks, closed tasks and journal entries there are, kept by every write, so
-- that counting a million rows is not needed for the status line.
INSERT INTO tme_meta (key, value)
    SELECT 'count_open', count(*) FROM tasks WHERE status IN (0, 1)
    UNION ALL SELECT 'count_closed', count(*) FROM tasks WHERE status NOT IN (0, 1)
    UNION ALL SELECT 'count_journal', count(*) FROM journal
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
"#,
        then: None,
    },
    Migration {
        sql: r#"
-- 3: what ranking needs of each open task (a rank record, tens of bytes), so that `tme next`
-- reads 100,000 of them without the tasks. A row for every open task and for no other.
CREATE TABLE task_ranks (
    id   bigint PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    rank bytea  NOT NULL
);
"#,
        then: Some(super::txn::fill_ranks),
    },
    Migration {
        sql: r#"
-- 4: the API tokens of `tme serve` (an encoded record each: the hash of the secret, the role,
-- the category it is limited to, when it expires).
CREATE TABLE api_tokens (
    name text  PRIMARY KEY,
    doc  bytea NOT NULL
);
"#,
        then: None,
    },
    Migration {
        sql: r#"
-- 5: the journal may hold conflicts met at sync (a new kind of entry, inside `doc`), which
-- older builds cannot read, so they refuse the database instead; no table changes.
SELECT 1;
"#,
        then: None,
    },
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database's schema up to [`VERSION`], one transaction per migration, holding
/// the writers' lock so that two processes opening a new database do not both create it.
pub fn migrate(client: &mut Client, name: &str) -> Result<(), StoreError> {
    // Up to date, the common case: one query, no lock.
    let current = client
        .query_opt(
            "SELECT value FROM tme_meta WHERE key = 'schema_version' AND to_regclass('tme_meta') IS NOT NULL",
            &[],
        )
        .ok()
        .flatten()
        .map(|row| row.get::<_, i64>(0));
    if current == Some(VERSION) {
        return Ok(());
    }
    let mut txn = client.transaction().map_err(pg_error)?;
    txn.execute("SELECT pg_advisory_xact_lock($1)", &[&super::WRITER_LOCK])
        .map_err(pg_error)?;
    let exists: bool = txn
        .query_one("SELECT to_regclass('tme_meta') IS NOT NULL", &[])
        .map_err(pg_error)?
        .get(0);
    let found: i64 = if exists {
        txn.query_opt(
            "SELECT value FROM tme_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(pg_error)?
        .map_or(0, |row| row.get(0))
    } else {
        0
    };
    if found > VERSION {
        return Err(StoreError::TooNew {
            path: name.into(),
            found: u64::try_from(found).unwrap_or(u64::MAX),
            supported: VERSION as u64,
        });
    }
    for (i, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        txn.batch_execute(migration.sql).map_err(pg_error)?;
        if let Some(then) = migration.then {
            then(&mut txn)?;
        }
        let version = i as i64 + 1;
        txn.execute(
            "INSERT INTO tme_meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&version],
        )
        .map_err(pg_error)?;
    }
    txn.commit().map_err(pg_error)
}
