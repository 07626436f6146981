//! Editing the filter line: the list follows every key stroke.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Line;

use super::data::Scope;
use super::model::{Model, ViewKind};
use super::msg::Cmd;
use super::popup::{Binding, bind, find, hints};
use super::theme::Theme;
use crate::config::{KeyCombo, KeyName};
use crate::domain::capture::lex;

#[derive(Debug, Clone, Copy)]
enum Key {
    Keep,
    Revert,
    Clear,
}

const KEYS: [Binding<Key>; 3] = [
    bind(KeyCombo::plain(KeyName::Enter), Key::Keep, "keep"),
    bind(KeyCombo::plain(KeyName::Esc), Key::Revert, "undo changes"),
    bind(KeyCombo::ctrl('u'), Key::Clear, "clear"),
];

/// The key hints while the filter is edited.
pub fn key_hints(theme: &Theme) -> Line<'static> {
    hints(&KEYS, theme)
}

/// Starts editing the filter.
pub fn start(model: &mut Model) {
    model.filter.editing = Some(model.filter.text.clone());
}

/// Sets the filter text and applies it: the rows follow at once when the loaded tasks can
/// answer it; otherwise the tasks it needs are loaded. Text that does not parse leaves the
/// list as it was and shows why.
pub fn apply(model: &mut Model, text: String) -> Vec<Cmd> {
    model.filter.text = text;
    match model
        .types
        .parse_filter(&lex(&model.filter.text), &model.time)
    {
        Err(e) => {
            model.filter.error = Some(e.to_string());
            Vec::new()
        }
        Ok(filter) => {
            model.filter.error = None;
            model.filter.filter = filter;
            let scope = Scope::for_filter(&model.filter.filter);
            let mut cmds = if model.data.scope.as_ref() == Some(&scope) {
                model.rebuild_rows();
                Vec::new()
            } else {
                model.loading = true;
                vec![Cmd::Load(scope)]
            };
            if model.filter.editing.is_none() {
                cmds.extend(reports_follow(model));
            }
            cmds
        }
    }
}

/// The reports work their numbers out again once a filter is kept (not on every keystroke:
/// each pass reads every task).
fn reports_follow(model: &mut Model) -> Vec<Cmd> {
    if model.view == ViewKind::Reports {
        crate::tui::reports::recompute(model)
    } else {
        Vec::new()
    }
}

/// Handles a key while the filter is being edited.
pub fn handle(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let mut text = model.filter.text.clone();
    match find(&KEYS, &key) {
        Some(Key::Keep) => {
            model.filter.editing = None;
            return reports_follow(model);
        }
        Some(Key::Revert) => {
            let before = model.filter.editing.take().unwrap_or_default();
            return apply(model, before);
        }
        Some(Key::Clear) => text.clear(),
        None => match key.code {
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('w') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                let kept = text.trim_end().rfind(' ').map_or(0, |at| at + 1);
                text.truncate(kept);
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                text.push(c)
            }
            _ => return Vec::new(),
        },
    }
    apply(model, text)
}
