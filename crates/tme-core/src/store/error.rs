//! Storage errors, worded for the person who has to act on them.

use std::path::PathBuf;

use super::codec::CodecError;

/// Something went wrong reading or writing the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a database at all.
    #[error("{} is not a TME database (it is not a redb file); it was left untouched; choose another file for the database", path.display())]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// A redb database that some other program made.
    #[error("{} is a redb database but not a TME one; it was left untouched", path.display())]
    ForeignDatabase {
        /// The file.
        path: PathBuf,
    },
    /// An empty file where the database should be.
    #[error("{} is an empty file; remove it and TME will create a new database there", path.display())]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// The file is damaged (truncated, overwritten).
    #[error("the database {} is damaged and cannot be opened ({detail}); it was left untouched. Restore it from a backup", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What redb reported.
        detail: String,
    },
    /// Written by a newer TME.
    #[error("the database {} has schema version {found}, but this TME understands up to {supported}; upgrade TME", path.display())]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The file's schema version.
        found: u64,
        /// The newest this build understands.
        supported: u64,
    },
    /// The database URL is not one TME can use.
    #[error(
        "database URL '{0}' is not understood; use a path, redb:///absolute/path or postgres://user@host:5432/db"
    )]
    BadUrl(String),
    /// The file was replaced (by `tme restore`) or removed while this process had it open: a
    /// change written now would go to the old file, which nothing reads.
    #[error("the database {} was replaced or removed while this was waiting to write (by a restore?); nothing was saved: run it again", path.display())]
    Replaced {
        /// The file.
        path: PathBuf,
    },
    /// The file or its directory could not be read or written.
    #[error("cannot use {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A stored record does not decode.
    #[error("stored {what} is unreadable: {source}")]
    Record {
        /// Which record (`task 12`).
        what: String,
        /// Why.
        #[source]
        source: CodecError,
    },
    /// The disk (or the user's quota) is full.
    #[error(
        "the disk is full ({0}); the change was not saved and the database is as it was. Free some space and try again"
    )]
    DiskFull(String),
    /// The transaction was cut off before it ended (the connection to the database server was
    /// lost, or the server gave up the transaction to resolve a conflict): nothing of it was
    /// saved, and running it again is safe. The engine does so by itself for a while with a
    /// change; a read cut off reports this.
    #[error(
        "the database connection was cut off ({0}); nothing of this command was saved; run it again"
    )]
    Interrupted(String),
    /// Any other failure of the storage engine.
    #[error("storage error: {0}")]
    Backend(String),
}

/// The I/O failure underneath a redb error, if that is what it is.
trait Underneath: std::fmt::Display {
    fn io(&self) -> Option<&std::io::Error>;
}

impl Underneath for redb::StorageError {
    fn io(&self) -> Option<&std::io::Error> {
        match self {
            redb::StorageError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl Underneath for redb::Error {
    fn io(&self) -> Option<&std::io::Error> {
        match self {
            redb::Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

macro_rules! storage_underneath {
    ($($t:ident),*) => {$(
        impl Underneath for redb::$t {
            fn io(&self) -> Option<&std::io::Error> {
                match self {
                    redb::$t::Storage(e) => e.io(),
                    _ => None,
                }
            }
        }
    )*};
}

storage_underneath!(TableError, TransactionError, CommitError, DatabaseError);

impl StoreError {
    /// A failure of the storage engine, told apart when it is a full disk or quota.
    fn backend(e: &impl Underneath) -> StoreError {
        let full = e.io().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            )
        });
        if full {
            StoreError::DiskFull(e.to_string())
        } else {
            StoreError::Backend(e.to_string())
        }
    }
}

macro_rules! backend_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> StoreError {
                StoreError::backend(&e)
            }
        }
    )*};
}

backend_errors!(
    redb::Error,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::DatabaseError
);

/// A record that does not encode or decode, as a store error naming it. `what` runs only on
/// failure, so that a scan of 100,000 rows formats no names.
pub(crate) fn record_error(what: impl FnOnce() -> String) -> impl FnOnce(CodecError) -> StoreError {
    move |source| StoreError::Record {
        what: what(),
        source,
    }
}
