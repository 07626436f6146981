//! Where a TME database is — a redb file or a PostgreSQL server — and the store that opens it.

use std::fmt;
use std::path::{Path, PathBuf};

use super::pg_store::hide_password;
use super::{CheckReport, PgStore, RedbStore, Store, StoreError, StoreRead, StoreWrite};

/// A database's location, as `database_url`, `TME_DATABASE_URL` or `--db` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A redb file.
    File(PathBuf),
    /// A PostgreSQL server: `postgres://user@host:5432/db` (or `postgresql://`, with the
    /// query parameters libpq knows).
    Postgres(String),
}

impl Database {
    /// The role a PostgreSQL URL connects as, if it names one: who the journal records when
    /// no user name is known.
    ///
    /// ```
    /// use tme_core::store::Database;
    /// assert_eq!(Database::Postgres("postgres://ann@db/tasks".into()).role().as_deref(), Some("ann"));
    /// assert_eq!(Database::File("t.redb".into()).role(), None);
    /// ```
    pub fn role(&self) -> Option<String> {
        match self {
            Database::Postgres(url) => url
                .parse::<postgres::Config>()
                .ok()
                .and_then(|c| c.get_user().map(str::to_string)),
            Database::File(_) => None,
        }
    }

    /// The file, for a redb database.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Database::File(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }
}

/// A path as it is, a URL without its password.
impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::File(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => f.write_str(&hide_password(url)),
        }
    }
}

/// Reads a `database_url`: a plain path, `redb:///abs/path`, `file:///abs/path`, or a
/// PostgreSQL URL.
///
/// ```
/// use tme_core::store::{Database, parse_database_url};
/// assert_eq!(
///     parse_database_url("postgresql://ann@db/tasks").unwrap(),
///     Database::Postgres("postgresql://ann@db/tasks".into())
/// );
/// assert!(parse_database_url("mysql://db/tasks").is_err());
/// ```
pub fn parse_database_url(url: &str) -> Result<Database, StoreError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(StoreError::BadUrl(url.to_string()));
    }
    for scheme in ["postgres://", "postgresql://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            return if rest.is_empty() {
                Err(StoreError::BadUrl(hide_password(url)))
            } else {
                Ok(Database::Postgres(url.to_string()))
            };
        }
    }
    for scheme in ["redb://", "file://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            return if rest.starts_with('/') && rest.len() > 1 {
                Ok(Database::File(PathBuf::from(rest)))
            } else {
                Err(StoreError::BadUrl(url.to_string()))
            };
        }
    }
    if url.contains("://") {
        return Err(StoreError::BadUrl(hide_password(url)));
    }
    Ok(Database::File(PathBuf::from(url)))
}

/// The store of either backend.
pub enum AnyStore {
    /// A redb file.
    Redb(RedbStore),
    /// A PostgreSQL database (boxed: its pool and listener make it the larger).
    Postgres(Box<PgStore>),
}

impl AnyStore {
    /// Opens (creating it when it is new) the database at `database`.
    pub fn open(database: &Database) -> Result<AnyStore, StoreError> {
        Ok(match database {
            Database::File(path) => AnyStore::Redb(RedbStore::open(path)?),
            Database::Postgres(url) => AnyStore::Postgres(Box::new(PgStore::open(url)?)),
        })
    }

    fn inner(&self) -> &dyn Store {
        match self {
            AnyStore::Redb(store) => store,
            AnyStore::Postgres(store) => store.as_ref(),
        }
    }
}

impl Store for AnyStore {
    fn read(&self) -> Result<Box<dyn StoreRead + '_>, StoreError> {
        self.inner().read()
    }

    fn write(&self) -> Result<Box<dyn StoreWrite + '_>, StoreError> {
        self.inner().write()
    }

    fn backup(&self, to: &Path) -> Result<u64, StoreError> {
        self.inner().backup(to)
    }

    fn check_records(&self) -> Result<CheckReport, StoreError> {
        self.inner().check_records()
    }

    fn wait_for_change(&self, seen: u64, timeout: std::time::Duration) -> Result<u64, StoreError> {
        self.inner().wait_for_change(seen, timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        let file = |p: &str| Some(Database::File(PathBuf::from(p)));
        assert_eq!(
            parse_database_url("redb:///var/tme.redb").ok(),
            file("/var/tme.redb")
        );
        assert_eq!(parse_database_url("file:///x").ok(), file("/x"));
        assert_eq!(
            parse_database_url("rel/path.redb").ok(),
            file("rel/path.redb")
        );
        assert_eq!(
            parse_database_url("postgres://host/db").ok(),
            Some(Database::Postgres("postgres://host/db".into()))
        );
        assert!(parse_database_url("postgres://").is_err());
        let refused = parse_database_url("mysql://ann:s3cret@host/db")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.contains("ann:***@host") && !refused.contains("s3cret"),
            "{refused}"
        );
        assert!(parse_database_url("redb://relative").is_err());
        assert!(parse_database_url(" ").is_err());
    }
}
