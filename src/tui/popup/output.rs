//! Scrollable text windows: the output of a `:` command (and, through [`Pager`], the help).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Binding, Outcome, bind, find, hints, window};
use crate::config::{KeyCombo, KeyName};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy)]
enum Key {
    Down,
    Up,
    PageDown,
    PageUp,
    Close,
}

const KEYS: [Binding<Key>; 10] = [
    bind(KeyCombo::char('j'), Key::Down, "scroll"),
    bind(KeyCombo::plain(KeyName::Down), Key::Down, "scroll"),
    bind(KeyCombo::char('k'), Key::Up, "scroll"),
    bind(KeyCombo::plain(KeyName::Up), Key::Up, "scroll"),
    bind(KeyCombo::plain(KeyName::PageDown), Key::PageDown, "page"),
    bind(KeyCombo::plain(KeyName::PageUp), Key::PageUp, "page"),
    bind(KeyCombo::plain(KeyName::Esc), Key::Close, "close"),
    bind(KeyCombo::char('q'), Key::Close, "close"),
    bind(KeyCombo::plain(KeyName::Enter), Key::Close, "close"),
    bind(KeyCombo::char('?'), Key::Close, "close"),
];

/// Scrolling through lines in a window that fills most of the screen.
#[derive(Debug, Default)]
pub struct Pager {
    scroll: u16,
}

impl Pager {
    /// Scroll keys move; close keys close.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        let step = |s: u16, by: i32| u16::try_from((i32::from(s) + by).max(0)).unwrap_or(u16::MAX);
        match find(&KEYS, &key) {
            Some(Key::Down) => self.scroll = step(self.scroll, 1),
            Some(Key::Up) => self.scroll = step(self.scroll, -1),
            Some(Key::PageDown) => self.scroll = step(self.scroll, 10),
            Some(Key::PageUp) => self.scroll = step(self.scroll, -10),
            Some(Key::Close) => return Outcome::Close,
            None => {}
        }
        Outcome::Stay
    }

    /// Draws `lines` in a window titled `title`, at most `width` wide and as tall as they need
    /// (up to the screen's height less two rows), scrolled (but never past the end).
    pub fn draw(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        title: &str,
        lines: Vec<Line<'static>>,
        width: u16,
    ) {
        let width = area.width.saturating_sub(4).min(width);
        let needs = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(3);
        let height = area.height.saturating_sub(2).min(needs);
        let inner = window(frame, area, width, height, title, theme);
        let [text, footer] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let max = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_sub(text.height);
        frame.render_widget(
            Paragraph::new(lines).scroll((self.scroll.min(max), 0)),
            text,
        );
        frame.render_widget(Paragraph::new(hints(&KEYS, theme)), footer);
    }
}

/// The output of a command.
pub struct Output {
    title: String,
    text: String,
    pager: Pager,
}

impl Output {
    /// A window showing `text`.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Output {
        Output {
            title: title.into(),
            text: text.into(),
            pager: Pager::default(),
        }
    }

    /// Scrolls or closes.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        self.pager.handle(key)
    }

    /// Draws the text.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let lines = self
            .text
            .lines()
            .map(|l| Line::raw(l.to_string()))
            .collect();
        self.pager.draw(frame, area, theme, &self.title, lines, 100);
    }
}
