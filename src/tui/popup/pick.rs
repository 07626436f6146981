//! Picking a task for another to depend on: type a few letters of its title (or its id), move
//! with the arrows, Tab changes the kind of dependency, Enter adds it.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::{Binding, Outcome, bind, edit_line, find, hints, input_text, line_input, window};
use crate::config::{KeyCombo, KeyName};
use crate::domain::{DepKind, Dependency, TaskChanges, TaskId};
use crate::engine::TaskView;
use crate::tui::fuzzy::score;
use crate::tui::msg::Cmd;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy)]
enum Key {
    Pick,
    Cancel,
    Up,
    Down,
    Kind,
}

const KEYS: [Binding<Key>; 7] = [
    bind(KeyCombo::plain(KeyName::Enter), Key::Pick, "add"),
    bind(KeyCombo::plain(KeyName::Up), Key::Up, "move"),
    bind(KeyCombo::plain(KeyName::Down), Key::Down, "move"),
    bind(KeyCombo::ctrl('p'), Key::Up, "move"),
    bind(KeyCombo::ctrl('n'), Key::Down, "move"),
    bind(KeyCombo::plain(KeyName::Tab), Key::Kind, "kind"),
    bind(KeyCombo::plain(KeyName::Esc), Key::Cancel, "cancel"),
];

/// The most matches listed.
const MOST: usize = 200;

/// The kinds Tab goes through.
const KINDS: [DepKind; 4] = [
    DepKind::FinishToStart,
    DepKind::StartToStart,
    DepKind::FinishToFinish,
    DepKind::Relates,
];

/// A fuzzy search for the task that `task` will depend on.
pub struct Picker {
    task: TaskId,
    title: String,
    input: TextArea<'static>,
    views: Arc<Vec<TaskView>>,
    matches: Vec<usize>,
    selected: usize,
    kind: usize,
}

impl Picker {
    /// Picks among `views` (the loaded tasks) one for `task` to depend on.
    pub fn new(task: TaskId, title: String, views: Arc<Vec<TaskView>>) -> Picker {
        let mut picker = Picker {
            task,
            title,
            input: line_input(""),
            views,
            matches: Vec::new(),
            selected: 0,
            kind: 0,
        };
        picker
            .input
            .set_placeholder_text("a few letters of its title, or its id");
        picker.rematch();
        picker
    }

    fn rematch(&mut self) {
        let query = input_text(&self.input);
        let query = query.trim();
        let by_id = query.parse::<u64>().ok();
        let mut scored: Vec<(i64, usize)> = self
            .views
            .iter()
            .enumerate()
            .filter(|(_, v)| v.task.id != self.task && !v.task.is_template())
            .filter_map(|(i, v)| {
                if by_id == Some(v.task.id.0) {
                    return Some((i64::MAX, i));
                }
                score(query, &v.task.title).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matches = scored.into_iter().take(MOST).map(|(_, i)| i).collect();
        self.selected = 0;
    }

    /// Handles a key.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        match find(&KEYS, &key) {
            Some(Key::Cancel) => Outcome::Close,
            Some(Key::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Outcome::Stay
            }
            Some(Key::Down) => {
                self.selected = (self.selected + 1).min(self.matches.len().saturating_sub(1));
                Outcome::Stay
            }
            Some(Key::Kind) => {
                self.kind = (self.kind + 1) % KINDS.len();
                Outcome::Stay
            }
            Some(Key::Pick) => match self.matches.get(self.selected) {
                Some(i) => {
                    let changes = TaskChanges {
                        add_depends: vec![Dependency {
                            on: self.views[*i].task.id,
                            kind: KINDS[self.kind],
                        }],
                        ..TaskChanges::default()
                    };
                    Outcome::Run(Cmd::Update(vec![self.task], changes))
                }
                None => Outcome::Stay,
            },
            None => {
                if edit_line(&mut self.input, key) {
                    self.rematch();
                }
                Outcome::Stay
            }
        }
    }

    /// Draws the search line, the kind and the best matches.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = format!("Task {} depends on…", self.task);
        let inner = window(frame, area, 72, 18, &title, theme);
        let [about, input, list, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let kind = KINDS[self.kind];
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{} · ", self.title), theme.dim),
                Span::styled(kind.words(), theme.accent),
                Span::styled(" (Tab changes the kind)", theme.dim),
            ])),
            about,
        );
        frame.render_widget(&self.input, input);
        let height = usize::from(list.height);
        let start = self.selected.saturating_sub(height.saturating_sub(1));
        let lines: Vec<Line<'static>> = if self.matches.is_empty() {
            vec![Line::styled("No task matches.", theme.dim)]
        } else {
            self.matches
                .iter()
                .enumerate()
                .skip(start)
                .take(height)
                .map(|(k, i)| {
                    let task = &self.views[*i].task;
                    let line = Line::from(vec![
                        Span::styled(format!("{:>5} ", task.id), theme.dim),
                        Span::raw(task.title.clone()),
                    ]);
                    if k == self.selected {
                        line.style(theme.selection)
                    } else {
                        line
                    }
                })
                .collect()
        };
        frame.render_widget(Paragraph::new(lines), list);
        frame.render_widget(Paragraph::new(hints(&KEYS, theme)), footer);
    }
}
