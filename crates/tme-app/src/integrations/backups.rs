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

/// How the daily backups of `database` are named: by its name and its path, so that the daily
/// copies of one database never rotate away another's (a `--db scratch.redb`, the same backup
/// directory for several) nor the backups made by hand.
fn daily_prefix(database: &Path) -> String {
    let stem = database
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let whole = std::fs::canonicalize(database).unwrap_or_else(|_| database.to_path_buf());
    let tag = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        whole.as_os_str().as_encoded_bytes(),
    );
    format!("daily-{stem}-{}-", &tag.simple().to_string()[..8])
}

/// When a backup named `prefix` and a time was made.
fn made_at(path: &Path, prefix: &str) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix(prefix)?.strip_suffix(".redb")?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S")
        .ok()
        .map(|n| n.and_utc())
}

/// The backups named `prefix` in `dir`, oldest first.
fn backups(dir: &Path, prefix: &str) -> Vec<(DateTime<Utc>, PathBuf)> {
    let mut found: Vec<(DateTime<Utc>, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| made_at(&p, prefix).map(|at| (at, p)))
        .collect();
    found.sort();
    found
}

/// The daily backup: when `backup.daily` is on and this database's newest daily copy is a day
/// old (or there is none), copies the database and removes its oldest daily copies beyond
/// `backup.keep`. Backups made by hand and other databases' copies are left alone.
pub fn daily(tm: &TaskManager, config: &Config) -> Result<Option<PathBuf>, String> {
    if !config.backup_daily.value {
        return Ok(None);
    }
    // A server's database is backed up by the server's own tools (pg_dump).
    let Some(database) = config.database.value.file() else {
        return Ok(None);
    };
    let dir = &config.backup_dir.value;
    let prefix = daily_prefix(database);
    let now = tm.now();
    let mut all = backups(dir, &prefix);
    if all
        .last()
        .is_some_and(|(at, _)| now - *at < chrono::Duration::days(1))
    {
        return Ok(None);
    }
    let path = dir.join(format!("{prefix}{}.redb", now.format("%Y%m%d-%H%M%S")));
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
        assert_eq!(file_name(at), "tme-20261126-090503.redb");
        let prefix = daily_prefix(Path::new("/data/tme.redb"));
        assert!(
            prefix.starts_with("daily-tme-") && prefix.len() == 19,
            "{prefix}"
        );
        assert_ne!(prefix, daily_prefix(Path::new("/elsewhere/tme.redb")));
        let name = format!("{prefix}20261126-090503.redb");
        assert_eq!(made_at(Path::new(&name), &prefix), Some(at));
        assert_eq!(
            made_at(Path::new("tme-20261126-090503.redb"), &prefix),
            None
        );
        assert_eq!(made_at(Path::new("notes.txt"), &prefix), None);
    }
}
