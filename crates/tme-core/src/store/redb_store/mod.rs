//! The redb backend: one file, shared safely by every TME process on the machine.

mod backup;
mod check;
mod guard;
mod index;
mod reader;
pub(crate) use reader::{PARALLEL_SCAN_FROM, scan_threads};
mod repair;
mod writer;

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use redb::{ConcurrencyMode, Database, DatabaseError, ReadTransaction, ReadableDatabase};

use super::migrate;
use super::tables::{self, meta};
use super::{SCHEMA_VERSION, Store, StoreError, StoreRead, StoreWrite};
use crate::domain::{Task, TaskId};
pub use backup::{copy_beside, partial_prefix, sweep};
pub use check::CheckReport;
use guard::DropGuarded;
pub use guard::in_guarded_call;
pub(super) use index::set_check;
use reader::impl_store_read;
pub use repair::Repair;
use writer::RedbWrite;

/// The first bytes of every redb file.
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// Page cache per process. Reads of a large file stay fast without holding much memory.
const CACHE_BYTES: usize = 256 * 1024 * 1024;

/// Tasks, indexes and the journal in one redb file.
///
/// Opened in redb's multi-writer mode, so several processes (a TUI and any number of `tme add`
/// calls) can use the file at once; each write waits its turn.
///
/// ```
/// use tme_core::store::{RedbStore, Store};
/// let dir = tempfile::tempdir().unwrap();
/// let store = RedbStore::open(dir.path().join("tasks.redb")).unwrap();
/// assert_eq!(store.read().unwrap().counts().unwrap().open, 0);
/// ```
pub struct RedbStore {
    db: DropGuarded<Database>,
    path: PathBuf,
    /// Which file was opened (device and inode), to notice it being replaced.
    identity: Option<(u64, u64)>,
}

/// Which file a path names now (its device and inode), to notice it being replaced.
#[cfg(unix)]
pub fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Which file a path names: only whether it is there, where inodes are not known.
#[cfg(not(unix))]
pub fn identity(path: &Path) -> Option<(u64, u64)> {
    path.exists().then_some((0, 0))
}

/// A read snapshot of a [`RedbStore`].
struct RedbRead {
    txn: DropGuarded<ReadTransaction>,
}

impl_store_read!(RedbRead, concurrent: true);

fn builder() -> redb::Builder {
    let mut builder = Database::builder();
    builder
        .set_concurrency_mode(ConcurrencyMode::MultiWriter)
        .set_cache_size(CACHE_BYTES);
    builder
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Options that create files only the user can read (0600 on Unix).
#[cfg(unix)]
pub fn private_options() -> OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = OpenOptions::new();
    options.mode(0o600);
    options
}

/// Options that create files.
#[cfg(not(unix))]
pub fn private_options() -> OpenOptions {
    OpenOptions::new()
}

/// Creates a directory (and its parents) that only the user can read (0700 on Unix).
#[cfg(unix)]
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Creates a directory (and its parents).
#[cfg(not(unix))]
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Creates every table and the meta counters of a new file.
fn initialise(db: &Database) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    txn.open_table(tables::OPEN_TASKS)?;
    txn.open_table(tables::CLOSED_TASKS)?;
    txn.open_table(tables::BY_STATUS)?;
    txn.open_table(tables::BY_CATEGORY)?;
    txn.open_table(tables::BY_TAG)?;
    txn.open_table(tables::BY_UUID)?;
    txn.open_table(tables::DEPENDS_ON)?;
    txn.open_table(tables::DEPENDED_BY)?;
    txn.open_table(tables::CHILDREN)?;
    txn.open_table(tables::RECURRENCE_NEXT)?;
    txn.open_table(tables::RECURRENCE_CHECK)?;
    txn.open_table(tables::INSTANCES)?;
    txn.open_table(tables::JOURNAL)?;
    txn.open_table(tables::JOURNAL_BY_TASK)?;
    txn.open_table(tables::COMMANDS)?;
    txn.open_table(tables::API_TOKENS)?;
    {
        let mut meta_table = txn.open_table(tables::META)?;
        meta_table.insert(meta::MAGIC, meta::MAGIC_VALUE)?;
        meta_table.insert(meta::SCHEMA, SCHEMA_VERSION)?;
        meta_table.insert(meta::NEXT_ID, 1)?;
        meta_table.insert(meta::NEXT_SEQ, 1)?;
        meta_table.insert(meta::NEXT_COMMAND, 1)?;
    }
    txn.commit()?;
    Ok(())
}

/// Builds a complete new database next to `path` and links it into place, so that another
/// process never sees a half-made file, and two processes creating at once agree on one file.
fn create_new(path: &Path) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(io_error(dir))?;
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
    temp_name.push(format!(".tmp-{}-{stamp}", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let result = (|| {
        private_options()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io_error(&temp))?;
        let db = builder().create(&temp)?;
        initialise(&db)?;
        db.close()?;
        match fs::hard_link(&temp, path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            // File systems without hard links: rename, unless the file appeared meanwhile.
            Err(_) if !path.exists() => fs::rename(&temp, path).map_err(io_error(path))?,
            Err(_) => {}
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io_error(dir))?;
        }
        Ok(())
    })();
    let _ = fs::remove_file(&temp);
    result
}

/// Refuses files that are empty or not redb at all, before redb touches them.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let mut file = File::open(path).map_err(io_error(path))?;
    let mut head = [0u8; REDB_MAGIC.len()];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]).map_err(io_error(path))? {
            0 => break,
            n => read += n,
        }
    }
    match read {
        0 => Err(StoreError::EmptyFile {
            path: path.to_path_buf(),
        }),
        n if n < head.len() || head != REDB_MAGIC => Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

fn open_error(path: &Path, error: DatabaseError) -> StoreError {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    match error {
        DatabaseError::Storage(redb::StorageError::Io(e))
            if e.kind() == std::io::ErrorKind::InvalidData =>
        {
            StoreError::NotADatabase {
                path: path.to_path_buf(),
            }
        }
        DatabaseError::Storage(redb::StorageError::Io(e))
            if e.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            damaged("the file is truncated".into())
        }
        DatabaseError::Storage(redb::StorageError::Io(e)) => io_error(path)(e),
        DatabaseError::Storage(e) => damaged(e.to_string()),
        DatabaseError::RepairAborted => damaged("it needs a repair that could not be done".into()),
        DatabaseError::UpgradeRequired(v) => damaged(format!("redb file format {v} is too old")),
        DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
            StoreError::Backend(format!(
                "{} is held open by a program that does not share it (an older TME?); close it and retry",
                path.display()
            ))
        }
        other => damaged(other.to_string()),
    }
}

impl RedbStore {
    /// Opens the database at `path`, creating it (and its directory, private to the user) if
    /// it does not exist, and migrating it if an older TME wrote it.
    ///
    /// A file that is not a TME database, or is damaged, is reported and never written to.
    pub fn open(path: impl AsRef<Path>) -> Result<RedbStore, StoreError> {
        let path = path.as_ref();
        guard::guarded(|| RedbStore::open_unguarded(path))
    }

    fn open_unguarded(path: &Path) -> Result<RedbStore, StoreError> {
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_new(path)?,
            Err(e) => return Err(io_error(path)(e)),
            Ok(m) if m.is_dir() => {
                return Err(io_error(path)(std::io::Error::other(
                    "it is a directory, not a file",
                )));
            }
            Ok(_) => {}
        }
        check_header(path)?;
        // A writable open marks the file as in use, so look first with a read-only open and
        // leave files that are not TME's exactly as they were. A file a crash left unclean
        // cannot be read that way; the writable open below recovers it.
        match builder().open_read_only(path) {
            Ok(probe) => {
                let txn = probe.begin_read().map_err(|e| StoreError::Damaged {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })?;
                schema_version(&txn, path)?;
            }
            Err(DatabaseError::RepairAborted) => {}
            Err(e) => return Err(open_error(path, e)),
        }
        // Which file was opened: the path must name the same file before and after the open
        // (a restore may put another file in its place at any moment).
        let mut opened = None;
        for _ in 0..10 {
            let before = identity(path);
            let db = builder().open(path).map_err(|e| open_error(path, e))?;
            if identity(path) == before {
                opened = Some((db, before));
                break;
            }
        }
        let (db, opened) = opened.ok_or_else(|| StoreError::Replaced {
            path: path.to_path_buf(),
        })?;
        let store = RedbStore {
            db: DropGuarded::new(db),
            path: path.to_path_buf(),
            identity: opened,
        };
        store.check_schema()?;
        Ok(store)
    }

    /// The file this store uses.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        let version = schema_version(&self.db.begin_read()?, &self.path)?;
        if version < SCHEMA_VERSION {
            migrate::upgrade(&self.db, &self.path)?;
        }
        Ok(())
    }
}

/// The schema version of a TME file; an error for files that are not TME's or are too new.
fn schema_version(txn: &ReadTransaction, path: &Path) -> Result<u64, StoreError> {
    let foreign = || StoreError::ForeignDatabase {
        path: path.to_path_buf(),
    };
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let table = match txn.open_table(tables::META) {
        Ok(table) => table,
        Err(
            redb::TableError::TableDoesNotExist(_) | redb::TableError::TableTypeMismatch { .. },
        ) => {
            return Err(foreign());
        }
        Err(redb::TableError::Storage(e)) => return Err(damaged(e.to_string())),
        Err(other) => return Err(other.into()),
    };
    let read = |key: &str| -> Result<Option<u64>, StoreError> {
        table
            .get(key)
            .map(|v| v.map(|v| v.value()))
            .map_err(|e| damaged(e.to_string()))
    };
    if read(meta::MAGIC)? != Some(meta::MAGIC_VALUE) {
        return Err(foreign());
    }
    match read(meta::SCHEMA)?.unwrap_or(0) {
        v if v > SCHEMA_VERSION => Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: v,
            supported: SCHEMA_VERSION,
        }),
        v => Ok(v),
    }
}

impl Store for RedbStore {
    fn read(&self) -> Result<Box<dyn StoreRead + '_>, StoreError> {
        let txn = guard::guarded(|| Ok(self.db.begin_read()?))?;
        Ok(Box::new(RedbRead {
            txn: DropGuarded::new(txn),
        }))
    }

    fn backup(&self, to: &Path) -> Result<u64, StoreError> {
        self.copy_to(to)
    }

    fn check_records(&self) -> Result<CheckReport, StoreError> {
        self.check_snapshot()
    }

    fn write(&self) -> Result<Box<dyn StoreWrite + '_>, StoreError> {
        let txn = guard::guarded(|| Ok(self.db.begin_write()?))?;
        // Another process may have replaced the file while this one waited for the lock.
        if identity(&self.path) != self.identity {
            return Err(StoreError::Replaced {
                path: self.path.clone(),
            });
        }
        Ok(Box::new(RedbWrite {
            txn: DropGuarded::new(txn),
            command: None,
            dirty: false,
        }))
    }
}

#[cfg(test)]
mod tests;
