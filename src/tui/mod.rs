//! The full-screen TUI, Elm-style: a [`model::Model`] with all UI state, [`msg::Msg`]s for
//! everything that happens, [`update::update`] that changes the model and asks for work
//! ([`msg::Cmd`]) without doing any I/O, [`view::draw`] that only paints, and a small
//! [`runtime`] that feeds events in and runs the work on a worker thread.

pub mod calendar;
mod calendar_keys;
pub mod data;
mod filter_line;
pub mod fuzzy;
pub mod keymap;
pub mod model;
pub mod msg;
pub mod popup;
pub mod reports;
pub mod runtime;
pub mod terminal;
pub mod theme;
pub mod tree;
mod tree_keys;
pub mod update;
pub mod view;
pub mod worker;

/// Runs a `tme` command line (without the leading `tme`) for the `:` line, on the TUI's own
/// engine: whether it succeeded, and everything it printed or the error. The binary injects
/// the command line's runner, so that the TUI depends on no part of the CLI.
pub type CommandRunner =
    dyn Fn(&[String], &App, &crate::engine::TaskManager) -> (bool, String) + Sync;

mod error;

pub use error::TuiError;

use crate::app::{App, FrontEnd, clock_for};
use crate::config::Config;
use keymap::Keymap;
use model::Model;
use msg::{Feedback, Msg};
use theme::Theme;

/// The model the TUI starts with, from the settings.
pub fn initial_model(
    config: &Config,
    time: crate::domain::TimeContext,
    size: (u16, u16),
) -> Result<Model, TuiError> {
    let keymap = Keymap::new(&config.keys.value).map_err(TuiError::Input)?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::from_config(&config.theme.value, no_color);
    let contexts = config
        .contexts
        .value
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut model = Model::new(time, keymap, theme, contexts, size);
    model.types = std::sync::Arc::new(config.types.value.clone());
    Ok(model)
}

/// Opens the TUI on the configured database, until the user quits; `:` lines go to `commands`.
pub fn run(config: Config, user: &str, commands: &CommandRunner) -> Result<(), TuiError> {
    if !runtime::has_terminal() {
        return Err(TuiError::Input(
            "tme without a command opens the full-screen TUI, which needs a terminal; see `tme --help` for the commands".into(),
        ));
    }
    let front = FrontEnd {
        args: "tme".into(),
        command: "tui".into(),
        keep_feedback: true,
    };
    let app = App::new(config, &front);
    app.launch()?;
    let clock = clock_for(app.config());
    let (engine, problems) = app.open(clock.clone(), &format!("{user} via tui"))?;
    let size = ratatui::crossterm::terminal::size()?;
    let mut model = initial_model(app.config(), engine.time(), size)?;
    let mut said = app.config().warnings.clone();
    said.extend(problems);
    said.extend(app.take_feedback(&engine));
    if !said.is_empty() {
        update::update(&mut model, Msg::Feedback(Feedback::error(said.join("; "))));
    }
    terminal::restore_on_panic();
    let mut term = terminal::enter()?;
    let _restore = terminal::Restore;
    let ran = runtime::Runtime {
        engine: &engine,
        clock: clock.as_ref(),
        config: app.config(),
        app: &app,
        commands,
    }
    .run(&mut term, &mut model);
    app.finish();
    ran
}

#[cfg(test)]
mod tests;
