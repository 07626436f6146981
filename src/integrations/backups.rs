//! The daily backup (`backup.daily`): a consistent copy of the database when the newest is a
//! day old, taken when a run first opens the database, with the oldest copies rotated away.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::config::Config;
use crate::engine::TaskManager;

/// The name of a backup made at `at`: names sort as the times do.
pub fn file_name(at: DateTime<Utc>) -> String {
    format!("tme-{}.redb", at.format("%Y%m%d-%H%M%S"))
}

/// When a backup named by [`file_name`] was made.
fn made_at(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix("tme-")?.strip_suffix(".redb")?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S")
        .ok()
        .map(|n| n.and_utc())
}

/// The backups in `dir`, oldest first.
fn backups(dir: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let mut found: Vec<(DateTime<Utc>, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| made_at(&p).map(|at| (at, p)))
        .collect();
    found.sort();
    found
}

/// The daily backup: when `backup.daily` is on and the newest backup is a day old (or there is
/// none), copies the database and removes the oldest copies beyond `backup.keep`.
pub fn daily(tm: &TaskManager, config: &Config) -> Result<Option<PathBuf>, String> {
    if !config.backup_daily.value {
        return Ok(None);
    }
    let dir = &config.backup_dir.value;
    let now = tm.now();
    let mut all = backups(dir);
    if all
        .last()
        .is_some_and(|(at, _)| now - *at < chrono::Duration::days(1))
    {
        return Ok(None);
    }
    let path = dir.join(file_name(now));
    tm.backup_to(&path).map_err(|e| e.to_string())?;
    all.retain(|(_, p)| *p != path);
    all.push((now, path.clone()));
    all.sort();
    let extra = all.len().saturating_sub(config.backup_keep.value.max(1));
    for (_, old) in all.iter().take(extra) {
        std::fs::remove_file(old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_their_times_and_read_back() {
        let at = DateTime::parse_from_rfc3339("2026-11-26T09:05:03Z")
            .map(|d| d.to_utc())
            .unwrap_or_default();
        let name = file_name(at);
        assert_eq!(name, "tme-20261126-090503.redb");
        assert_eq!(made_at(Path::new(&name)), Some(at));
        assert_eq!(made_at(Path::new("notes.txt")), None);
        assert_eq!(
            made_at(Path::new("before-restore-tme-20261126-090503.redb")),
            None
        );
    }
}
