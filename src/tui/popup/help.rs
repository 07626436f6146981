//! The help overlay: every key binding, from the live key map.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Outcome;
use super::output::Pager;
use crate::config::Action;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// The help overlay.
#[derive(Debug, Default)]
pub struct Help {
    pager: Pager,
}

impl Help {
    /// Scrolls or closes.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        self.pager.handle(key)
    }

    /// One line per action: its keys and what it does.
    pub fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = vec![
            Line::styled(
                "Keys (change them under keys: in the config file)",
                theme.accent,
            ),
            Line::raw(""),
        ];
        for action in Action::ALL {
            let keys: Vec<String> = keymap
                .keys(action)
                .iter()
                .map(ToString::to_string)
                .collect();
            let keys = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys.join(" ")
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:>14}  "), theme.key),
                Span::raw(action.help_text()),
                Span::styled(format!("  ({})", action.config_name()), theme.dim),
            ]));
        }
        lines.push(Line::raw(""));
        let mut form = vec![Span::styled("In the edit form: ", theme.dim)];
        form.extend(super::edit::key_hints(theme).spans);
        lines.push(Line::from(form));
        lines
    }

    /// Draws the bindings.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.pager
            .draw(frame, area, theme, "Help", Help::lines(keymap, theme));
    }
}
