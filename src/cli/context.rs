//! What every subcommand gets: the configuration, the engine (opened on first use, or lent by
//! the TUI), the clock, and where output goes.

use std::cell::{OnceCell, RefCell};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use super::error::CliError;
use crate::config::Config;
use crate::domain::TimeContext;
use crate::engine::{Clock, FixedClock, SystemClock, TaskManager};
use crate::store::RedbStore;

/// The engine a command uses.
enum Engine<'a> {
    /// Opened on first use (most commands never need more).
    Lazy(Box<OnceCell<TaskManager>>),
    /// Lent by the TUI for a `:` command line.
    Lent(&'a TaskManager),
}

/// Where a command's output goes.
enum Output {
    /// The process's stdout.
    Stdout,
    /// Kept, for the TUI to show.
    Captured(RefCell<String>),
}

/// The state of one `tme` invocation.
pub struct Ctx<'a> {
    /// Effective settings.
    pub config: Config,
    /// What the journal records as the command (`tme done 3`).
    pub summary: String,
    /// Who runs it, and through what (`alice via cli`).
    pub actor: String,
    /// Whether to colour output.
    pub color: bool,
    /// The terminal's width, when stdout is one.
    pub width: Option<usize>,
    /// Whether questions can be asked (stdin and stderr are terminals).
    pub interactive: bool,
    clock: Arc<dyn Clock>,
    engine: Engine<'a>,
    output: Output,
    /// Hook scripts every change passes through.
    pub hooks: Option<Arc<dyn crate::engine::ChangeHooks>>,
    /// The store's change stamp when this run opened it.
    opened_at: OnceCell<u64>,
    /// Told about each command's changes (plugins).
    pub observer: Option<Arc<dyn crate::engine::ChangeObserver>>,
    /// The configured plugins, for their subcommands.
    pub plugins: Option<Arc<super::plugins::Plugins>>,
}

/// The clock a configuration asks for: pinned by `TME_NOW`, else the system's.
pub fn clock_for(config: &Config) -> Arc<dyn Clock> {
    match config.now.value {
        Some(at) => Arc::new(FixedClock::new(at)),
        None => Arc::new(SystemClock),
    }
}

/// Opens the database a configuration names. A chosen database whose directory is gone (an
/// unmounted disk, a renamed folder) is not replaced by a new, empty one: that would look like
/// every task was lost.
pub fn open_store(config: &Config) -> Result<RedbStore, CliError> {
    let path = &config.database.value;
    if config.database.source != crate::config::Source::Default
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        return Err(CliError::Runtime(format!(
            "the database {} (set by {}) is in a directory that does not exist; mount or create {} first",
            path.display(),
            config.database.source,
            dir.display()
        )));
    }
    Ok(RedbStore::open(path)?)
}

/// Opens the engine a configuration describes.
pub fn open_engine(
    config: &Config,
    clock: Arc<dyn Clock>,
    actor: &str,
) -> Result<TaskManager, CliError> {
    let store = open_store(config)?;
    Ok(TaskManager::builder(store)
        .clock(clock)
        .time_zone(config.time_zone.value)
        .week_start(config.week_start.value)
        .urgency(config.urgency.value)
        .schedule(config.schedule())
        .types(config.types.value.clone())
        .rules(config.rules.value.clone())
        .actor(actor)
        .build())
}

/// What happens when a run opens the database, before anything else: the day's backup (when
/// `backup.daily` is on), then recurring series brought up to date (the series the config
/// declares, then the instances that have come due). Returns what went wrong, in words: a
/// problem here is reported but never keeps a user from their tasks.
pub fn prepare(tm: &TaskManager, config: &Config) -> Vec<String> {
    let mut problems = Vec::new();
    match super::backup::daily(tm, config) {
        Ok(Some(path)) => tracing::info!(path = %path.display(), "daily backup"),
        Ok(None) => {}
        Err(e) => problems.push(format!("the daily backup was not made: {e}")),
    }
    if let Err(e) = tm.sync_declared(&config.recurring.value) {
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

impl Ctx<'static> {
    /// Sets up a run from its configuration, writing to the terminal.
    pub fn new(config: Config, summary: String, user: &str) -> Ctx<'static> {
        let stdout = std::io::stdout();
        let color = stdout.is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        let width = stdout
            .is_terminal()
            .then(|| {
                crossterm::terminal::size()
                    .ok()
                    .map(|(w, _)| usize::from(w))
            })
            .flatten();
        Ctx {
            clock: clock_for(&config),
            config,
            summary,
            actor: format!("{user} via cli"),
            color,
            width,
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            engine: Engine::Lazy(Box::default()),
            output: Output::Stdout,
            hooks: None,
            observer: None,
            plugins: None,
            opened_at: OnceCell::new(),
        }
    }
}

impl<'a> Ctx<'a> {
    /// A run inside the TUI: its engine, no terminal, output kept for [`Ctx::take_output`].
    pub fn lent(config: Config, summary: String, engine: &'a TaskManager) -> Ctx<'a> {
        Ctx {
            clock: engine.clock(),
            config,
            summary,
            actor: String::new(),
            color: false,
            width: None,
            interactive: false,
            engine: Engine::Lent(engine),
            output: Output::Captured(RefCell::new(String::new())),
            hooks: None,
            observer: None,
            plugins: None,
            opened_at: OnceCell::new(),
        }
    }

    /// The output kept so far (empty when it went to stdout).
    pub fn take_output(&self) -> String {
        match &self.output {
            Output::Captured(text) => text.take(),
            Output::Stdout => String::new(),
        }
    }

    /// "Now" and the user's zone, for parsing dates before the database is opened.
    pub fn time(&self) -> TimeContext {
        TimeContext {
            now: self.clock.now(),
            tz: self.config.time_zone.value,
            week_start: self.config.week_start.value,
        }
    }

    /// The engine, opening the database on first use.
    pub fn engine(&self) -> Result<&TaskManager, CliError> {
        match &self.engine {
            Engine::Lent(tm) => Ok(tm),
            Engine::Lazy(cell) => {
                if let Some(tm) = cell.get() {
                    return Ok(tm);
                }
                let mut tm = open_engine(&self.config, self.clock.clone(), &self.actor)?;
                // Only the calendar file asks whether this run changed anything.
                if self.config.calendar_file.value.is_some() {
                    let _ = self.opened_at.set(tm.change_stamp().unwrap_or(0));
                }
                if let Some(hooks) = &self.hooks {
                    tm.set_hooks(hooks.clone());
                }
                if let Some(observer) = &self.observer {
                    tm.add_observer(observer.clone());
                }
                for problem in prepare(&tm, &self.config) {
                    eprintln!("tme: warning: {problem}");
                }
                Ok(cell.get_or_init(|| tm))
            }
        }
    }

    /// The engine, if this run opened it (nothing is opened just to ask).
    pub fn opened_engine(&self) -> Option<&TaskManager> {
        match &self.engine {
            Engine::Lazy(cell) => cell.get(),
            Engine::Lent(_) => None,
        }
    }

    /// The engine, if this run opened it and changed something with it.
    pub fn changed_engine(&self) -> Option<&TaskManager> {
        let tm = self.opened_engine()?;
        let before = *self.opened_at.get()?;
        (tm.change_stamp().ok()? != before).then_some(tm)
    }

    /// What automation rules said during this run (nothing if the database was never opened).
    pub fn rule_notes(&self) -> Vec<String> {
        match &self.engine {
            Engine::Lent(tm) => tm.take_notes(),
            Engine::Lazy(cell) => cell.get().map(TaskManager::take_notes).unwrap_or_default(),
        }
    }

    /// Writes `value` as pretty JSON and a newline.
    pub fn print_json(&self, value: &impl serde::Serialize) -> Result<(), CliError> {
        let text =
            serde_json::to_string_pretty(value).map_err(|e| CliError::Runtime(e.to_string()))?;
        self.print(&format!("{text}\n"))
    }

    /// Writes output. A closed pipe (`tme list | head`) is not an error.
    pub fn print(&self, text: &str) -> Result<(), CliError> {
        if let Output::Captured(kept) = &self.output {
            kept.borrow_mut().push_str(text);
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        }
    }

    /// Asks a question on the terminal; the answer, trimmed and lowercase.
    pub fn ask(&self, question: &str) -> Result<String, CliError> {
        let mut err = std::io::stderr().lock();
        write!(err, "{question} ")?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(answer.trim().to_lowercase())
    }

    /// Asks a yes/no question on the terminal; anything but y or yes is no.
    pub fn confirm(&self, question: &str) -> Result<bool, CliError> {
        let answer = self.ask(&format!("{question} [y/N]"))?;
        Ok(matches!(answer.as_str(), "y" | "yes"))
    }
}
