//! A consistent copy of the file while other processes use it: the copy is taken holding the
//! writer lock, so no commit can change the file half-way through, and written beside its
//! destination before it is moved into place.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::{RedbStore, create_private_dir, guard, io_error, private_options};
use crate::store::StoreError;

/// How old a partial copy must be to count as left behind by a backup that was killed.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes partial copies beside `to` (named `prefix` and a process id) that a killed backup or
/// restore left behind: none has been written to for a quarter of an hour.
pub fn sweep(to: &Path, prefix: &str) {
    let Some(dir) = to.parent() else { return };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let abandoned = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > ABANDONED);
        if abandoned && entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Copies the file `from` to a new file `to` that only the user can read, on disk when this
/// returns; the number of bytes copied.
pub fn copy_private(from: &Path, to: &Path) -> std::io::Result<u64> {
    let mut target = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(to)?;
    let bytes = std::io::copy(&mut fs::File::open(from)?, &mut target)?;
    target.flush()?;
    target.sync_all()?;
    Ok(bytes)
}

impl RedbStore {
    /// Copies the database to `to` (a new private file, replacing one already there).
    pub(super) fn copy_to(&self, to: &Path) -> Result<u64, StoreError> {
        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io_error(dir))?;
        }
        let mut temp_name = to.file_name().unwrap_or_default().to_os_string();
        temp_name.push(".partial-");
        sweep(to, &temp_name.to_string_lossy());
        temp_name.push(std::process::id().to_string());
        let temp = to.with_file_name(temp_name);
        // Every commit is durable when it returns, so with the writer lock held the file on
        // disk is the last commit, whole. The write transaction is dropped unused.
        let writing = guard::guarded(|| Ok(self.db.begin_write()?))?;
        let copied = copy_private(&self.path, &temp).map_err(io_error(&temp));
        drop(writing);
        let bytes = match copied {
            Ok(bytes) => bytes,
            Err(e) => {
                let _ = fs::remove_file(&temp);
                return Err(e);
            }
        };
        fs::rename(&temp, to).map_err(io_error(to))?;
        Ok(bytes)
    }
}
