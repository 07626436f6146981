//! TUI tests: `update` fed with key events, and whole screens drawn on a `TestBackend` and
//! compared with reviewed snapshots. The clock, zone and database are fixed, so the screens
//! are the same on any machine on any day.

mod calendar;
mod hooks;
mod reports;
mod screens;
mod tree;
mod types;
mod updates;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::Model;
use super::msg::{Cmd, Msg};
use super::update::update;
use super::view::draw;
use super::worker::Worker;
use crate::app::{App, FrontEnd};
use crate::config::{Config, Dirs, Environment, Flags, load};
use crate::domain::{TaskId, capture};
use crate::engine::{FixedClock, TaskManager};

/// Thursday 2026-11-26, 09:00 in Berlin.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A TUI on a temporary database, driven without a terminal.
pub struct Harness {
    _dir: tempfile::TempDir,
    pub engine: TaskManager,
    pub config: Config,
    pub model: Model,
    pub clock: Arc<FixedClock>,
    pub app: App,
}

impl Harness {
    /// An empty database, with `config_text` as the config file.
    pub fn with_config(config_text: &str) -> Harness {
        Harness::wired(config_text, |_, _| {})
    }

    /// An empty database, with `config_text` as the config file and then `wire` changing the
    /// settings (given the test's directory), opened through the application layer as the
    /// TUI opens it.
    pub fn wired(config_text: &str, wire: impl FnOnce(&mut Config, &std::path::Path)) -> Harness {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let config_path = dir.path().join("config.yaml");
        std::fs::write(&config_path, config_text).unwrap_or_else(|e| panic!("config: {e}"));
        let env = Environment {
            vars: [("TZ".to_string(), "Europe/Berlin".to_string())]
                .into_iter()
                .collect(),
            cwd: dir.path().to_path_buf(),
            dirs: Some(Dirs {
                config: dir.path().join("config"),
                data: dir.path().join("data"),
                log: dir.path().join("log"),
            }),
        };
        let flags = Flags {
            config: Some(config_path),
            db: Some(dir.path().join("t.redb")),
            verbose: false,
        };
        let mut config = load(&env, &flags).unwrap_or_else(|e| panic!("config: {e}"));
        wire(&mut config, dir.path());
        let clock = Arc::new(FixedClock::new(now()));
        let front = FrontEnd {
            args: "tme".into(),
            command: "tui".into(),
            keep_feedback: true,
        };
        let app = App::new(config.clone(), &front);
        app.launch().unwrap_or_else(|e| panic!("launch: {e}"));
        let (engine, problems) = app
            .open(clock.clone(), "ann via tui")
            .unwrap_or_else(|e| panic!("open: {e}"));
        assert!(problems.is_empty(), "{problems:?}");
        let model = super::initial_model(&config, engine.time(), (100, 24))
            .unwrap_or_else(|e| panic!("model: {e}"));
        Harness {
            _dir: dir,
            engine,
            config,
            model,
            clock,
            app,
        }
    }

    /// An empty database with the default config.
    pub fn empty() -> Harness {
        Harness::with_config("")
    }

    /// A week of a researcher's and a team's work.
    pub fn sample() -> Harness {
        let mut h = Harness::empty();
        for line in [
            "Pay rent #Finance due:eom every:monthly pri:H",
            "Review pull request #Work.Backend +review due:today est:45m",
            "Write methods section #Research.Papers due:fri pri:M",
            "Run ablation #Research.ML dep:4 est:3h",
            "Buy coffee beans #Shopping +errand",
            "Renew passport due:2026-11-20",
            "Plan offsite #Work wait:+3d",
            "Reply to reviewers #Research.Papers +email due:+2d pri:H",
        ] {
            h.add(line);
        }
        h.engine
            .transaction("start", |s| s.start(crate::domain::TaskId(3)))
            .unwrap_or_else(|e| panic!("start: {e}"));
        h.load();
        h
    }

    /// Adds a task through the engine, as another process would.
    pub fn add(&self, line: &str) {
        let new = self
            .config
            .types
            .value
            .parse_new_task(&capture::lex(line), &self.engine.time())
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        self.engine
            .create(new)
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }

    /// Runs commands as the runtime would, feeding every result back into `update`, until
    /// nothing is left to do. Returns the commands that never reach the worker (quit, editor).
    pub fn run(&mut self, cmds: Vec<Cmd>) -> Vec<Cmd> {
        let worker = Worker::new(&self.engine, &self.app, &crate::cli::run_captured);
        let mut left = Vec::new();
        let mut queue = cmds;
        while let Some(cmd) = (!queue.is_empty()).then(|| queue.remove(0)) {
            if matches!(cmd, Cmd::Quit | Cmd::Editor(_)) {
                left.push(cmd);
                continue;
            }
            let mut msgs = Vec::new();
            worker.run(cmd, &mut |msg| {
                msgs.push(msg);
                true
            });
            for msg in msgs {
                queue.extend(update(&mut self.model, msg));
            }
        }
        left
    }

    /// Loads the tasks.
    pub fn load(&mut self) {
        let cmds = vec![Cmd::Load(super::data::Scope::Open)];
        self.run(cmds);
    }

    /// Sends a message and runs what it asks for.
    pub fn send(&mut self, msg: Msg) -> Vec<Cmd> {
        let cmds = update(&mut self.model, msg);
        self.run(cmds)
    }

    /// Presses a key.
    pub fn press(&mut self, code: KeyCode) -> Vec<Cmd> {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// Presses a key with Ctrl held.
    pub fn ctrl(&mut self, c: char) -> Vec<Cmd> {
        self.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )))
    }

    /// Types text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let modifiers = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            let cmds = update(
                &mut self.model,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), modifiers)),
            );
            self.run(cmds);
        }
    }

    /// Presses a character key (shift for upper case).
    pub fn key(&mut self, c: char) -> Vec<Cmd> {
        let modifiers = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        self.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), modifiers)))
    }

    /// The screen as text, at this size.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        self.model.width = width;
        self.model.height = height;
        update(&mut self.model, Msg::Resize(width, height));
        let mut terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
        terminal
            .draw(|frame| draw(&self.model, frame))
            .unwrap_or_else(|e| match e {});
        terminal.backend().to_string()
    }

    /// The titles in the list, top to bottom.
    pub fn titles(&self) -> Vec<String> {
        (0..self.model.rows.len())
            .filter_map(|r| self.model.row_view(r).map(|v| v.task.title.clone()))
            .collect()
    }

    /// Moves the selection down to task `id`.
    pub fn select(&mut self, id: u64) {
        self.key('g');
        for _ in 0..self.model.rows.len() {
            if self
                .model
                .selected_view()
                .is_some_and(|v| v.task.id.0 == id)
            {
                return;
            }
            self.key('j');
        }
        panic!("task {id} is not in the list");
    }

    /// The selected task's id (0 when nothing is selected).
    pub fn selected_id(&self) -> TaskId {
        self.model.selected_view().map_or(TaskId(0), |v| v.task.id)
    }

    /// What the status line says now (panics when it says nothing).
    pub fn feedback(&self) -> crate::tui::msg::Feedback {
        self.model
            .message
            .as_ref()
            .map(|m| m.feedback.clone())
            .unwrap_or_else(|| panic!("the status line is empty"))
    }

    /// The selected task's title.
    pub fn selected(&self) -> String {
        self.model
            .selected_view()
            .map(|v| v.task.title.clone())
            .unwrap_or_default()
    }
}

#[test]
fn the_readme_lists_the_default_keys() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap_or_else(|e| panic!("README.md: {e}"));
    let table = super::keymap::readme_table();
    assert!(
        readme.contains(&table),
        "the README's key table is out of date; it should read:\n{table}"
    );
}
