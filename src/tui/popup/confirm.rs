//! Yes or no before something drastic.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{Binding, Outcome, bind, find, hints, window};
use crate::config::{KeyCombo, KeyName};
use crate::tui::msg::Cmd;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy)]
enum Key {
    Yes,
    No,
}

const KEYS: [Binding<Key>; 5] = [
    bind(KeyCombo::char('y'), Key::Yes, "yes"),
    bind(KeyCombo::plain(KeyName::Enter), Key::Yes, "yes"),
    bind(KeyCombo::char('n'), Key::No, "no"),
    bind(KeyCombo::plain(KeyName::Esc), Key::No, "no"),
    bind(KeyCombo::char('q'), Key::No, "no"),
];

/// A question, and the command to run on yes.
pub struct Confirm {
    question: String,
    on_yes: Cmd,
}

impl Confirm {
    /// Asks `question`; yes runs `on_yes`.
    pub fn new(question: impl Into<String>, on_yes: Cmd) -> Confirm {
        Confirm {
            question: question.into(),
            on_yes,
        }
    }

    /// y or Enter runs the command; n, Esc or q closes.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        match find(&KEYS, &key) {
            Some(Key::Yes) => Outcome::Run(self.on_yes.clone()),
            Some(Key::No) => Outcome::Close,
            None => Outcome::Stay,
        }
    }

    /// Draws the question.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let inner = window(frame, area, 60, 6, "Are you sure?", theme);
        let [question, footer] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Line::raw(self.question.clone())).wrap(Wrap { trim: false }),
            question,
        );
        frame.render_widget(Paragraph::new(hints(&KEYS, theme)), footer);
    }
}
