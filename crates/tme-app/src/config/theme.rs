//! The `theme:` section: a preset and any colours to change.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A built-in set of colours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// For dark terminal backgrounds.
    #[default]
    Dark,
    /// For light terminal backgrounds.
    Light,
    /// No colour at all: emphasis by bold, reverse and underline (also chosen by `NO_COLOR`).
    Mono,
}

/// A colour as written in config: one of the 16 terminal colours by name, `default`, a
/// 256-colour index, or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorValue {
    /// The terminal's own foreground or background.
    Default,
    /// One of the 16 standard colours (0 black … 15 white).
    Basic(u8),
    /// A 256-colour palette index.
    Indexed(u8),
    /// A true colour.
    Rgb(u8, u8, u8),
}

/// The 16 standard colour names, in palette order.
pub const COLOR_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

impl ColorValue {
    /// Parses a colour name, index or `#rrggbb`.
    pub fn parse(text: &str) -> Option<ColorValue> {
        let lower = text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', '-', ' '], "");
        if lower == "default" || lower == "reset" {
            return Some(ColorValue::Default);
        }
        if let Some(i) = COLOR_NAMES.iter().position(|n| *n == lower) {
            return u8::try_from(i).ok().map(ColorValue::Basic);
        }
        if let Some(hex) = lower.strip_prefix('#').filter(|h| h.len() == 6) {
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            return Some(ColorValue::Rgb(byte(0)?, byte(2)?, byte(4)?));
        }
        lower.parse::<u8>().ok().map(ColorValue::Indexed)
    }
}

impl fmt::Display for ColorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColorValue::Default => f.write_str("default"),
            ColorValue::Basic(i) => f.write_str(
                COLOR_NAMES
                    .get(usize::from(*i))
                    .copied()
                    .unwrap_or("default"),
            ),
            ColorValue::Indexed(i) => write!(f, "{i}"),
            ColorValue::Rgb(r, g, b) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
        }
    }
}

impl<'de> Deserialize<'de> for ColorValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ColorValue, D::Error> {
        let text = String::deserialize(d)?;
        ColorValue::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{text}' is not a colour; use a name (red, lightblue, darkgray, default), a number 0-255 or #rrggbb"
            ))
        })
    }
}

/// The `theme:` section. Each colour left out comes from the preset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeSection {
    /// The starting point.
    pub preset: Preset,
    /// Titles, the header bar and highlights.
    pub accent: Option<ColorValue>,
    /// The selected row's background.
    pub selection: Option<ColorValue>,
    /// Overdue dates.
    pub overdue: Option<ColorValue>,
    /// Dates due today.
    pub today: Option<ColorValue>,
    /// Dates due within three days.
    pub soon: Option<ColorValue>,
    /// High priority.
    pub high: Option<ColorValue>,
    /// Started tasks.
    pub started: Option<ColorValue>,
    /// Blocked, waiting and finished tasks, and less important text.
    pub dim: Option<ColorValue>,
    /// Errors.
    pub error: Option<ColorValue>,
    /// Marked rows.
    pub marked: Option<ColorValue>,
    /// Borders.
    pub border: Option<ColorValue>,
}

impl ThemeSection {
    /// Every colour set explicitly, as `(role, value)`.
    pub fn overrides(&self) -> Vec<(&'static str, ColorValue)> {
        [
            ("accent", self.accent),
            ("selection", self.selection),
            ("overdue", self.overdue),
            ("today", self.today),
            ("soon", self.soon),
            ("high", self.high),
            ("started", self.started),
            ("dim", self.dim),
            ("error", self.error),
            ("marked", self.marked),
            ("border", self.border),
        ]
        .into_iter()
        .filter_map(|(role, value)| value.map(|v| (role, v)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_print() {
        for (text, shown) in [
            ("red", "red"),
            ("Light-Blue", "lightblue"),
            ("#FF8800", "#ff8800"),
            ("208", "208"),
            ("reset", "default"),
        ] {
            assert_eq!(
                ColorValue::parse(text).map(|c| c.to_string()),
                Some(shown.to_string()),
                "{text}"
            );
        }
        for bad in ["reddish", "#12345", "300", ""] {
            assert_eq!(ColorValue::parse(bad), None, "{bad}");
        }
    }
}
