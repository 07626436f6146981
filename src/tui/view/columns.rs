//! A column chart drawn as text: one bar per value, its count just above the bar (never over
//! it), and a label under each bar when labels fit. Heights use eighth blocks, so small
//! differences show.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::domain::fit;

/// One column: its value and the label under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// How tall it is.
    pub value: u64,
    /// What it is (a day, a bucket); may be shortened or left out to fit.
    pub label: String,
}

/// The widest a column gets (bar and gap): wider bars say nothing more.
const MOST_PITCH: usize = 12;

/// The blocks for one to seven eighths of a cell.
const EIGHTHS: [char; 8] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];

/// How the chart is styled.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    /// The bars.
    pub bar: Style,
    /// Counts and labels.
    pub text: Style,
}

/// The chart as `height` lines up to `width` wide. Columns share the width (up to twelve
/// cells each, a gap of one between bars when there is room); counts are written above their bars where they fit the column.
/// Labels come last: each is cut to its column, and the whole row is left out when columns
/// are narrower than three cells.
pub fn chart(columns: &[Column], width: u16, height: u16, styles: Styles) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let height = usize::from(height);
    if columns.is_empty() || width == 0 || height == 0 {
        return Vec::new();
    }
    let pitch = (width / columns.len()).clamp(1, MOST_PITCH);
    let bar = if pitch >= 2 { pitch - 1 } else { 1 };
    let labelled = pitch >= 3 && height >= 3 && columns.iter().any(|c| !c.label.is_empty());
    let rows = height - usize::from(labelled);
    // The top row is kept for the tallest bar's count.
    let bar_rows = rows.saturating_sub(1).max(1);
    let top = columns.iter().map(|c| c.value).max().unwrap_or(0).max(1);
    let eighths: Vec<usize> = columns
        .iter()
        .map(|c| {
            let e = (c.value as f64 / top as f64 * (bar_rows * 8) as f64).round() as usize;
            if c.value > 0 { e.max(1) } else { 0 }
        })
        .collect();
    let mut lines = Vec::with_capacity(height);
    for row in (0..rows).rev() {
        let mut spans = Vec::with_capacity(columns.len());
        for (column, &e) in columns.iter().zip(&eighths) {
            let full = e / 8;
            let cells_tall = e.div_ceil(8);
            let cell = if row < full {
                Span::styled("█".repeat(bar), styles.bar)
            } else if row == full && e % 8 > 0 {
                Span::styled(EIGHTHS[e % 8].to_string().repeat(bar), styles.bar)
            } else if row == cells_tall && column.value > 0 {
                let count = column.value.to_string();
                if count.width() <= pitch {
                    Span::styled(format!("{count:<bar$}"), styles.text)
                } else {
                    Span::raw(" ".repeat(bar))
                }
            } else {
                Span::raw(" ".repeat(bar))
            };
            let used = cell.content.width();
            spans.push(cell);
            spans.push(Span::raw(" ".repeat(pitch.saturating_sub(used))));
        }
        lines.push(Line::from(spans));
    }
    if labelled {
        let labels: String = columns
            .iter()
            .map(|c| format!("{:<pitch$}", fit(&c.label, pitch - 1)))
            .collect();
        lines.push(Line::styled(labels, styles.text));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.to_string().trim_end().to_string())
            .collect()
    }

    fn columns(values: &[(u64, &str)]) -> Vec<Column> {
        values
            .iter()
            .map(|(value, label)| Column {
                value: *value,
                label: label.to_string(),
            })
            .collect()
    }

    #[test]
    fn counts_sit_above_the_bars_and_labels_below() {
        let styles = Styles {
            bar: Style::default(),
            text: Style::default(),
        };
        let lines = chart(
            &columns(&[(4, "<1d"), (2, "1-3d"), (0, ">3m")]),
            15,
            6,
            styles,
        );
        assert_eq!(
            text(&lines),
            [
                "4",
                "████",
                "████ 2",
                "████ ████",
                "████ ████",
                "<1d  1-3d >3m",
            ]
        );
    }

    #[test]
    fn narrow_columns_drop_what_does_not_fit() {
        let styles = Styles {
            bar: Style::default(),
            text: Style::default(),
        };
        // Two cells a column: no labels; counts still fit above their bars.
        let lines = chart(&columns(&[(12, "Mon"), (6, "Tue")]), 4, 4, styles);
        assert_eq!(text(&lines), ["12", "█ 6", "█ ▄", "█ █"]);
        // One cell a column: a two-digit count does not fit.
        let lines = chart(&columns(&[(12, ""), (6, "")]), 2, 3, styles);
        assert_eq!(text(&lines), ["", "█6", "██"]);
    }
}
