//! Popups over the main screen: quick add, the edit form, prompts, confirmation, help and
//! command output. Each has its own state, key handling and drawing; keys reach only the
//! popup on top.

mod confirm;
mod edit;
mod help;
mod output;
mod pick;
mod prompt;
mod quick_add;

pub use confirm::Confirm;
pub use edit::EditForm;
pub use help::Help;
pub use output::Output;
pub use pick::Picker;
pub use prompt::{Prompt, Purpose};
pub use quick_add::QuickAdd;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use ratatui_textarea::TextArea;

use super::keymap::{Keymap, combo_of};
use super::msg::Cmd;
use super::theme::Theme;
use crate::config::KeyCombo;
use crate::domain::TimeContext;

/// The popup on top of the screen.
pub enum Popup {
    /// `a`: one line of capture text with a live preview.
    QuickAdd(Box<QuickAdd>),
    /// `e`: every field of a task.
    Edit(Box<EditForm>),
    /// A one-line question: annotate, modify, command line.
    Prompt(Box<Prompt>),
    /// Yes or no.
    Confirm(Box<Confirm>),
    /// Every key binding.
    Help(Help),
    /// The output of a `:` command.
    Output(Box<Output>),
    /// `p` in the tree: pick a task to depend on.
    Pick(Box<Picker>),
}

/// What a key press in a popup leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing outside the popup changes.
    Stay,
    /// The popup closes.
    Close,
    /// The popup closes and the command runs.
    Run(Cmd),
    /// The command runs and the popup stays (the editor for a description).
    Keep(Cmd),
}

impl Popup {
    /// Handles a key press.
    pub fn handle(&mut self, key: KeyEvent, time: &TimeContext) -> Outcome {
        match self {
            Popup::QuickAdd(p) => p.handle(key, time),
            Popup::Edit(p) => p.handle(key, time),
            Popup::Prompt(p) => p.handle(key, time),
            Popup::Confirm(p) => p.handle(key),
            Popup::Help(p) => p.handle(key),
            Popup::Output(p) => p.handle(key),
            Popup::Pick(p) => p.handle(key),
        }
    }

    /// Draws the popup over `area`.
    pub fn draw(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        time: &TimeContext,
        keymap: &Keymap,
    ) {
        match self {
            Popup::QuickAdd(p) => p.draw(frame, area, theme, time),
            Popup::Edit(p) => p.draw(frame, area, theme),
            Popup::Prompt(p) => p.draw(frame, area, theme),
            Popup::Confirm(p) => p.draw(frame, area, theme),
            Popup::Help(p) => p.draw(frame, area, theme, keymap),
            Popup::Output(p) => p.draw(frame, area, theme),
            Popup::Pick(p) => p.draw(frame, area, theme),
        }
    }
}

/// A one-line text input holding `text`, cursor at the end.
pub fn line_input(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_string()]);
    input.set_cursor_line_style(ratatui::style::Style::default());
    input.move_cursor(ratatui_textarea::CursorMove::End);
    input
}

/// The text of a one-line input.
pub fn input_text(input: &TextArea<'_>) -> String {
    input.lines().join(" ")
}

/// Passes a key to a one-line input, never letting it break the line. Returns whether the
/// text changed.
pub fn edit_line(input: &mut TextArea<'_>, key: KeyEvent) -> bool {
    let newline = matches!(key.code, KeyCode::Enter)
        || (key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('m' | 'j')));
    !newline && input.input(key)
}

/// A bordered window of the given size, centred in `area` and cleared, with `title`. Returns
/// the area inside the border.
pub fn window(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let outer = area.centered(
        Constraint::Length(width.min(area.width)),
        Constraint::Length(height.min(area.height)),
    );
    frame.render_widget(Clear, outer);
    // A title longer than the window (a long `:` command) is cut with `…`, not at the border.
    let title = crate::domain::fit(title, usize::from(outer.width).saturating_sub(4));
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.accent));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    inner
}

/// One key of a popup: the key, what it does there, and the words shown for it. A popup's
/// keys are a table of these, used both to handle presses and to draw the hints, so the hints
/// always match the keys.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A> {
    /// The key.
    pub key: KeyCombo,
    /// The popup's action.
    pub action: A,
    /// What the hint says.
    pub label: &'static str,
}

/// Binds `key` to `action`, shown as `label`.
pub const fn bind<A>(key: KeyCombo, action: A, label: &'static str) -> Binding<A> {
    Binding { key, action, label }
}

/// The action a key runs in a popup's table.
pub fn find<A: Copy>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    let combo = combo_of(key);
    table.iter().find(|b| b.key == combo).map(|b| b.action)
}

/// A popup's keys by what they do: each label once, with every key that does it, in table
/// order (`Tab ↓` next field).
pub fn key_rows<A>(table: &[Binding<A>]) -> Vec<(Vec<KeyCombo>, &'static str)> {
    let mut rows: Vec<(Vec<KeyCombo>, &'static str)> = Vec::new();
    for binding in table {
        match rows.iter_mut().find(|(_, label)| *label == binding.label) {
            Some((keys, _)) => keys.push(binding.key),
            None => rows.push((vec![binding.key], binding.label)),
        }
    }
    rows
}

/// A line of key hints from a popup's table (`Enter add  Esc cancel`); each label once, with
/// its first key.
pub fn hints<A>(table: &[Binding<A>], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (keys, label) in key_rows(table) {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(keys[0].to_string(), theme.key));
        spans.push(Span::styled(format!(" {label}"), theme.dim));
    }
    Line::from(spans)
}
