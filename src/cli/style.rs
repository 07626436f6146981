//! Colour for terminal output, off when piped, when `NO_COLOR` is set, or on a dumb terminal.

use crossterm::style::{Attribute, Color, Stylize};

/// What a piece of output means, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Column headers.
    Header,
    /// Past due.
    Overdue,
    /// Due today.
    Today,
    /// Due within three days.
    Soon,
    /// Less important detail.
    Dim,
    /// High priority.
    High,
    /// Being worked on.
    Started,
}

/// Paints `text` if `color` is on.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if !color || text.is_empty() {
        return text.to_string();
    }
    let styled = match style {
        Style::Header => text.attribute(Attribute::Underlined),
        Style::Overdue => text.with(Color::Red).attribute(Attribute::Bold),
        Style::Today => text.with(Color::Yellow).attribute(Attribute::Bold),
        Style::Soon => text.with(Color::Yellow),
        Style::Dim => text.with(Color::DarkGrey),
        Style::High => text.with(Color::Red),
        Style::Started => text.with(Color::Green),
    };
    styled.to_string()
}
