//! Reports as rows and columns, for aligned text and CSV.

/// A report as a table: a header and rows of text, with which columns are numbers (aligned
/// right in text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Whether each column holds numbers.
    pub numeric: Vec<bool>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// Lines said after the table (totals, the trend).
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table with these columns; a name ending in `#` is numeric (the `#` is dropped).
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|c| c.trim_end_matches('#').to_string())
                .collect(),
            numeric: columns.iter().map(|c| c.ends_with('#')).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted).
    ///
    /// ```
    /// use tme_core::report::Table;
    /// let mut t = Table::new(&["Category", "Done#"]);
    /// t.row(vec!["Work, mostly".into(), "3".into()]);
    /// assert_eq!(t.csv(), "Category,Done\r\n\"Work, mostly\",3\r\n");
    /// ```
    pub fn csv(&self) -> String {
        let field = |f: &str| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_string()
            }
        };
        let mut out = String::new();
        for line in std::iter::once(&self.columns).chain(&self.rows) {
            let fields: Vec<String> = line.iter().map(|f| field(f)).collect();
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
                    *w = (*w).max(width(cell));
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
            out.push_str(&line(row));
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
