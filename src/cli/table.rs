//! Aligned text tables that fit the terminal.

use unicode_width::UnicodeWidthStr;

use super::style::{Style, paint};

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A column: its header, alignment, and whether it may be shortened to fit.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text.
    pub header: &'static str,
    /// Alignment.
    pub align: Align,
    /// Shortened (with `…`) when the table is wider than the terminal.
    pub flexible: bool,
}

/// One cell: text and an optional style.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// How to paint it.
    pub style: Option<Style>,
}

impl Cell {
    /// Plain text.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: None,
        }
    }

    /// Painted text.
    pub fn styled(text: impl Into<String>, style: Option<Style>) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }
}

/// Lays out rows under headers. Columns empty in every row are left out; when `width` is given,
/// flexible columns shrink to fit it.
pub fn render(columns: &[Column], rows: &[Vec<Cell>], width: Option<usize>, color: bool) -> String {
    let shown: Vec<usize> = (0..columns.len())
        .filter(|&i| {
            rows.iter()
                .any(|r| r.get(i).is_some_and(|c| !c.text.is_empty()))
        })
        .collect();
    let mut widths: Vec<usize> = shown
        .iter()
        .map(|&i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.text.width()))
                .chain([columns[i].header.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    if let Some(limit) = width {
        let total: usize = widths.iter().sum::<usize>() + shown.len().saturating_sub(1);
        // The widest flexible column gives up a column at a time, the first one (a table's
        // main text: the title) counting half its width, so a long category is cut before
        // the title is, and the title only when it is more than twice as wide.
        let mut excess = total.saturating_sub(limit);
        let first = shown.iter().position(|&i| columns[i].flexible);
        let floor = |k: usize| columns[shown[k]].header.width().max(8);
        while excess > 0 {
            let weighed = |k: usize| {
                if Some(k) == first {
                    widths[k] / 2
                } else {
                    widths[k]
                }
            };
            let Some(k) = (0..shown.len())
                .filter(|&k| columns[shown[k]].flexible && widths[k] > floor(k))
                .max_by_key(|&k| (weighed(k), std::cmp::Reverse(k)))
            else {
                break;
            };
            widths[k] -= 1;
            excess -= 1;
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<(String, Option<Style>)>, out: &mut String| {
        let last = cells.len().saturating_sub(1);
        for (k, (text, style)) in cells.into_iter().enumerate() {
            let i = shown[k];
            let text = crate::domain::fit(&text, widths[k]);
            let pad = " ".repeat(widths[k].saturating_sub(text.width()));
            let painted = style.map_or_else(|| text.clone(), |s| paint(&text, s, color));
            match columns[i].align {
                Align::Left if k == last => out.push_str(&painted),
                Align::Left => {
                    out.push_str(&painted);
                    out.push_str(&pad);
                }
                Align::Right => {
                    out.push_str(&pad);
                    out.push_str(&painted);
                }
            }
            if k != last {
                out.push(' ');
            }
        }
        out.push('\n');
    };
    line(
        shown
            .iter()
            .map(|&i| (columns[i].header.to_string(), Some(Style::Header)))
            .collect(),
        &mut out,
    );
    for row in rows {
        line(
            shown
                .iter()
                .map(|&i| {
                    row.get(i)
                        .map_or((String::new(), None), |c| (c.text.clone(), c.style))
                })
                .collect(),
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<Column> {
        vec![
            Column {
                header: "ID",
                align: Align::Right,
                flexible: false,
            },
            Column {
                header: "Title",
                align: Align::Left,
                flexible: true,
            },
            Column {
                header: "Tags",
                align: Align::Left,
                flexible: false,
            },
            Column {
                header: "Due",
                align: Align::Left,
                flexible: false,
            },
        ]
    }

    #[test]
    fn aligns_and_drops_empty_columns() {
        let rows = vec![
            vec![
                Cell::new("1"),
                Cell::new("Pay rent"),
                Cell::new(""),
                Cell::new("in 2d"),
            ],
            vec![
                Cell::new("12"),
                Cell::new("Call"),
                Cell::new(""),
                Cell::new("today"),
            ],
        ];
        let text = render(&columns(), &rows, None, false);
        assert_eq!(
            text,
            "ID Title    Due\n 1 Pay rent in 2d\n12 Call     today\n"
        );
    }

    #[test]
    fn shrinks_flexible_columns_to_fit() {
        let rows = vec![vec![
            Cell::new("1"),
            Cell::new("A very long title that will not fit"),
            Cell::new("x"),
            Cell::new("today"),
        ]];
        let text = render(&columns(), &rows, Some(24), false);
        assert!(text.lines().all(|l| l.width() <= 24), "{text}");
        assert!(text.contains('…'));
    }

    #[test]
    fn a_long_category_is_cut_before_the_title() {
        let flexible = |header| Column {
            header,
            align: Align::Left,
            flexible: true,
        };
        let columns = [flexible("Title"), flexible("Category")];
        let rows = vec![vec![
            Cell::new("Review pull request"),
            Cell::new("Work.Backend.Services.Payments"),
        ]];
        // 19 + 1 + 30 = 50 wanted; at 40 and at 30 the category gives up all of the excess.
        let text = render(&columns, &rows, Some(40), false);
        assert_eq!(
            text.lines().nth(1),
            Some("Review pull request Work.Backend.Servic…")
        );
        let text = render(&columns, &rows, Some(30), false);
        assert_eq!(text.lines().nth(1), Some("Review pull request Work.Back…"));
        // At 20 the category is down to its heading, and only then the title is cut.
        let text = render(&columns, &rows, Some(20), false);
        assert_eq!(text.lines().nth(1), Some("Review pul… Work.Ba…"));
    }
}
