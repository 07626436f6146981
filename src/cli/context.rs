//! What every subcommand gets: the configuration, the engine (opened on first use), the
//! clock, and how to talk to the terminal.

use std::cell::OnceCell;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use super::error::CliError;
use crate::config::Config;
use crate::domain::TimeContext;
use crate::engine::{Clock, FixedClock, SystemClock, TaskManager};
use crate::store::RedbStore;

/// The state of one `tme` invocation.
pub struct Ctx {
    /// Effective settings.
    pub config: Config,
    /// What the journal records as the command (`tme done 3`).
    pub summary: String,
    /// Who runs it (`alice via cli`).
    pub actor: String,
    /// Whether to colour output.
    pub color: bool,
    /// The terminal's width, when stdout is one.
    pub width: Option<usize>,
    /// Whether questions can be asked (stdin and stderr are terminals).
    pub interactive: bool,
    clock: Arc<dyn Clock>,
    engine: OnceCell<TaskManager>,
}

impl Ctx {
    /// Sets up a run from its configuration.
    pub fn new(config: Config, summary: String, env_user: Option<String>) -> Ctx {
        let clock: Arc<dyn Clock> = match config.now.value {
            Some(at) => Arc::new(FixedClock::new(at)),
            None => Arc::new(SystemClock),
        };
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
            config,
            summary,
            actor: format!("{} via cli", env_user.unwrap_or_else(|| "someone".into())),
            color,
            width,
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            clock,
            engine: OnceCell::new(),
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
        if let Some(tm) = self.engine.get() {
            return Ok(tm);
        }
        let store = RedbStore::open(&self.config.database.value)?;
        let tm = TaskManager::builder(store)
            .clock(self.clock.clone())
            .time_zone(self.config.time_zone.value)
            .week_start(self.config.week_start.value)
            .urgency(self.config.urgency.value)
            .actor(self.actor.clone())
            .build();
        Ok(self.engine.get_or_init(|| tm))
    }

    /// Writes to stdout. A closed pipe (`tme list | head`) is not an error.
    pub fn print(&self, text: &str) -> Result<(), CliError> {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        }
    }

    /// Asks a yes/no question on the terminal; anything but y or yes is no.
    pub fn confirm(&self, question: &str) -> Result<bool, CliError> {
        let mut err = std::io::stderr().lock();
        write!(err, "{question} [y/N] ")?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
    }
}
