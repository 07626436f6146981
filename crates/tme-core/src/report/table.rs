//! Reports as rows and columns, for aligned text and CSV.

/// One cell: what the text table shows (`12.7d`, `89%`) and what CSV carries (`12.7`, `0.89`):
/// plain values, for machines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Shown in the text table.
    pub text: String,
    /// Written to CSV.
    pub value: String,
}

impl Cell {
    /// A cell shown as `text` and written to CSV as `value`.
    pub fn shown(text: impl Into<String>, value: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            value: value.into(),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            value: text.clone(),
            text,
        }
    }
}

/// A report as a table: a header and rows of cells, with which columns are numbers (aligned
/// right in text) and which are only for the eye (bars: left out of CSV).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Whether each column holds numbers.
    pub numeric: Vec<bool>,
    /// Each column's name in CSV, with its unit (`Avg age (days)`); `None` for a column only
    /// for the eye.
    pub csv_columns: Vec<Option<String>>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// Lines said after the table (totals, the trend).
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table with these columns: a name ending in `#` is numeric, `#unit` numeric
    /// with its unit named in CSV (`Avg age#days`), and an empty name a column for the eye.
    pub fn new(columns: &[&str]) -> Table {
        let split = |c: &str| match c.split_once('#') {
            Some((name, unit)) => (name.to_string(), true, unit.to_string()),
            None => (c.to_string(), false, String::new()),
        };
        let parts: Vec<(String, bool, String)> = columns.iter().map(|c| split(c)).collect();
        Table {
            columns: parts.iter().map(|(name, _, _)| name.clone()).collect(),
            numeric: parts.iter().map(|(_, numeric, _)| *numeric).collect(),
            csv_columns: parts
                .iter()
                .map(|(name, _, unit)| match (name.is_empty(), unit.is_empty()) {
                    (true, _) => None,
                    (false, true) => Some(name.clone()),
                    (false, false) => Some(format!("{name} ({unit})")),
                })
                .collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<impl Into<Cell>>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted): the
    /// plain values, with units in the header and no column for the eye.
    ///
    /// ```
    /// use tme_core::report::{Cell, Table};
    /// let mut t = Table::new(&["Category", "Done#", "Avg age#days", ""]);
    /// t.row(vec![
    ///     Cell::from("Work, mostly".to_string()),
    ///     Cell::from("3".to_string()),
    ///     Cell::shown("12.7d", "12.7"),
    ///     Cell::from("███".to_string()),
    /// ]);
    /// assert_eq!(t.csv(), "Category,Done,Avg age (days)\r\n\"Work, mostly\",3,12.7\r\n");
    /// ```
    pub fn csv(&self) -> String {
        let field = |f: &str| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_string()
            }
        };
        let kept = |i: &usize| self.csv_columns.get(*i).is_some_and(Option::is_some);
        let header = (0..self.columns.len())
            .filter(kept)
            .filter_map(|i| self.csv_columns[i].as_deref());
        let mut out = header.map(field).collect::<Vec<_>>().join(",");
        out.push_str("\r\n");
        for row in &self.rows {
            let fields: Vec<String> = (0..row.len())
                .filter(kept)
                .map(|i| field(&row[i].value))
                .collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The table as aligned text, two spaces between columns, the notes after a blank line.
    pub fn text(&self) -> String {
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(c)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(width(&cell.text));
                }
            }
        }
        let line = |cells: &[String]| -> String {
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                let pad = " ".repeat(w.saturating_sub(width(cell)));
                if i > 0 {
                    out.push_str("  ");
                }
                if self.numeric.get(i).copied().unwrap_or(false) {
                    out.push_str(&pad);
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    out.push_str(&pad);
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&self.columns);
        out.push('\n');
        for row in &self.rows {
            let texts: Vec<String> = row.iter().map(|c| c.text.clone()).collect();
            out.push_str(&line(&texts));
            out.push('\n');
        }
        if self.rows.is_empty() {
            out.push_str("(nothing in this range)\n");
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                out.push_str(note);
                out.push('\n');
            }
        }
        out
    }
}
