//! Quick add: one line of capture text, with a live preview of what it means.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Binding, Outcome, bind, edit_line, find, hints, input_text, line_input, window};
use crate::config::{KeyCombo, KeyName};
use std::sync::Arc;

use crate::domain::capture::lex;
use crate::domain::types::TaskTypes;
use crate::domain::{NewTask, TimeContext};
use crate::tui::msg::Cmd;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy)]
enum Key {
    Add,
    Cancel,
}

const KEYS: [Binding<Key>; 2] = [
    bind(KeyCombo::plain(KeyName::Enter), Key::Add, "add"),
    bind(KeyCombo::plain(KeyName::Esc), Key::Cancel, "cancel"),
];

/// The quick-add line.
pub struct QuickAdd {
    input: TextArea<'static>,
    parsed: Result<NewTask, String>,
    types: Arc<TaskTypes>,
    /// The text it opened with (`parent:12 `), which is not yet something to complain about.
    prefill: String,
}

impl QuickAdd {
    /// An empty line.
    pub fn new(time: &TimeContext, types: Arc<TaskTypes>) -> QuickAdd {
        QuickAdd::with_text("", time, types)
    }

    /// A line that starts with `text` (`parent:12 ` when adding a subtask).
    pub fn with_text(text: &str, time: &TimeContext, types: Arc<TaskTypes>) -> QuickAdd {
        let mut add = QuickAdd {
            input: line_input(text),
            parsed: Err(String::new()),
            types,
            prefill: text.to_string(),
        };
        add.input
            .set_placeholder_text("Pay rent #Finance due:eom every:monthly pri:H");
        add.reparse(time);
        add
    }

    fn reparse(&mut self, time: &TimeContext) {
        self.parsed = self
            .types
            .parse_new_task(&lex(&input_text(&self.input)), time)
            .map_err(|e| e.to_string());
    }

    /// Handles a key: Enter adds when the text parses, Esc cancels, anything else edits.
    pub fn handle(&mut self, key: KeyEvent, time: &TimeContext) -> Outcome {
        match find(&KEYS, &key) {
            Some(Key::Cancel) => Outcome::Close,
            Some(Key::Add) => match &self.parsed {
                Ok(new) => Outcome::Run(Cmd::Create(new.clone(), input_text(&self.input))),
                Err(_) => Outcome::Stay,
            },
            None => {
                if edit_line(&mut self.input, key) {
                    self.reparse(time);
                }
                Outcome::Stay
            }
        }
    }

    /// Draws the line and, under it, the fields it sets or the error.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, time: &TimeContext) {
        let inner = window(frame, area, 76, 14, "Add a task", theme);
        let [input, preview, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(&self.input, input);
        let lines = match &self.parsed {
            Ok(new) => preview_lines(new, time, theme),
            // Nothing typed yet (or only what the popup opened with): a hint, not an error.
            Err(_) if input_text(&self.input).trim() == self.prefill.trim() => vec![Line::styled(
                "Words form the title; #Category +tag due: every: pri: dep: est: set fields.",
                theme.dim,
            )],
            Err(e) => vec![Line::styled(format!("✗ {e}"), theme.error)],
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            preview.inner(ratatui::layout::Margin::new(0, 1)),
        );
        frame.render_widget(Paragraph::new(hints(&KEYS, theme)), footer);
    }
}

/// The fields a new task would get, one per line.
pub fn preview_lines(new: &NewTask, time: &TimeContext, theme: &Theme) -> Vec<Line<'static>> {
    let mut rows: Vec<(&str, String)> = vec![("Title", new.title.clone())];
    if let Some(c) = &new.category {
        rows.push(("Category", c.to_string()));
    }
    if !new.tags.is_empty() {
        rows.push((
            "Tags",
            new.tags
                .iter()
                .map(|t| format!("+{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        ));
    }
    if let Some(p) = new.priority {
        rows.push(("Priority", p.letter().to_string()));
    }
    let date = |w: crate::domain::When| {
        let day = w.local_date(time.tz).format("%a");
        format!("{} ({day})", w.display(time.tz))
    };
    for (label, value) in [
        ("Due", new.due),
        ("Scheduled", new.scheduled),
        ("Wait", new.wait),
        ("Until", new.until),
    ] {
        if let Some(w) = value {
            rows.push((label, date(w)));
        }
    }
    if let Some(rule) = &new.recurrence {
        let start = new
            .scheduled
            .or(new.due)
            .unwrap_or(crate::domain::When::Day(time.today()));
        rows.push(("Repeats", rule.describe(Some(start), new.until, time.tz)));
        let series = crate::domain::Series::new(rule.clone(), start, new.until, time.tz);
        let first = series.ok().and_then(|s| s.occurrences().next());
        rows.push((
            "First",
            first.map_or_else(|| "never: the rule makes no dates".to_string(), date),
        ));
    }
    if let Some(e) = new.estimate {
        rows.push(("Estimate", e.to_string()));
    }
    if !new.depends.is_empty() {
        let deps: Vec<String> = new
            .depends
            .iter()
            .map(|d| format!("{} ({})", d.on, d.kind.as_str()))
            .collect();
        rows.push(("Depends on", deps.join(", ")));
    }
    if let Some(p) = new.parent {
        rows.push(("Parent", p.to_string()));
    }
    if let Some(t) = &new.task_type {
        rows.push(("Type", t.clone()));
    }
    for (name, value) in &new.attrs {
        rows.push(("", format!("{name}: {}", value.text(time.tz))));
    }
    rows.into_iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label:>11}  "), theme.dim),
                Span::raw(value),
            ])
        })
        .collect()
}
