//! The PostgreSQL backend, for a team sharing one task list: tasks as rows with a column for
//! everything that is queried (status, due order, category, priority, parent, template and
//! occurrence), tags and dependencies as tables, the journal and its commands as tables, and
//! the constraints doing the work the redb indexes do — `UNIQUE (template, occurrence)` keeps
//! spawning idempotent across every process and machine.
//!
//! Reads are `REPEATABLE READ` snapshots. Writers take one transaction-scoped advisory lock
//! first, so that they run one at a time as they do on redb: ids, commands and journal
//! sequence numbers are handed out without gaps or races, and no write is lost.

mod conn;
mod password;
mod repair;
mod schema;
mod tls;
mod txn;

use std::sync::Mutex;

use super::{CheckReport, RedbStore, Store, StoreError, StoreRead, StoreWrite};
use conn::Conn;
pub use schema::VERSION as PG_SCHEMA_VERSION;
use txn::PgTxn;

/// The advisory lock every writer holds for its transaction ("TME" and a version).
const WRITER_LOCK: i64 = 0x544D_4501;

/// How long a connection may take when the URL does not say (`connect_timeout=`).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Connections kept for reuse after a transaction ends: enough for a server's reads at once
/// and a write.
const POOL: usize = 8;

/// A TME database in PostgreSQL.
pub struct PgStore {
    url: String,
    /// The URL with any password hidden, for messages.
    shown: String,
    idle: Mutex<Vec<Conn>>,
    /// The connection that listens for other processes' commits, once something waits for one.
    listener: Mutex<Option<Conn>>,
}

/// The channel every commit notifies.
const CHANNEL: &str = "tme_changes";

/// A PostgreSQL error as a store error, its text as the server gave it. A lost connection,
/// a server shutting down or ending the session, and a serialization failure or deadlock
/// leave nothing of the transaction behind: they are [`StoreError::Interrupted`], which the
/// engine runs again.
fn pg_error(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    let text = match e.as_db_error() {
        Some(db) => format!("PostgreSQL: {}", db.message()),
        None => format!("PostgreSQL: {e}"),
    };
    let cut_off = e.is_closed()
        || e.as_db_error().is_none()
            && std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        || e.code().is_some_and(|code| {
            [
                SqlState::T_R_SERIALIZATION_FAILURE,
                SqlState::T_R_DEADLOCK_DETECTED,
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
            ]
            .contains(code)
                || code.code().starts_with("08")
        });
    if cut_off {
        StoreError::Interrupted(text)
    } else {
        StoreError::Backend(text)
    }
}

/// `url` with the password (if any) replaced by `***`.
///
/// ```
/// use tme_core::store::hide_password;
/// assert_eq!(hide_password("postgres://ann:s3cret@db:5432/tasks"), "postgres://ann:***@db:5432/tasks");
/// assert_eq!(hide_password("postgres://ann@db/tasks"), "postgres://ann@db/tasks");
/// ```
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{path}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:5432/db`, any libpq form the
    /// client understands) and brings its schema up to date; a newer schema is refused.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let store = PgStore {
            url: url.to_string(),
            shown: hide_password(url),
            idle: Mutex::new(Vec::new()),
            listener: Mutex::new(None),
        };
        let mut conn = store.connect()?;
        schema::migrate(conn.client(), &store.shown)?;
        store.give_back(conn);
        Ok(store)
    }

    /// The URL, its password hidden.
    pub fn name(&self) -> &str {
        &self.shown
    }

    fn connect(&self) -> Result<Conn, StoreError> {
        let (url, tls) = tls::split(&self.url);
        let mut config: postgres::Config = url.parse().map_err(|e| {
            StoreError::Backend(format!(
                "{} is not a PostgreSQL URL TME can use: {e}",
                self.shown
            ))
        })?;
        password::fill(&mut config, &|name| std::env::var(name).ok());
        // A server that never answers is reported, not waited on for minutes.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let connector = tls.connector(config.get_ssl_mode())?;
        config.connect(connector).map(Conn::new).map_err(|e| {
            let mut why = e
                .as_db_error()
                .map_or_else(|| e.to_string(), |db| db.message().to_string());
            let mut cause = std::error::Error::source(&e);
            while let Some(inner) = cause {
                why = format!("{why}: {inner}");
                cause = inner.source();
            }
            StoreError::Backend(format!("cannot connect to {}: {why}", self.shown))
        })
    }

    /// A connection: one left from an earlier transaction (`true`), or a new one.
    fn client(&self) -> Result<(Conn, bool), StoreError> {
        let reused = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match reused {
            Some(client) if !client.is_closed() => Ok((client, true)),
            _ => Ok((self.connect()?, false)),
        }
    }

    /// A new connection after a kept one was found dropped: every connection kept is let go,
    /// and the server is given up to the connect timeout to answer again.
    fn reconnect(&self) -> Result<Conn, StoreError> {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
        let deadline = std::time::Instant::now() + CONNECT_TIMEOUT;
        loop {
            match self.connect() {
                Ok(client) => return Ok(client),
                Err(e) if std::time::Instant::now() >= deadline => return Err(e),
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        }
    }

    /// Whether command `id` is stored as `doc` (on a new connection, waiting for the server as
    /// [`PgStore::reconnect`] does).
    fn has_command(&self, id: crate::domain::CommandId, doc: &[u8]) -> Result<bool, StoreError> {
        let mut conn = self.reconnect()?;
        let found = conn
            .query(
                "SELECT 1 FROM commands WHERE id = $1 AND doc = $2",
                &[&i64::try_from(id.0).unwrap_or(i64::MAX), &doc],
            )
            .map_err(pg_error)?;
        self.give_back(conn);
        Ok(!found.is_empty())
    }

    fn give_back(&self, client: Conn) {
        if client.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL
        {
            idle.push(client);
        }
    }
}

impl Store for PgStore {
    fn parallel_reads(&self) -> usize {
        POOL - 1
    }

    fn read(&self) -> Result<Box<dyn StoreRead + '_>, StoreError> {
        Ok(Box::new(PgTxn::begin(self, false)?))
    }

    fn write(&self) -> Result<Box<dyn StoreWrite + '_>, StoreError> {
        Ok(Box::new(PgTxn::begin(self, true)?))
    }

    /// A backup of a server's database is a redb file holding all of it (what `tme copy`
    /// writes), made from one snapshot beside `to` and moved into place when complete.
    fn backup(&self, to: &std::path::Path) -> Result<u64, StoreError> {
        let io = |source| StoreError::Io {
            path: to.to_path_buf(),
            source,
        };
        if to.exists() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a file is already there",
            )));
        }
        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
            super::create_private_dir(dir).map_err(io)?;
        }
        let mut partial = to.as_os_str().to_owned();
        partial.push(format!(".partial-{}", std::process::id()));
        let partial = std::path::PathBuf::from(partial);
        let outcome = (|| {
            let file = RedbStore::open(&partial)?;
            super::copy(self, &file)?;
            drop(file);
            std::fs::rename(&partial, to).map_err(io)?;
            std::fs::metadata(to).map(|m| m.len()).map_err(io)
        })();
        if outcome.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        outcome
    }

    fn copied_in(&self) -> Result<(), StoreError> {
        let (mut conn, _) = self.client()?;
        conn.client()
            .batch_execute("ANALYZE tasks, task_tags, dependencies, commands, journal")
            .map_err(pg_error)?;
        self.give_back(conn);
        Ok(())
    }

    /// Every commit notifies a channel (`NOTIFY tme_changes`, delivered when it commits), so
    /// this waits on a listening connection instead of asking again and again. The stamp is
    /// read on that connection too, and a server that cannot be reached is reported at once
    /// (not waited for), so that a watcher can stop when it is asked to.
    fn wait_for_change(&self, seen: u64, timeout: std::time::Duration) -> Result<u64, StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut slot = self
            .listener
            .lock()
            .map_err(|_| StoreError::Backend("the listening connection was poisoned".into()))?;
        let mut conn = match slot.take() {
            Some(conn) if !conn.is_closed() => conn,
            _ => {
                let mut conn = self.connect()?;
                conn.client()
                    .batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(pg_error)?;
                conn
            }
        };
        // Listening before reading: a commit after the read is not missed.
        let stamp = txn::meta_on(&mut conn, txn::STAMP)?.unwrap_or(0);
        if stamp != seen {
            *slot = Some(conn);
            return Ok(stamp);
        }
        conn.client()
            .notifications()
            .timeout_iter(timeout)
            .next()
            .map_err(pg_error)?;
        // Whatever else is waiting was said by the same commits.
        let _ = conn.client().notifications().iter().count();
        let stamp = txn::meta_on(&mut conn, txn::STAMP)?.unwrap_or(0);
        *slot = Some(conn);
        Ok(stamp)
    }

    fn check_records(&self) -> Result<CheckReport, StoreError> {
        PgTxn::begin(self, false)?.check()
    }
}
