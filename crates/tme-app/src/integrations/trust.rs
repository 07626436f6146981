//! Whether a hook or plugin may be run: the checks ssh and git make. The file must be an
//! executable that only its user (or root) can change: owned by them, writable by neither its
//! group nor anyone else, and in directories that are the same all the way up (a directory
//! others may write to is fine only with the sticky bit, as `/tmp` has, where nobody can
//! replace another's file).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Whether a file may be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runnable {
    /// An executable only trusted people can change.
    Yes,
    /// Not an executable file.
    No,
    /// Someone else could change it: why it is not run, and how to mend that.
    Untrusted(String),
}

/// The sticky bit: in such a directory only a file's owner may rename or remove it.
const STICKY: u32 = 0o1000;

/// Whether `path` is an executable that only its user or root can change.
pub fn runnable(path: &Path) -> Runnable {
    let Ok(meta) = std::fs::metadata(path) else {
        return Runnable::No;
    };
    let mode = meta.permissions().mode();
    if !meta.is_file() || mode & 0o100 == 0 {
        return Runnable::No;
    }
    let me = nix::unistd::getuid().as_raw();
    let trusted_owner = |uid: u32| uid == me || uid == 0;
    if mode & 0o002 != 0 {
        return Runnable::Untrusted("writable by anyone, so it is not run (chmod o-w it)".into());
    }
    if mode & 0o020 != 0 {
        return Runnable::Untrusted(
            "writable by its group, so it is not run (chmod g-w it)".into(),
        );
    }
    if !trusted_owner(meta.uid()) {
        return Runnable::Untrusted(format!(
            "owned by another user (uid {}), so it is not run",
            meta.uid()
        ));
    }
    // The directories of the path as given (a link could be replaced there) and of the file
    // it leads to.
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    for start in [path, real.as_path()] {
        for dir in start
            .ancestors()
            .skip(1)
            .filter(|d| !d.as_os_str().is_empty())
        {
            let Ok(meta) = std::fs::metadata(dir) else {
                continue;
            };
            let mode = meta.permissions().mode();
            let shared = mode & 0o022 != 0 && mode & STICKY == 0;
            if shared || !trusted_owner(meta.uid()) {
                return Runnable::Untrusted(format!(
                    "in {}, which others can change, so it is not run",
                    dir.display()
                ));
            }
        }
    }
    Runnable::Yes
}
