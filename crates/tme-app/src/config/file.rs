//! The config file: YAML or JSON (by extension), every key optional.

use std::path::Path;

use chrono::Weekday;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::ConfigError;
use super::keys::{Action, KeyList};
use super::recurring::{RecurringEntry, ScheduleSection};
use super::rules::RuleEntry;
use super::theme::ThemeSection;
use super::types::AttrEntry;
use crate::domain::UrgencyWeights;

/// How much the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Only errors.
    Error,
    /// Errors and warnings.
    Warn,
    /// Every action (the default).
    Info,
    /// More detail.
    Debug,
    /// Everything.
    Trace,
}

impl LogLevel {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }

    /// Parses a level name.
    pub fn parse(text: &str) -> Option<LogLevel> {
        [
            LogLevel::Error,
            LogLevel::Warn,
            LogLevel::Info,
            LogLevel::Debug,
            LogLevel::Trace,
        ]
        .into_iter()
        .find(|l| l.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// The `log:` section.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSection {
    /// `log.level`
    pub level: Option<LogLevel>,
    /// `log.keep`: how many daily log files to keep.
    pub keep: Option<usize>,
}

/// The `backup:` section.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSection {
    /// `backup.daily`: copy the database once a day, when the first run that uses it opens it.
    pub daily: Option<bool>,
    /// `backup.keep`: how many daily copies to keep.
    pub keep: Option<usize>,
    /// `backup.dir`: where copies go (default: `backups` beside the database).
    pub dir: Option<PathBuf>,
}

/// Everything the config file may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Where the database is: a path or `redb:///abs/path`.
    pub database_url: Option<String>,
    /// The first day of the week.
    #[serde(default, deserialize_with = "weekday")]
    pub week_start: Option<Weekday>,
    /// The time zone dates are shown in.
    #[serde(default, deserialize_with = "time_zone")]
    pub time_zone: Option<Tz>,
    /// Urgency weights; keys left out keep their defaults.
    pub urgency: Option<UrgencyWeights>,
    /// Logging.
    #[serde(default)]
    pub log: LogSection,
    /// Backups.
    #[serde(default)]
    pub backup: BackupSection,
    /// TUI key bindings: action → key or keys; each replaces the action's default keys.
    #[serde(default)]
    pub keys: BTreeMap<Action, KeyList>,
    /// TUI colours.
    pub theme: Option<ThemeSection>,
    /// Saved filters, by name, that the TUI switches between.
    #[serde(default)]
    pub contexts: BTreeMap<String, String>,
    /// How recurring instances are spawned.
    #[serde(default)]
    pub schedule: ScheduleSection,
    /// Where hook scripts live (default: `hooks` in the config directory).
    pub hooks_dir: Option<PathBuf>,
    /// How long a hook script may run before it is stopped (default: 10s).
    pub hooks_timeout: Option<String>,
    /// Automation rules.
    #[serde(default)]
    pub rules: Vec<RuleEntry>,
    /// An iCalendar file kept in step with the open tasks after every change.
    pub calendar_file: Option<PathBuf>,
    /// External plugins.
    #[serde(default)]
    pub plugins: PluginsSection,
    /// Reminders and events sent to a webhook (its URL only ever comes from TME_WEBHOOK_URL).
    #[serde(default)]
    pub notify: NotifySection,
    /// Syncing this file with a team's server (docs/sync.md); the token never comes from
    /// here.
    #[serde(default)]
    pub sync: SyncSection,
    /// Recurring tasks declared here.
    #[serde(default)]
    pub recurring: Vec<RecurringEntry>,
    /// Task types: name → attribute → its kind.
    #[serde(default)]
    pub types: BTreeMap<String, BTreeMap<String, AttrEntry>>,
}

/// The `notify:` section.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySection {
    /// Remind of tasks due within this long (`1d`; `0` turns it off).
    pub due_soon: Option<String>,
    /// Remind of tasks once they are overdue.
    pub overdue: Option<bool>,
    /// Also tell of these changes: add, modify, complete, delete, spawn.
    #[serde(default)]
    pub events: Vec<String>,
}

/// The `sync:` section.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSection {
    /// The server's address (`https://tasks.example.org`).
    pub server: Option<String>,
    /// This machine's name in the team's history (default: its host name).
    pub machine: Option<String>,
    /// A private file holding the API token (default: `sync-token` in the config directory).
    pub token_file: Option<PathBuf>,
    /// Whether each changing command (and the TUI, in the background) syncs (default: yes).
    pub auto: Option<bool>,
}

/// The `plugins:` section.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginsSection {
    /// Plugin executables to start.
    #[serde(default)]
    pub external: Vec<PathBuf>,
    /// How long a plugin may take to answer: `5s`, `1m`.
    pub timeout: Option<String>,
}

fn weekday<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Weekday>, D::Error> {
    let text = String::deserialize(d)?;
    crate::domain::parse_weekday(&text)
        .map(Some)
        .ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a weekday; use monday or sunday"))
        })
}

fn time_zone<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Tz>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<Tz>().map(Some).map_err(|_| {
        serde::de::Error::custom(format!(
            "'{text}' is not a time zone; use a name like Europe/Berlin or UTC"
        ))
    })
}

/// The most a config file may hold.
const MOST_FILE: u64 = 1 << 20;

/// Clears one setting of a [`FileConfig`]; whether it was set.
type Forget = fn(&mut FileConfig) -> bool;

/// The keys only a config file the user chose or trusts may set, each with how to clear it:
/// they run code (hooks, plugins; rules and declared series change tasks), send data (notify),
/// write files elsewhere (log, backup, calendar file) or choose the database.
const TRUSTED_ONLY: [(&str, Forget); 10] = [
    ("database_url", |f| f.database_url.take().is_some()),
    ("log", |f| {
        std::mem::take(&mut f.log) != LogSection::default()
    }),
    ("backup", |f| {
        std::mem::take(&mut f.backup) != BackupSection::default()
    }),
    ("hooks_dir", |f| f.hooks_dir.take().is_some()),
    ("hooks_timeout", |f| f.hooks_timeout.take().is_some()),
    ("rules", |f| !std::mem::take(&mut f.rules).is_empty()),
    ("calendar_file", |f| f.calendar_file.take().is_some()),
    ("plugins", |f| {
        std::mem::take(&mut f.plugins) != PluginsSection::default()
    }),
    ("notify", |f| {
        std::mem::take(&mut f.notify) != NotifySection::default()
    }),
    ("recurring", |f| {
        !std::mem::take(&mut f.recurring).is_empty()
    }),
];

impl FileConfig {
    /// Drops every setting only a trusted file may make (see `TRUSTED_ONLY`); the keys that
    /// were set.
    pub fn forget_trusted_only(&mut self) -> Vec<&'static str> {
        TRUSTED_ONLY
            .iter()
            .filter_map(|(key, forget)| forget(self).then_some(*key))
            .collect()
    }
}

/// Reads a config file, naming the file, line and key of any problem.
pub fn read(path: &Path) -> Result<FileConfig, ConfigError> {
    let unreadable = |reason: String| ConfigError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    // `TME_CONFIG=/dev/null` is the usual way to say "no config file": it reads as empty.
    if path == Path::new("/dev/null") {
        return Ok(FileConfig::default());
    }
    if !meta.is_file() {
        return Err(unreadable("it is not a regular file".into()));
    }
    if meta.len() > MOST_FILE {
        return Err(unreadable(format!(
            "it is {} bytes; a config file holds at most 1 MiB",
            meta.len()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let invalid = |line: Option<usize>, key: String, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        key,
        message,
    };
    if is_json {
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let line = Some(e.inner().line());
            let message = strip_location(&e.inner().to_string());
            invalid(line, e.path().to_string(), message)
        })
    } else if text.trim().is_empty() {
        Ok(FileConfig::default())
    } else {
        let de = serde_yaml_ng::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let line = e.inner().location().map(|l| l.line());
            let key = e.path().to_string();
            let inner = e.inner().to_string();
            // serde_yaml_ng puts the path in front of its own message; keep only the message.
            let message = inner.strip_prefix(&format!("{key}: ")).unwrap_or(&inner);
            invalid(line, key, strip_location(message))
        })
    }
}

/// Drops a trailing " at line X column Y" (the line is reported separately).
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}
