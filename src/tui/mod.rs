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

use crate::cli::{CliError, clock_for, open_engine, prepare};
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
) -> Result<Model, CliError> {
    let keymap = Keymap::new(&config.keys.value).map_err(CliError::Input)?;
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

/// Opens the TUI on the configured database, until the user quits.
pub fn run(config: Config, user: &str) -> Result<(), CliError> {
    if !runtime::has_terminal() {
        return Err(CliError::Input(
            "tme without a command opens the full-screen TUI, which needs a terminal; see `tme --help` for the commands".into(),
        ));
    }
    let clock = clock_for(&config);
    let mut engine = open_engine(&config, clock.clone(), &format!("{user} via tui"))?;
    // Hooks run for the TUI's changes too; what they say goes to the status line.
    let hooks = std::sync::Arc::new(
        crate::cli::ScriptHooks::in_dir(
            &config.hooks_dir.value,
            config.time_zone.value,
            "tme",
            "tui",
        )
        .keeping_feedback(),
    );
    if !hooks.is_empty() {
        hooks.launch().map_err(CliError::Runtime)?;
        engine.set_hooks(hooks.clone());
    }
    // Plugins hear about the TUI's changes too; what they say goes to the status line.
    let plugins = std::sync::Arc::new(
        crate::cli::Plugins::new(
            config.plugins.value.clone(),
            config.plugin_timeout.value,
            config.time_zone.value,
        )
        .keeping_feedback(),
    );
    if !plugins.is_empty() {
        engine.add_observer(plugins.clone());
    }
    let size = ratatui::crossterm::terminal::size()?;
    let problems = prepare(&engine, &config);
    let mut model = initial_model(&config, engine.time(), size)?;
    if !problems.is_empty() {
        update::update(
            &mut model,
            Msg::Feedback(Feedback::error(problems.join("; "))),
        );
    }
    terminal::restore_on_panic();
    let mut term = terminal::enter()?;
    let _restore = terminal::Restore;
    let ran = runtime::Runtime {
        engine: &engine,
        clock: clock.as_ref(),
        config: &config,
    }
    .run(&mut term, &mut model);
    if !hooks.is_empty() {
        hooks.exit();
    }
    plugins.finish();
    ran
}

#[cfg(test)]
mod tests;
