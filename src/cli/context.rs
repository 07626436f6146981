//! What every subcommand gets: the configuration, the application layer, the engine (opened
//! through it on first use, or lent by the TUI), the clock, and where output goes.

use std::cell::{OnceCell, RefCell};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use super::error::CliError;
use crate::app::{App, clock_for};
use crate::config::Config;
use crate::domain::TimeContext;
use crate::engine::{Clock, TaskManager};

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
    pub config: &'a Config,
    /// The application layer: what every change sets off.
    pub app: &'a App,
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
}

impl<'a> Ctx<'a> {
    /// Sets up a run of `app`, writing to the terminal.
    pub fn new(app: &'a App, summary: String, user: &str) -> Ctx<'a> {
        let config = app.config();
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
            clock: clock_for(config),
            config,
            app,
            summary,
            actor: format!("{user} via cli"),
            color,
            width,
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            engine: Engine::Lazy(Box::default()),
            output: Output::Stdout,
        }
    }

    /// A run inside the TUI: its engine, no terminal, output kept for [`Ctx::take_output`].
    pub fn lent(app: &'a App, summary: String, engine: &'a TaskManager) -> Ctx<'a> {
        Ctx {
            clock: engine.clock(),
            config: app.config(),
            app,
            summary,
            actor: String::new(),
            color: false,
            width: None,
            interactive: false,
            engine: Engine::Lent(engine),
            output: Output::Captured(RefCell::new(String::new())),
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
                let (tm, problems) = self.app.open(self.clock.clone(), &self.actor)?;
                for problem in problems {
                    self.warn(&problem.to_string());
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

    /// Says something beside the output: on standard error (`tme: warning: …`), or with the
    /// output when it is kept for the TUI, whose screen standard error would write over.
    pub fn warn(&self, text: &str) {
        match &self.output {
            Output::Captured(kept) => kept.borrow_mut().push_str(&format!("{text}\n")),
            Output::Stdout => eprintln!("tme: warning: {text}"),
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
