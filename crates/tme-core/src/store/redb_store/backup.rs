//! A consistent copy of the file while other processes use it: the copy is taken holding the
//! writer lock, so no commit can change the file half-way through, and written beside its
//! destination before it is moved into place.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::{RedbStore, create_private_dir, guard, io_error};
use crate::store::StoreError;

/// How old a partial copy must be to count as left behind by a backup that was killed.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes partial copies beside `to` (named `prefix` and something unique) that a killed
/// backup or restore left behind: none has been written to for a quarter of an hour.
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

/// Copies the file `from` into a new file beside `to` that only the user can read: a unique
/// name beginning with `prefix`, created exclusively (so a link planted there is never
/// followed), on disk when this returns. The copy is removed when dropped, unless persisted.
pub fn copy_beside(
    from: &Path,
    to: &Path,
    prefix: &str,
) -> std::io::Result<(tempfile::NamedTempFile, u64)> {
    let dir = match to.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut copy = tempfile::Builder::new().prefix(prefix).tempfile_in(dir)?;
    let bytes = std::io::copy(&mut fs::File::open(from)?, copy.as_file_mut())?;
    copy.as_file_mut().flush()?;
    copy.as_file().sync_all()?;
    Ok((copy, bytes))
}

/// The prefix of a partial copy of `to`, for [`copy_beside`] and [`sweep`].
pub fn partial_prefix(to: &Path, what: &str) -> String {
    format!(
        ".{}.{what}-",
        to.file_name().unwrap_or_default().to_string_lossy()
    )
}

impl RedbStore {
    /// Copies the database to `to` (a new private file, replacing one already there).
    pub(super) fn copy_to(&self, to: &Path) -> Result<u64, StoreError> {
        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io_error(dir))?;
        }
        let prefix = partial_prefix(to, "partial");
        sweep(to, &prefix);
        // Every commit is durable when it returns, so with the writer lock held the file on
        // disk is the last commit, whole. The write transaction is dropped unused.
        let writing = guard::guarded(|| Ok(self.db.begin_write()?))?;
        let copied = copy_beside(&self.path, to, &prefix).map_err(io_error(to));
        drop(writing);
        let (copy, bytes) = copied?;
        copy.persist(to).map_err(|e| io_error(to)(e.error))?;
        Ok(bytes)
    }

    /// Replaces this database with `staged` (a checked copy beside it), first keeping a copy of
    /// the database as it is at `kept`. The writer lock is held throughout, so every commit
    /// before it is in the kept copy, and a writer that was waiting finds the file replaced
    /// (see [`StoreError::Replaced`]) instead of writing to the old one.
    pub fn replace_with(
        &self,
        staged: tempfile::NamedTempFile,
        kept: &Path,
    ) -> Result<(), StoreError> {
        if let Some(dir) = kept.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io_error(dir))?;
        }
        let writing = guard::guarded(|| Ok(self.db.begin_write()?))?;
        let (copy, _) = copy_beside(&self.path, kept, &partial_prefix(kept, "partial"))
            .map_err(io_error(kept))?;
        copy.persist(kept).map_err(|e| io_error(kept)(e.error))?;
        staged
            .persist(&self.path)
            .map_err(|e| io_error(&self.path)(e.error))?;
        drop(writing);
        Ok(())
    }
}
