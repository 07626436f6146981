//! Colour for terminal output, off when piped, when `NO_COLOR` is set, or on a dumb terminal.

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
    /// Where you are now: today in a calendar.
    Current,
}

/// Paints `text` if `color` is on, with the basic SGR codes every colour terminal knows
/// (16 colours, so it looks right in any terminal theme).
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if !color || text.is_empty() {
        return text.to_string();
    }
    let code = match style {
        Style::Header => "4",
        Style::Overdue => "1;31",
        Style::Today => "1;33",
        Style::Soon => "33",
        Style::Dim => "90",
        Style::High => "31",
        Style::Started => "32",
        Style::Current => "7",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        assert_eq!(
            paint("late", Style::Overdue, true),
            "\u{1b}[1;31mlate\u{1b}[0m"
        );
        assert_eq!(paint("late", Style::Overdue, false), "late");
    }
}
