//! Settings, in layers: built-in defaults < config file < `.env` in the working directory <
//! environment < command-line flags. Every effective value remembers which layer it came from.
//! The working directory is trusted only when `TME_TRUSTED_DIRS` says so: otherwise what its
//! files say is limited to the user's own view (see [`FileConfig::forget_trusted_only`]).

mod file;
mod keys;
mod recurring;
mod rules;
mod source;
mod theme;
mod types;

pub use file::{FileConfig, LogLevel};
pub use keys::{Action, KeyCombo, KeyList, KeyName, KeyScope};
pub use recurring::{EntrySchedule, RecurringEntry, ScheduleSection};
pub use source::{Setting, Source};
pub use theme::{COLOR_NAMES, ColorValue, Preset, ThemeSection};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::types::TaskTypes;
use crate::domain::{MissedPolicy, UrgencyWeights};
use crate::engine::{DeclaredSeries, Schedule};
use crate::store::{Database, parse_database_url};

/// A configuration problem, naming the file, line and key where there is one.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {}: {reason}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A key has a bad value, or is unknown.
    #[error("{}{}: {}{message}", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default(), key_prefix(key))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line, when known.
        line: Option<usize>,
        /// The key (`log.level`), or `.` for the file as a whole.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// An environment variable has a bad value.
    #[error("{origin}: {message}")]
    BadVariable {
        /// Where the variable was set.
        origin: Source,
        /// What is wrong.
        message: String,
    },
    /// No home directory to keep data in.
    #[error("cannot find a home directory for TME's data; set HOME or pass --db PATH")]
    NoHome,
}

fn key_prefix(key: &str) -> String {
    if key.is_empty() || key == "." {
        String::new()
    } else {
        format!("{key}: ")
    }
}

/// The directories TME uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// Where `config.yaml` (and, later, hooks) live.
    pub config: PathBuf,
    /// Where the database lives by default.
    pub data: PathBuf,
    /// Where logs are written.
    pub log: PathBuf,
}

impl Dirs {
    /// The platform directories (`~/.config/tme`, `~/.local/share/tme`, `~/.local/state/tme`).
    pub fn platform() -> Option<Dirs> {
        let project = directories::ProjectDirs::from("", "", "tme")?;
        let state = project
            .state_dir()
            .unwrap_or(project.data_local_dir())
            .to_path_buf();
        Some(Dirs {
            config: project.config_dir().to_path_buf(),
            data: project.data_dir().to_path_buf(),
            log: state.join("log"),
        })
    }
}

/// What the process was started with: environment variables, working directory, platform
/// directories. Injected so that tests never read the real environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// Environment variables.
    pub vars: BTreeMap<String, String>,
    /// The working directory (for `.env` and `conf/config.yaml`).
    pub cwd: PathBuf,
    /// The platform directories, if there is a home.
    pub dirs: Option<Dirs>,
}

impl Environment {
    /// The real environment of this process.
    pub fn from_process() -> Environment {
        Environment {
            vars: std::env::vars().collect(),
            cwd: std::env::current_dir().unwrap_or_default(),
            dirs: Dirs::platform(),
        }
    }
}

/// Settings given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--config PATH`
    pub config: Option<PathBuf>,
    /// `--db PATH`
    pub db: Option<PathBuf>,
    /// `-v`: log to the terminal too.
    pub verbose: bool,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database: a redb file or a PostgreSQL server.
    pub database: Setting<Database>,
    /// The first day of the week.
    pub week_start: Setting<Weekday>,
    /// The time zone dates are shown in.
    pub time_zone: Setting<Tz>,
    /// Urgency weights.
    pub urgency: Setting<UrgencyWeights>,
    /// How much is logged.
    pub log_level: Setting<LogLevel>,
    /// How many daily log files are kept.
    pub log_keep: Setting<usize>,
    /// Whether the database is copied once a day.
    pub backup_daily: Setting<bool>,
    /// How many daily copies are kept.
    pub backup_keep: Setting<usize>,
    /// Where copies go.
    pub backup_dir: Setting<PathBuf>,
    /// A fixed "now" (`TME_NOW`), for scripts and tests.
    pub now: Setting<Option<DateTime<Utc>>>,
    /// TUI key bindings that replace the defaults.
    pub keys: Setting<BTreeMap<Action, Vec<KeyCombo>>>,
    /// TUI colours.
    pub theme: Setting<ThemeSection>,
    /// Saved filters, by name.
    pub contexts: Setting<BTreeMap<String, String>>,
    /// Whether recurring instances are spawned.
    pub schedule_enabled: Setting<bool>,
    /// How long before its day an instance is spawned.
    pub schedule_horizon: Setting<chrono::Duration>,
    /// What happens to occurrences missed while no TME ran.
    pub schedule_missed: Setting<MissedPolicy>,
    /// Recurring tasks declared in the file.
    pub recurring: Setting<Vec<DeclaredSeries>>,
    /// Task types and their attributes.
    pub types: Setting<TaskTypes>,
    /// Where Taskwarrior-style hook scripts are looked for.
    pub hooks_dir: Setting<PathBuf>,
    /// How long a hook script may run before it (and all it started) is stopped.
    pub hook_timeout: Setting<std::time::Duration>,
    /// Automation rules.
    pub rules: Setting<Vec<crate::engine::Rule>>,
    /// An iCalendar file kept in step with the open tasks (none by default).
    pub calendar_file: Setting<Option<PathBuf>>,
    /// External plugin executables.
    pub plugins: Setting<Vec<PathBuf>>,
    /// How long a plugin may take to answer.
    pub plugin_timeout: Setting<std::time::Duration>,
    /// The webhook reminders and events go to (from the environment only).
    pub webhook_url: Option<String>,
    /// The sync server, if this file is a replica.
    pub sync_server: Setting<Option<String>>,
    /// This machine's name in the team's history.
    pub sync_machine: Setting<String>,
    /// The private file the sync token is read from when `TME_SYNC_TOKEN` is not set.
    pub sync_token_file: Setting<PathBuf>,
    /// The sync token from the environment (never from the config file: it is a secret).
    pub sync_token: Option<String>,
    /// Whether changing commands sync by themselves.
    pub sync_auto: Setting<bool>,
    /// Remind of tasks due within this long (zero: not at all).
    pub notify_due_soon: Setting<chrono::Duration>,
    /// Remind of overdue tasks.
    pub notify_overdue: Setting<bool>,
    /// Changes also sent to the webhook (`complete`, …).
    pub notify_events: Setting<Vec<String>>,
    /// The config file that was read, if any.
    pub file: Option<PathBuf>,
    /// What was found in an untrusted working directory and not used, in words.
    pub warnings: Vec<String>,
    /// The directories in use.
    pub dirs: Dirs,
}

/// Environment variable names, all prefixed so that an unrelated `DATABASE_URL` never points
/// TME at someone else's database.
pub mod vars {
    /// The database path or URL.
    pub const DATABASE_URL: &str = "TME_DATABASE_URL";
    /// The config file.
    pub const CONFIG: &str = "TME_CONFIG";
    /// The log level.
    pub const LOG_LEVEL: &str = "TME_LOG_LEVEL";
    /// A fixed "now" in RFC 3339 (`2026-11-26T09:00:00Z`).
    pub const NOW: &str = "TME_NOW";
    /// `false` turns off spawning of recurring instances.
    pub const SCHEDULE_ENABLED: &str = "TME_SCHEDULE_ENABLED";
    /// Where hook scripts live.
    pub const HOOKS_DIR: &str = "TME_HOOKS_DIR";
    /// The iCalendar file kept in step with the tasks.
    pub const CALENDAR_FILE: &str = "TME_CALENDAR_FILE";
    /// Plugin executables, separated by `:`.
    pub const EXTERNAL_PLUGINS: &str = "TME_EXTERNAL_PLUGINS";
    /// Where reminders and events are sent (never read from the config file: it is a secret).
    pub const WEBHOOK_URL: &str = "TME_WEBHOOK_URL";
    /// The sync server (also `sync.server`).
    pub const SYNC_SERVER: &str = "TME_SYNC_SERVER";
    /// The sync token (never read from the config file: it is a secret).
    pub const SYNC_TOKEN: &str = "TME_SYNC_TOKEN";
    /// This machine's name in the team's history (also `sync.machine`).
    pub const SYNC_MACHINE: &str = "TME_SYNC_MACHINE";
    /// The time zone (the standard variable).
    pub const TZ: &str = "TZ";
    /// Working directories (and the directories under them) whose `.env` and
    /// `conf/config.yaml` may set everything, separated by `:`. Read from the environment only.
    pub const TRUSTED_DIRS: &str = "TME_TRUSTED_DIRS";
}

/// What a `.env` in a working directory that is not trusted may set: only what changes how
/// this run behaves for the user, nothing that runs code, sends data, writes files elsewhere
/// or chooses the database.
const UNTRUSTED_VARIABLES: [&str; 2] = [vars::LOG_LEVEL, vars::SCHEDULE_ENABLED];

/// The most a `.env` file may hold; past this it is not read.
const MOST_DOTENV: u64 = 64 << 10;

/// Whether the working directory is one the user has said to trust (`TME_TRUSTED_DIRS` in the
/// environment, never from `.env`): the directory itself or one above it.
fn trusts_cwd(env: &Environment) -> bool {
    let Some(list) = env.vars.get(vars::TRUSTED_DIRS) else {
        return false;
    };
    let cwd = std::fs::canonicalize(&env.cwd).unwrap_or_else(|_| env.cwd.clone());
    list.split(':').filter(|d| !d.is_empty()).any(|dir| {
        let dir = expand_home(PathBuf::from(dir), env.vars.get("HOME"));
        std::fs::canonicalize(&dir).is_ok_and(|dir| cwd.starts_with(dir))
    })
}

/// How to trust the working directory, for warnings.
fn trust_hint(env: &Environment) -> String {
    format!(
        "to use it, trust this directory: export {}={}",
        vars::TRUSTED_DIRS,
        env.cwd.display()
    )
}

/// Finds the config file: `--config`, else `TME_CONFIG`, else `conf/config.yaml` in the working
/// directory, else `config.yaml` (or `.yml`, `.json`) in the platform config directory.
/// The working directory's file is passed over when `skip_local`.
fn find_file(
    env: &Environment,
    flags: &Flags,
    vars: &BTreeMap<String, (String, Source)>,
    dirs: &Dirs,
    skip_local: bool,
) -> Option<PathBuf> {
    if let Some(path) = &flags.config {
        return Some(path.clone());
    }
    if let Some((path, _)) = vars.get(vars::CONFIG) {
        return Some(PathBuf::from(path));
    }
    let local = local_file(env);
    if !skip_local && local.is_file() {
        return Some(local);
    }
    ["config.yaml", "config.yml", "config.json"]
        .iter()
        .map(|name| dirs.config.join(name))
        .find(|p| p.is_file())
}

/// The config file of the working directory.
fn local_file(env: &Environment) -> PathBuf {
    env.cwd.join("conf").join("config.yaml")
}

/// `TME_*` variables from `.env` in the working directory (only a regular file, and only what
/// [`UNTRUSTED_VARIABLES`] allows unless the directory is trusted), overridden by the
/// environment. What is passed over is said in `warnings`.
fn variables(
    env: &Environment,
    trusted: bool,
    warnings: &mut Vec<String>,
) -> BTreeMap<String, (String, Source)> {
    let mut out = BTreeMap::new();
    let dotenv = env.cwd.join(".env");
    // A directory (a Python venv), a FIFO or a device is no `.env`; nor is a huge file.
    let readable = std::fs::metadata(&dotenv).is_ok_and(|m| m.is_file() && m.len() <= MOST_DOTENV);
    if readable && let Ok(iter) = dotenvy::from_path_iter(&dotenv) {
        let mut passed_over = Vec::new();
        for (key, value) in iter.map_while(Result::ok) {
            if !key.starts_with("TME_") {
                continue;
            }
            if !trusted && !UNTRUSTED_VARIABLES.contains(&key.as_str()) {
                passed_over.push(key);
                continue;
            }
            let source = Source::DotEnv(dotenv.clone(), key.clone());
            out.insert(key, (value, source));
        }
        if !passed_over.is_empty() {
            warnings.push(format!(
                "{} sets {}, which only a trusted directory may; not used ({})",
                dotenv.display(),
                passed_over.join(", "),
                trust_hint(env)
            ));
        }
    }
    for (key, value) in &env.vars {
        if key.starts_with("TME_") || key == vars::TZ {
            out.insert(key.clone(), (value.clone(), Source::Env(key.clone())));
        }
    }
    out
}

fn system_time_zone() -> Option<Tz> {
    iana_time_zone::get_timezone().ok()?.parse().ok()
}

/// Reads `TZ`: a zone name, optionally with a leading colon; `:/etc/localtime` style paths
/// fall back to the system zone.
fn zone_from_tz(value: &str) -> Option<Tz> {
    value.trim_start_matches(':').parse().ok()
}

fn bad_variable(source: &Source, message: String) -> ConfigError {
    ConfigError::BadVariable {
        origin: source.clone(),
        message,
    }
}

/// Works out the effective configuration. A `conf/config.yaml` in a working directory that is
/// not trusted sets only what [`FileConfig::forget_trusted_only`] leaves, and one that is broken is
/// passed over with a warning: nothing found there makes a command fail.
pub fn load(env: &Environment, flags: &Flags) -> Result<Config, ConfigError> {
    let trusted = trusts_cwd(env);
    match load_layers(env, flags, trusted, false) {
        Err(e) if !trusted && uses_local_file(env, flags) => {
            let mut config = load_layers(env, flags, trusted, true)?;
            config
                .warnings
                .push(format!("{} is not used: {e}", local_file(env).display()));
            Ok(config)
        }
        other => other,
    }
}

/// Whether the config file would be the working directory's.
fn uses_local_file(env: &Environment, flags: &Flags) -> bool {
    flags.config.is_none() && !env.vars.contains_key(vars::CONFIG) && local_file(env).is_file()
}

fn load_layers(
    env: &Environment,
    flags: &Flags,
    trusted: bool,
    skip_local: bool,
) -> Result<Config, ConfigError> {
    let mut warnings = Vec::new();
    let vars = variables(env, trusted, &mut warnings);
    let dirs = match (&env.dirs, &flags.db, vars.get(vars::DATABASE_URL)) {
        (Some(dirs), _, _) => dirs.clone(),
        // Without a home, TME still runs when told where the database is; logs go beside it.
        (None, Some(db), _) => fallback_dirs(db),
        (None, None, Some((url, _))) => fallback_dirs(Path::new(url)),
        (None, None, None) => return Err(ConfigError::NoHome),
    };
    let file_path = find_file(env, flags, &vars, &dirs, skip_local);
    let mut file = match &file_path {
        Some(path) => file::read(path)?,
        None => FileConfig::default(),
    };
    if let Some(path) = &file_path
        && *path == local_file(env)
        && !trusted
    {
        let passed_over = file.forget_trusted_only();
        if !passed_over.is_empty() {
            warnings.push(format!(
                "{} sets {}, which only a trusted directory may; not used ({})",
                path.display(),
                passed_over.join(", "),
                trust_hint(env)
            ));
        }
    }
    let file_source = || Source::File(file_path.clone().unwrap_or_default());
    let file_error = |key: &str, message: String| ConfigError::Invalid {
        path: file_path.clone().unwrap_or_default(),
        line: None,
        key: key.to_string(),
        message,
    };

    let home = |path: PathBuf| expand_home(path, env.vars.get("HOME"));
    let located = |database: Database| match database {
        Database::File(path) => Database::File(home(path)),
        server => server,
    };
    let mut database = Setting::default_value(Database::File(dirs.data.join("tme.redb")));
    if let Some(url) = &file.database_url {
        let found =
            parse_database_url(url).map_err(|e| file_error("database_url", e.to_string()))?;
        database.layer(Some(located(found)), file_source());
    }
    if let Some((url, source)) = vars.get(vars::DATABASE_URL) {
        let found = parse_database_url(url).map_err(|e| bad_variable(source, e.to_string()))?;
        database.layer(Some(located(found)), source.clone());
    }
    // `--db` takes a file, or a server's URL as `TME_DATABASE_URL` does.
    let flag = match flags.db.as_deref().and_then(Path::to_str) {
        Some(text) if text.starts_with("postgres://") || text.starts_with("postgresql://") => Some(
            parse_database_url(text)
                .map_err(|e| bad_variable(&Source::Flag("--db"), e.to_string()))?,
        ),
        _ => flags.db.clone().map(|db| located(Database::File(db))),
    };
    database.layer(flag, Source::Flag("--db"));
    // Backups go beside a database file; a server's go with the data.
    let beside = database
        .value
        .file()
        .and_then(Path::parent)
        .map_or_else(|| dirs.data.join("backups"), |d| d.join("backups"));
    let mut backup_dir = Setting::default_value(beside);
    backup_dir.layer(file.backup.dir.clone().map(home), file_source());

    let mut week_start = Setting::default_value(Weekday::Mon);
    week_start.layer(file.week_start, file_source());

    let mut time_zone = Setting {
        value: system_time_zone().unwrap_or(chrono_tz::UTC),
        source: Source::System,
    };
    time_zone.layer(file.time_zone, file_source());
    if let Some((value, source)) = vars.get(vars::TZ)
        && let Some(tz) = zone_from_tz(value)
    {
        time_zone.layer(Some(tz), source.clone());
    }

    let mut urgency = Setting::default_value(UrgencyWeights::default());
    urgency.layer(file.urgency, file_source());

    let mut log_level = Setting::default_value(LogLevel::Info);
    log_level.layer(file.log.level, file_source());
    if let Some((value, source)) = vars.get(vars::LOG_LEVEL) {
        let level = LogLevel::parse(value).ok_or_else(|| {
            bad_variable(
                source,
                format!("'{value}' is not a log level; use error, warn, info, debug or trace"),
            )
        })?;
        log_level.layer(Some(level), source.clone());
    }
    let mut log_keep = Setting::default_value(7);
    log_keep.layer(file.log.keep, file_source());
    let mut backup_daily = Setting::default_value(false);
    backup_daily.layer(file.backup.daily, file_source());
    let mut backup_keep = Setting::default_value(7);
    backup_keep.layer(file.backup.keep, file_source());

    let mut now = Setting::default_value(None);
    if let Some((value, source)) = vars.get(vars::NOW) {
        let at = DateTime::parse_from_rfc3339(value).map_err(|_| {
            bad_variable(
                source,
                format!("'{value}' is not an RFC 3339 time like 2026-11-26T09:00:00Z"),
            )
        })?;
        now.layer(Some(Some(at.with_timezone(&Utc))), source.clone());
    }

    let mut keys = Setting::default_value(BTreeMap::new());
    if !file.keys.is_empty() {
        keys.layer(
            Some(
                file.keys
                    .into_iter()
                    .map(|(action, list)| (action, list.0))
                    .collect(),
            ),
            file_source(),
        );
    }
    let mut theme = Setting::default_value(ThemeSection::default());
    theme.layer(file.theme, file_source());
    let mut contexts = Setting::default_value(BTreeMap::new());
    if !file.contexts.is_empty() {
        contexts.layer(Some(file.contexts), file_source());
    }

    let mut hooks_dir = Setting::default_value(dirs.config.join("hooks"));
    hooks_dir.layer(file.hooks_dir.clone(), file_source());
    if let Some((value, source)) = vars.get(vars::HOOKS_DIR) {
        hooks_dir.layer(Some(PathBuf::from(value)), source.clone());
    }
    let mut calendar_file = Setting::default_value(None);
    calendar_file.layer(file.calendar_file.clone().map(Some), file_source());
    if let Some((value, source)) = vars.get(vars::CALENDAR_FILE) {
        calendar_file.layer(Some(Some(PathBuf::from(value))), source.clone());
    }
    let mut plugins = Setting::default_value(Vec::new());
    if !file.plugins.external.is_empty() {
        plugins.layer(Some(file.plugins.external.clone()), file_source());
    }
    if let Some((value, source)) = vars.get(vars::EXTERNAL_PLUGINS) {
        let list = value
            .split(':')
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect();
        plugins.layer(Some(list), source.clone());
    }
    let time_limit = |key: &str, text: &Option<String>, default: u64| {
        let mut limit = Setting::default_value(std::time::Duration::from_secs(default));
        if let Some(text) = text {
            let d = crate::domain::Duration::parse(text)
                .filter(|d| d.as_secs() > 0)
                .ok_or_else(|| {
                    file_error(key, format!("'{text}' is not a duration; use 5s or 1m"))
                })?;
            limit.layer(
                Some(std::time::Duration::from_secs(d.as_secs())),
                file_source(),
            );
        }
        Ok::<_, ConfigError>(limit)
    };
    let plugin_timeout = time_limit("plugins.timeout", &file.plugins.timeout, 5)?;
    let hook_timeout = time_limit("hooks_timeout", &file.hooks_timeout, 10)?;
    let webhook_url = vars
        .get(vars::WEBHOOK_URL)
        .map(|(v, _)| v.clone())
        .filter(|v| !v.is_empty());
    let mut sync_server = Setting::default_value(None);
    sync_server.layer(file.sync.server.clone().map(Some), file_source());
    if let Some((value, source)) = vars.get(vars::SYNC_SERVER) {
        sync_server.layer(
            Some(Some(value.clone()).filter(|v| !v.is_empty())),
            source.clone(),
        );
    }
    let mut sync_machine = Setting::default_value(host_name());
    sync_machine.layer(file.sync.machine.clone(), file_source());
    if let Some((value, source)) = vars.get(vars::SYNC_MACHINE) {
        sync_machine.layer(Some(value.clone()), source.clone());
    }
    if sync_machine.value.trim().is_empty() || sync_machine.value.contains(['\n', '\r']) {
        return Err(file_error(
            "sync.machine",
            "a machine's name is one line of text".into(),
        ));
    }
    let mut sync_token_file = Setting::default_value(dirs.config.join("sync-token"));
    sync_token_file.layer(file.sync.token_file.clone().map(home), file_source());
    let sync_token = vars
        .get(vars::SYNC_TOKEN)
        .map(|(v, _)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let mut sync_auto = Setting::default_value(true);
    sync_auto.layer(file.sync.auto, file_source());
    let mut notify_due_soon = Setting::default_value(chrono::Duration::days(1));
    if let Some(text) = &file.notify.due_soon {
        let d = recurring::horizon(text).map_err(|e| file_error("notify.due_soon", e))?;
        notify_due_soon.layer(Some(d), file_source());
    }
    let mut notify_overdue = Setting::default_value(true);
    notify_overdue.layer(file.notify.overdue, file_source());
    let mut notify_events = Setting::default_value(Vec::new());
    for event in &file.notify.events {
        if crate::engine::Event::parse(event).is_none() {
            return Err(file_error(
                "notify.events",
                format!("'{event}' is not an event; use add, modify, complete, delete or spawn"),
            ));
        }
    }
    if !file.notify.events.is_empty() {
        notify_events.layer(Some(file.notify.events.clone()), file_source());
    }
    let mut schedule_enabled = Setting::default_value(true);
    schedule_enabled.layer(file.schedule.enabled, file_source());
    if let Some((value, source)) = vars.get(vars::SCHEDULE_ENABLED) {
        let on = recurring::switch(value).map_err(|e| bad_variable(source, e))?;
        schedule_enabled.layer(Some(on), source.clone());
    }
    let mut schedule_horizon = Setting::default_value(chrono::Duration::zero());
    if let Some(text) = &file.schedule.horizon {
        let horizon = recurring::horizon(text).map_err(|e| file_error("schedule.horizon", e))?;
        schedule_horizon.layer(Some(horizon), file_source());
    }
    let mut schedule_missed = Setting::default_value(MissedPolicy::Latest);
    if let Some(text) = &file.schedule.missed {
        let policy = recurring::missed(text).map_err(|e| file_error("schedule.missed", e))?;
        schedule_missed.layer(Some(policy), file_source());
    }
    let mut declared = Setting::default_value(Vec::new());
    if !file.recurring.is_empty() {
        let list = recurring::declared_list(&file.recurring)
            .map_err(|(key, message)| file_error(&key, message))?;
        declared.layer(Some(list), file_source());
    }

    let load_time = crate::domain::TimeContext::new(
        now.value.unwrap_or_else(chrono::Utc::now),
        time_zone.value,
    );
    let mut types = Setting::default_value(TaskTypes::default());
    if !file.types.is_empty() {
        let read = types::task_types(&file.types, &load_time)
            .map_err(|(key, message)| file_error(&key, message))?;
        types.layer(Some(read), file_source());
    }
    let mut rules = Setting::default_value(Vec::new());
    if !file.rules.is_empty() {
        let read = rules::rules(&file.rules, &load_time)
            .map_err(|(key, message)| file_error(&key, message))?;
        rules.layer(Some(read), file_source());
    }

    Ok(Config {
        database,
        week_start,
        time_zone,
        urgency,
        log_level,
        log_keep,
        backup_daily,
        backup_keep,
        backup_dir,
        now,
        keys,
        theme,
        contexts,
        schedule_enabled,
        schedule_horizon,
        schedule_missed,
        recurring: declared,
        types,
        hooks_dir,
        rules,
        calendar_file,
        plugins,
        plugin_timeout,
        hook_timeout,
        webhook_url,
        sync_server,
        sync_machine,
        sync_token_file,
        sync_token,
        sync_auto,
        notify_due_soon,
        notify_overdue,
        notify_events,
        file: file_path,
        dirs,
        warnings,
    })
}

/// This machine's host name, or `this machine` when it has none that can be read.
fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "this machine".into())
}

/// Expands a leading `~/` to the home directory, as a shell would.
fn expand_home(path: PathBuf, home: Option<&String>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => Path::new(home).join(rest),
        _ => path,
    }
}

fn fallback_dirs(db: &Path) -> Dirs {
    let beside = db.parent().map(Path::to_path_buf).unwrap_or_default();
    Dirs {
        config: beside.clone(),
        data: beside.clone(),
        log: beside.join("log"),
    }
}

impl Config {
    /// How the engine spawns recurring instances.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            enabled: self.schedule_enabled.value,
            horizon: self.schedule_horizon.value,
            missed: self.schedule_missed.value,
        }
    }

    /// Every setting as `(key, value, source)`, for `tme config`.
    pub fn entries(&self) -> Vec<(String, String, Source)> {
        let mut out = vec![
            (
                "database_url".to_string(),
                self.database.value.to_string(),
                self.database.source.clone(),
            ),
            (
                "week_start".to_string(),
                crate::domain::full_weekday_name(self.week_start.value).to_string(),
                self.week_start.source.clone(),
            ),
            (
                "time_zone".to_string(),
                self.time_zone.value.name().to_string(),
                self.time_zone.source.clone(),
            ),
        ];
        if let Ok(serde_json::Value::Object(weights)) = serde_json::to_value(self.urgency.value) {
            for (key, value) in weights {
                out.push((
                    format!("urgency.{key}"),
                    value.to_string(),
                    self.urgency.source.clone(),
                ));
            }
        }
        out.push((
            "log.level".into(),
            self.log_level.value.as_str().into(),
            self.log_level.source.clone(),
        ));
        out.push((
            "log.keep".into(),
            self.log_keep.value.to_string(),
            self.log_keep.source.clone(),
        ));
        out.push((
            "backup.daily".into(),
            self.backup_daily.value.to_string(),
            self.backup_daily.source.clone(),
        ));
        out.push((
            "backup.keep".into(),
            self.backup_keep.value.to_string(),
            self.backup_keep.source.clone(),
        ));
        out.push((
            "backup.dir".into(),
            self.backup_dir.value.display().to_string(),
            self.backup_dir.source.clone(),
        ));
        if let Some(now) = self.now.value {
            out.push(("now".into(), now.to_rfc3339(), self.now.source.clone()));
        }
        out.push((
            "schedule.enabled".into(),
            self.schedule_enabled.value.to_string(),
            self.schedule_enabled.source.clone(),
        ));
        let horizon = crate::domain::Duration::from_secs(
            u64::try_from(self.schedule_horizon.value.num_seconds()).unwrap_or(0),
        );
        out.push((
            "schedule.horizon".into(),
            if horizon == crate::domain::Duration::ZERO {
                "0".into()
            } else {
                horizon.to_string()
            },
            self.schedule_horizon.source.clone(),
        ));
        out.push((
            "schedule.missed".into(),
            self.schedule_missed.value.as_str().into(),
            self.schedule_missed.source.clone(),
        ));
        for series in &self.recurring.value {
            out.push((
                format!("recurring.{}", series.key),
                format!("every {}", series.rule),
                self.recurring.source.clone(),
            ));
        }
        for kind in self.types.value.iter() {
            let attrs: Vec<String> = kind
                .attrs
                .iter()
                .map(|a| format!("{}{}", a.name, if a.required { "!" } else { "" }))
                .collect();
            out.push((
                format!("types.{}", kind.name),
                attrs.join(" "),
                self.types.source.clone(),
            ));
        }
        for rule in &self.rules.value {
            out.push((
                format!("rules.{}", rule.name),
                format!("{} action(s)", rule.actions.len()),
                self.rules.source.clone(),
            ));
        }
        out.push((
            "hooks_dir".to_string(),
            self.hooks_dir.value.display().to_string(),
            self.hooks_dir.source.clone(),
        ));
        out.push((
            "hooks_timeout".to_string(),
            format!("{}s", self.hook_timeout.value.as_secs()),
            self.hook_timeout.source.clone(),
        ));
        out.push((
            "calendar_file".to_string(),
            self.calendar_file
                .value
                .as_ref()
                .map_or_else(|| "(none)".to_string(), |p| p.display().to_string()),
            self.calendar_file.source.clone(),
        ));
        let plugins: Vec<String> = self
            .plugins
            .value
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        out.push((
            "plugins.external".to_string(),
            if plugins.is_empty() {
                "(none)".to_string()
            } else {
                plugins.join(":")
            },
            self.plugins.source.clone(),
        ));
        out.push((
            "sync.server".to_string(),
            self.sync_server
                .value
                .clone()
                .unwrap_or_else(|| "(none)".to_string()),
            self.sync_server.source.clone(),
        ));
        out.push((
            "sync.machine".to_string(),
            self.sync_machine.value.clone(),
            self.sync_machine.source.clone(),
        ));
        out.push((
            "sync.token_file".to_string(),
            self.sync_token_file.value.display().to_string(),
            self.sync_token_file.source.clone(),
        ));
        out.push((
            "sync.auto".to_string(),
            self.sync_auto.value.to_string(),
            self.sync_auto.source.clone(),
        ));
        out.push((
            "plugins.timeout".to_string(),
            format!("{}s", self.plugin_timeout.value.as_secs()),
            self.plugin_timeout.source.clone(),
        ));
        for (action, combos) in &self.keys.value {
            let shown: Vec<String> = combos.iter().map(ToString::to_string).collect();
            out.push((
                format!("keys.{}", action.config_name()),
                shown.join(" "),
                self.keys.source.clone(),
            ));
        }
        let preset = format!("{:?}", self.theme.value.preset).to_lowercase();
        out.push(("theme.preset".into(), preset, self.theme.source.clone()));
        for (role, value) in self.theme.value.overrides() {
            out.push((
                format!("theme.{role}"),
                value.to_string(),
                self.theme.source.clone(),
            ));
        }
        for (name, filter) in &self.contexts.value {
            out.push((
                format!("contexts.{name}"),
                filter.clone(),
                self.contexts.source.clone(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests;
