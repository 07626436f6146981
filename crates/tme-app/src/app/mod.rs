//! The application layer every front end opens its engine through, so that a change made from
//! the CLI, the TUI (and the server and Python module to come) has exactly the same effects:
//! [`App::open`] gives an engine with hooks, plugins, rules and the webhook wired and the
//! database prepared (daily backup, declared series, recurrence caught up);
//! [`App::after_command`] does the work that follows changes (reminders, the calendar file);
//! [`App::finish`] ends the run (`on-exit` hooks, plugins told goodbye).

mod error;

pub use error::AppError;

use std::sync::{Arc, Mutex};

use crate::config::{Config, Environment, Source};
use crate::engine::{Clock, EngineError, FixedClock, Synced, SystemClock, TaskManager};
use crate::integrations::notify::Budget;
use crate::integrations::{EventNotifier, Plugins, Said, ScriptHooks, backups, calendar_file};
use crate::store::AnyStore;

/// Which front end a run is, for hooks (Taskwarrior's `args:` and `command:`) and for where
/// messages go.
#[derive(Debug, Clone)]
pub struct FrontEnd {
    /// The whole command line, as the journal records it (`tme done 3`).
    pub args: String,
    /// The command word (`done`; `tui` for the TUI).
    pub command: String,
    /// Keep what hooks, plugins and the webhook say for [`App::take_feedback`] instead of
    /// printing it on stderr (a front end that owns the screen).
    pub keep_feedback: bool,
}

/// One run of TME with everything a change sets off.
pub struct App {
    config: Config,
    hooks: Arc<ScriptHooks>,
    plugins: Arc<Plugins>,
    said: Said,
    /// The time this run may spend on the webhook.
    webhook: Arc<Budget>,
    /// The store's change stamp when the calendar file was last brought up to date.
    calendar_at: Mutex<Option<u64>>,
    /// The store's change stamp when it last synced (or was opened).
    synced_at: Mutex<Option<u64>>,
    /// When [`App::sync_now_and_then`] last tried.
    sync_tried: Mutex<Option<std::time::Instant>>,
}

/// The clock a configuration asks for: pinned by `TME_NOW`, else the system's.
pub fn clock_for(config: &Config) -> Arc<dyn Clock> {
    match config.now.value {
        Some(at) => Arc::new(FixedClock::new(at)),
        None => Arc::new(SystemClock),
    }
}

/// Who the journal records as running a front end: the user's name from the environment,
/// else the database role, else "someone".
pub fn user_name(env: &Environment, config: &Config) -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|name| env.vars.get(*name))
        .cloned()
        .or_else(|| config.database.value.role())
        .unwrap_or_else(|| "someone".into())
}

/// How often a front end that stays open syncs by itself.
const SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Opens the database a configuration names. A chosen database whose directory is gone (an
/// unmounted disk, a renamed folder) is not replaced by a new, empty one: that would look like
/// every task was lost.
pub fn open_store(config: &Config) -> Result<AnyStore, AppError> {
    let database = &config.database.value;
    if let Some(path) = database.file()
        && config.database.source != Source::Default
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        return Err(AppError::NoDatabaseDir {
            path: path.to_path_buf(),
            source_name: config.database.source.to_string(),
        });
    }
    Ok(AnyStore::open(database)?)
}

impl App {
    /// Sets up a run from its settings; nothing is started or opened yet.
    pub fn new(config: Config, front: &FrontEnd) -> App {
        let said = if front.keep_feedback {
            Said::kept()
        } else {
            Said::default()
        };
        let hooks = ScriptHooks::in_dir(
            &config.hooks_dir.value,
            config.time_zone.value,
            &front.args,
            &front.command,
        )
        .within(config.hook_timeout.value)
        .telling(said.clone());
        let plugins = Plugins::new(
            config.plugins.value.clone(),
            config.plugin_timeout.value,
            config.time_zone.value,
        )
        .telling(said.clone());
        App {
            config,
            hooks: Arc::new(hooks),
            plugins: Arc::new(plugins),
            said,
            webhook: Arc::default(),
            calendar_at: Mutex::new(None),
            synced_at: Mutex::new(None),
            sync_tried: Mutex::new(None),
        }
    }

    /// The settings of this run.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The configured plugins, for their subcommands.
    pub fn plugins(&self) -> &Plugins {
        &self.plugins
    }

    /// Runs the `on-launch` hooks; the reason, when one refuses the run.
    pub fn launch(&self) -> Result<(), AppError> {
        self.hooks.launch().map_err(AppError::Refused)
    }

    /// Opens the engine with everything wired, then prepares the database (the day's backup,
    /// the series the config declares, the instances that have come due). What went wrong
    /// while preparing is returned in words: it never keeps a user from their tasks.
    ///
    /// ```
    /// use tme_app::app::{App, FrontEnd, clock_for};
    /// use tme_app::config::{Dirs, Environment, Flags, load};
    /// let dir = tempfile::tempdir().unwrap();
    /// // Settings from a directory of this example's own, never the user's.
    /// let home = |name: &str| dir.path().join(name);
    /// let dirs = Dirs { config: home("config"), data: home("data"), log: home("log") };
    /// let env = Environment { vars: Default::default(), cwd: dir.path().into(), dirs: Some(dirs) };
    /// let flags = Flags { db: Some(home("t.redb")), ..Flags::default() };
    /// let config = load(&env, &flags).unwrap();
    /// let front = FrontEnd { args: "example".into(), command: "example".into(), keep_feedback: true };
    /// let app = App::new(config, &front);
    /// app.launch().unwrap();
    /// let (tm, problems) = app.open(clock_for(app.config()), "me via example").unwrap();
    /// assert!(problems.is_empty());
    /// tm.add_task("Pay rent", Some("Finance")).unwrap();
    /// app.after_command(&tm);
    /// app.finish();
    /// ```
    pub fn open(
        &self,
        clock: Arc<dyn Clock>,
        actor: &str,
    ) -> Result<(TaskManager, Vec<String>), AppError> {
        let config = &self.config;
        // A replica's commands say on which machine they were made, in everyone's history.
        let actor = match &config.sync_server.value {
            Some(_) => format!("{actor} on {}", config.sync_machine.value),
            None => actor.to_string(),
        };
        let mut builder = TaskManager::builder(open_store(config)?)
            .clock(clock)
            .time_zone(config.time_zone.value)
            .week_start(config.week_start.value)
            .urgency(config.urgency.value)
            .schedule(config.schedule())
            .types(config.types.value.clone())
            .rules(config.rules.value.clone())
            .actor(actor.as_str());
        if !self.hooks.is_empty() {
            builder = builder.hooks(self.hooks.clone());
        }
        if !self.plugins.is_empty() {
            builder = builder.observer(self.plugins.clone());
        }
        if let Some(notifier) =
            EventNotifier::for_config(config, self.said.clone(), self.webhook.clone())
        {
            builder = builder.observer(Arc::new(notifier));
        }
        let tm = builder.build();
        if config.calendar_file.value.is_some()
            && let Ok(mut at) = self.calendar_at.lock()
        {
            *at = tm.change_stamp().ok();
        }
        if self.syncs_by_itself()
            && let Ok(mut at) = self.synced_at.lock()
        {
            *at = tm.change_stamp().ok();
        }
        let problems = self.prepare(&tm);
        Ok((tm, problems))
    }

    fn prepare(&self, tm: &TaskManager) -> Vec<String> {
        let mut problems = Vec::new();
        match backups::daily(tm, &self.config) {
            Ok(Some(path)) => tracing::info!(path = %path.display(), "daily backup"),
            Ok(None) => {}
            Err(e) => problems.push(format!("the daily backup was not made: {e}")),
        }
        if let Err(e) = tm.sync_declared(&self.config.recurring.value) {
            tracing::warn!(error = %e, "declared recurring tasks not synced");
            problems.push(format!(
                "recurring tasks in the config were not synced: {e}"
            ));
        }
        if let Err(e) = tm.catch_up() {
            tracing::warn!(error = %e, "recurring instances not spawned");
            problems.push(format!("recurring instances were not spawned: {e}"));
        }
        problems
    }

    /// The work that follows a command (or, in the TUI, any change): reminders that came due
    /// go to the webhook (within what is left of the command's 5 s for it, which is then
    /// renewed for the next), and the calendar file is rewritten when the tasks changed since
    /// it was last written. Problems are told as warnings, never fatal.
    pub fn after_command(&self, tm: &TaskManager) {
        self.sync_if_changed(tm);
        if self.config.webhook_url.is_some() {
            crate::integrations::notify::remind(tm, &self.config, &self.said, &self.webhook);
            self.webhook.renew();
        }
        let Some(path) = &self.config.calendar_file.value else {
            return;
        };
        let Ok(mut written) = self.calendar_at.lock() else {
            return;
        };
        let now = tm.change_stamp().ok();
        if now.is_some() && now == *written {
            return;
        }
        match calendar_file::write(path, tm) {
            Ok(()) => *written = now,
            Err(e) => self.said.say(format!(
                "tme: warning: the calendar file {} was not updated: {e}",
                path.display()
            )),
        }
    }

    /// Syncs with the configured server (`tme sync`); `quick` keeps the waits short.
    pub fn sync(&self, tm: &TaskManager, quick: bool) -> Result<Synced, AppError> {
        let synced = crate::sync::sync(&self.config, tm, quick)?;
        if let Ok(mut at) = self.synced_at.lock() {
            *at = tm.change_stamp().ok();
        }
        Ok(synced)
    }

    /// For a front end that stays open (the TUI): with a sync server set and `sync.auto` on,
    /// syncs at most once a minute, to bring in what others did. When it synced and something
    /// moved, the lines to show (ids that changed, changes that lost, or a refusal); offline,
    /// nothing.
    pub fn sync_now_and_then(&self, tm: &TaskManager) -> Option<Vec<String>> {
        if !self.syncs_by_itself() {
            return None;
        }
        let now = std::time::Instant::now();
        {
            let mut last = self.sync_tried.lock().ok()?;
            if last.is_some_and(|at| now.duration_since(at) < SYNC_EVERY) {
                return None;
            }
            *last = Some(now);
        }
        match self.quiet_sync(tm)? {
            Ok(synced) if synced.pushed == 0 && synced.taken.commands == 0 => None,
            Ok(synced) => Some(crate::sync::report(&synced).into_iter().skip(1).collect()),
            Err(e) => Some(vec![format!("not synced: {e}")]),
        }
    }

    /// Whether a sync server is set and `sync.auto` is on.
    fn syncs_by_itself(&self) -> bool {
        self.config.sync_server.value.is_some() && self.config.sync_auto.value
    }

    /// A sync that rides on other work: `None` when the server could not be reached (offline
    /// is normal, and nothing is said), else how it went.
    fn quiet_sync(&self, tm: &TaskManager) -> Option<Result<Synced, AppError>> {
        match self.sync(tm, true) {
            Err(AppError::Engine(EngineError::Sync(why))) if crate::sync::is_offline(&why) => {
                tracing::info!(%why, "not synced");
                None
            }
            outcome => Some(outcome),
        }
    }

    /// With a sync server set (and `sync.auto` on), syncs when the tasks changed since the
    /// last sync (or since the database was opened). Offline, it says nothing (the changes
    /// wait for the next sync); a refusal is told as a warning, and so are the ids and the
    /// changes that lost.
    fn sync_if_changed(&self, tm: &TaskManager) {
        if !self.syncs_by_itself() {
            return;
        }
        let stamp = tm.change_stamp().ok();
        if self.synced_at.lock().map(|at| *at == stamp).unwrap_or(true) {
            return;
        }
        match self.quiet_sync(tm) {
            Some(Ok(synced)) => {
                for line in crate::sync::report(&synced).into_iter().skip(1) {
                    self.said.say(format!("tme: sync: {line}"));
                }
            }
            Some(Err(e)) => self.said.say(format!("tme: warning: not synced: {e}")),
            None => {}
        }
    }

    /// What hooks, plugins, rules and the webhook said since this was last asked, when they
    /// keep it (see [`FrontEnd::keep_feedback`]).
    pub fn take_feedback(&self, tm: &TaskManager) -> Vec<String> {
        let mut said = tm.take_feedback();
        said.extend(self.said.take());
        said
    }

    /// Ends the run: the `on-exit` hooks hear what changed, and plugins are told goodbye.
    pub fn finish(&self) {
        if !self.hooks.is_empty() {
            self.hooks.exit();
        }
        self.plugins.finish();
    }
}
