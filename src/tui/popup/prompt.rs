//! One-line prompts: a note, changes for several tasks, or a command line.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Binding, Outcome, bind, edit_line, find, hints, input_text, line_input, window};
use crate::config::{KeyCombo, KeyName};
use std::sync::Arc;

use crate::domain::capture::{format_changes, lex};
use crate::domain::types::TaskTypes;
use crate::domain::{TaskId, TimeContext};
use crate::tui::msg::Cmd;
use crate::tui::theme::Theme;

/// What the prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A note for a task (its id and title).
    Annotate(TaskId, String),
    /// Capture-text changes for these tasks.
    Modify(Vec<TaskId>),
    /// A `tme` command line.
    Command,
}

#[derive(Debug, Clone, Copy)]
enum Key {
    Submit,
    Cancel,
}

const KEYS: [Binding<Key>; 2] = [
    bind(KeyCombo::plain(KeyName::Enter), Key::Submit, "run"),
    bind(KeyCombo::plain(KeyName::Esc), Key::Cancel, "cancel"),
];

/// A one-line prompt.
pub struct Prompt {
    /// What it is for.
    pub purpose: Purpose,
    input: TextArea<'static>,
    /// What the text would do, or why it cannot.
    note: Result<String, String>,
    /// Task types, and the type the tasks being modified share, for reading attributes.
    types: Arc<TaskTypes>,
    current: Option<String>,
}

impl Prompt {
    /// An empty prompt.
    pub fn new(purpose: Purpose, time: &TimeContext) -> Prompt {
        let mut prompt = Prompt {
            purpose,
            input: line_input(""),
            note: Ok(String::new()),
            types: Arc::default(),
            current: None,
        };
        let placeholder = match &prompt.purpose {
            Purpose::Annotate(..) => "a note",
            Purpose::Modify(_) => "due:fri +urgent pri:H",
            Purpose::Command => "modify 12 due:fri",
        };
        prompt.input.set_placeholder_text(placeholder);
        prompt.reparse(time);
        prompt
    }

    /// Reads attributes of `current` (the type the modified tasks share) with `types`.
    pub fn typed(
        mut self,
        types: Arc<TaskTypes>,
        current: Option<String>,
        time: &TimeContext,
    ) -> Prompt {
        self.types = types;
        self.current = current;
        self.reparse(time);
        self
    }

    fn changes(
        &self,
        text: &str,
        time: &TimeContext,
    ) -> Result<crate::domain::TaskChanges, String> {
        self.types
            .parse_changes(&lex(text), self.current.as_deref(), time)
            .map_err(|e| e.to_string())
    }

    fn reparse(&mut self, time: &TimeContext) {
        let text = input_text(&self.input);
        self.note = match &self.purpose {
            Purpose::Modify(_) if text.trim().is_empty() => Ok(String::new()),
            Purpose::Modify(_) => match self.changes(&text, time) {
                Ok(changes) => Ok(format!("sets {}", format_changes(&changes, time.tz))),
                Err(e) => Err(e),
            },
            Purpose::Annotate(..) | Purpose::Command => Ok(String::new()),
        };
    }

    fn submit(&self, time: &TimeContext) -> Outcome {
        let text = input_text(&self.input);
        if text.trim().is_empty() {
            return Outcome::Close;
        }
        match &self.purpose {
            Purpose::Annotate(id, _) => Outcome::Run(Cmd::Annotate(*id, text.trim().to_string())),
            Purpose::Modify(ids) => match self.changes(&text, time) {
                Ok(changes) if !changes.is_empty() => {
                    Outcome::Run(Cmd::Update(ids.clone(), changes))
                }
                _ => Outcome::Stay,
            },
            Purpose::Command => {
                let words: Vec<String> = lex(text.trim_start_matches(':'))
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                let words = match words.first().map(String::as_str) {
                    Some("tme") => words[1..].to_vec(),
                    _ => words,
                };
                Outcome::Run(Cmd::RunCli(words))
            }
        }
    }

    /// Handles a key: Enter submits, Esc cancels, anything else edits.
    pub fn handle(&mut self, key: KeyEvent, time: &TimeContext) -> Outcome {
        match find(&KEYS, &key) {
            Some(Key::Cancel) => Outcome::Close,
            Some(Key::Submit) => self.submit(time),
            None => {
                if edit_line(&mut self.input, key) {
                    self.reparse(time);
                }
                Outcome::Stay
            }
        }
    }

    /// Draws the prompt.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = match &self.purpose {
            Purpose::Annotate(id, title) => format!("Note for {id} {title}"),
            Purpose::Modify(ids) if ids.len() == 1 => format!("Modify task {}", ids[0]),
            Purpose::Modify(ids) => format!("Modify {} tasks", ids.len()),
            Purpose::Command => "Command: any tme subcommand".to_string(),
        };
        let inner = window(frame, area, 72, 6, &title, theme);
        let [input, note, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(&self.input, input);
        let line = match &self.note {
            Ok(text) => Line::styled(text.clone(), theme.dim),
            Err(e) => Line::styled(format!("✗ {e}"), theme.error),
        };
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), note);
        frame.render_widget(Paragraph::new(hints(&KEYS, theme)), footer);
    }
}
