//! Colours for the TUI, from the config's `theme:` section; `NO_COLOR` forces the mono preset.
//! Every preset uses only the 16 standard colours, so it looks right in any terminal.

use ratatui::style::{Color, Modifier, Style};

use crate::config::{ColorValue, Preset, ThemeSection};

/// The styles every part of the screen is drawn with.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Titles, the header bar and highlights.
    pub accent: Style,
    /// The selected row.
    pub selection: Style,
    /// Overdue dates.
    pub overdue: Style,
    /// Dates due today.
    pub today: Style,
    /// Dates due soon.
    pub soon: Style,
    /// High priority.
    pub high: Style,
    /// Started tasks.
    pub started: Style,
    /// Less important text.
    pub dim: Style,
    /// Errors.
    pub error: Style,
    /// Marked rows.
    pub marked: Style,
    /// Borders.
    pub border: Style,
    /// Column headers.
    pub header: Style,
    /// Key names in the footer and help.
    pub key: Style,
}

fn color(value: ColorValue) -> Color {
    match value {
        ColorValue::Default => Color::Reset,
        ColorValue::Basic(i) => match i {
            0 => Color::Black,
            1 => Color::Red,
            2 => Color::Green,
            3 => Color::Yellow,
            4 => Color::Blue,
            5 => Color::Magenta,
            6 => Color::Cyan,
            7 => Color::Gray,
            8 => Color::DarkGray,
            9 => Color::LightRed,
            10 => Color::LightGreen,
            11 => Color::LightYellow,
            12 => Color::LightBlue,
            13 => Color::LightMagenta,
            14 => Color::LightCyan,
            _ => Color::White,
        },
        ColorValue::Indexed(i) => Color::Indexed(i),
        ColorValue::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

impl Theme {
    /// The mono preset: emphasis without colour.
    pub fn mono() -> Theme {
        let plain = Style::default();
        Theme {
            accent: plain.add_modifier(Modifier::BOLD),
            selection: plain.add_modifier(Modifier::REVERSED),
            overdue: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            today: plain.add_modifier(Modifier::BOLD),
            soon: plain,
            high: plain.add_modifier(Modifier::BOLD),
            started: plain.add_modifier(Modifier::ITALIC),
            dim: plain.add_modifier(Modifier::DIM),
            error: plain.add_modifier(Modifier::BOLD),
            marked: plain.add_modifier(Modifier::UNDERLINED),
            border: plain,
            header: plain.add_modifier(Modifier::UNDERLINED),
            key: plain.add_modifier(Modifier::BOLD),
        }
    }

    fn preset(preset: Preset) -> Theme {
        let fg = |c: Color| Style::default().fg(c);
        match preset {
            Preset::Mono => Theme::mono(),
            Preset::Dark => Theme {
                accent: fg(Color::Cyan).add_modifier(Modifier::BOLD),
                selection: Style::default().bg(Color::DarkGray),
                overdue: fg(Color::LightRed).add_modifier(Modifier::BOLD),
                today: fg(Color::Yellow).add_modifier(Modifier::BOLD),
                soon: fg(Color::Yellow),
                high: fg(Color::LightRed),
                started: fg(Color::LightGreen),
                dim: fg(Color::DarkGray),
                error: fg(Color::LightRed).add_modifier(Modifier::BOLD),
                marked: fg(Color::LightMagenta),
                border: fg(Color::DarkGray),
                header: fg(Color::Gray).add_modifier(Modifier::UNDERLINED),
                key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            },
            Preset::Light => Theme {
                accent: fg(Color::Blue).add_modifier(Modifier::BOLD),
                selection: Style::default().bg(Color::Gray),
                overdue: fg(Color::Red).add_modifier(Modifier::BOLD),
                today: fg(Color::Magenta).add_modifier(Modifier::BOLD),
                soon: fg(Color::Magenta),
                high: fg(Color::Red),
                started: fg(Color::Green),
                dim: fg(Color::DarkGray),
                error: fg(Color::Red).add_modifier(Modifier::BOLD),
                marked: fg(Color::Blue),
                border: fg(Color::Gray),
                header: fg(Color::Black).add_modifier(Modifier::UNDERLINED),
                key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            },
        }
    }

    /// The theme a config asks for; `no_color` (from `NO_COLOR`) wins over everything.
    pub fn from_config(section: &ThemeSection, no_color: bool) -> Theme {
        if no_color {
            return Theme::mono();
        }
        let mut theme = Theme::preset(section.preset);
        for (role, value) in section.overrides() {
            let c = color(value);
            let slot = match role {
                "accent" => &mut theme.accent,
                "selection" => {
                    theme.selection = theme.selection.bg(c);
                    continue;
                }
                "overdue" => &mut theme.overdue,
                "today" => &mut theme.today,
                "soon" => &mut theme.soon,
                "high" => &mut theme.high,
                "started" => &mut theme.started,
                "dim" => &mut theme.dim,
                "error" => &mut theme.error,
                "marked" => &mut theme.marked,
                _ => &mut theme.border,
            };
            *slot = slot.fg(c);
        }
        theme
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_and_overrides_apply() {
        let section = ThemeSection {
            overdue: Some(ColorValue::Basic(4)),
            selection: Some(ColorValue::Rgb(1, 2, 3)),
            ..ThemeSection::default()
        };
        let theme = Theme::from_config(&section, false);
        assert_eq!(theme.overdue.fg, Some(Color::Blue));
        assert_eq!(theme.selection.bg, Some(Color::Rgb(1, 2, 3)));
        let mono = Theme::from_config(&section, true);
        assert_eq!(mono, Theme::mono());
        assert_eq!(mono.overdue.fg, None);
    }
}
