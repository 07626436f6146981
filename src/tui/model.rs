//! All UI state, in one place. `update` changes it; `view` only reads it.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::calendar::{CalendarMode, CalendarState};
use super::data::{Arrangement, Data, Row, build_rows};
use super::keymap::Keymap;
use super::msg::{Details, Feedback};
use super::popup::Popup;
use super::reports::ReportsState;
use super::theme::Theme;
use super::tree::TreeState;
use crate::config::KeyScope;
use crate::domain::{Filter, TaskId, TimeContext};
use crate::engine::TaskView;
use crate::engine::{Agenda, Entry};

/// The four views; only the list exists so far, the others have their keys reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// The task list.
    List,
    /// The dependency tree.
    Tree,
    /// The calendar.
    Calendar,
    /// The reports.
    Reports,
}

impl ViewKind {
    /// Every view, in `Tab` order.
    pub const ALL: [ViewKind; 4] = [
        ViewKind::List,
        ViewKind::Tree,
        ViewKind::Calendar,
        ViewKind::Reports,
    ];

    /// Which view-specific keys work in it.
    pub fn key_scope(self) -> KeyScope {
        match self {
            ViewKind::Tree => KeyScope::Tree,
            ViewKind::Calendar => KeyScope::Calendar,
            ViewKind::Reports => KeyScope::Reports,
            _ => KeyScope::Everywhere,
        }
    }

    /// The view's name in the header.
    pub fn name(self) -> &'static str {
        match self {
            ViewKind::List => "List",
            ViewKind::Tree => "Tree",
            ViewKind::Calendar => "Calendar",
            ViewKind::Reports => "Reports",
        }
    }
}

/// The filter line.
#[derive(Debug, Default)]
pub struct FilterState {
    /// The text as typed.
    pub text: String,
    /// What it means (the last text that parsed).
    pub filter: Filter,
    /// Why the text does not parse, if it does not.
    pub error: Option<String>,
    /// Being edited: the text before editing began, to go back to on Esc.
    pub editing: Option<String>,
}

/// The detail pane.
#[derive(Debug, Default)]
pub struct DetailState {
    /// Shown or hidden.
    pub visible: bool,
    /// Lines scrolled past.
    pub scroll: u16,
    /// The series facts and history of one task, once loaded.
    pub extra: Option<(TaskId, Details)>,
}

/// A message in the status line, and when it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The message.
    pub feedback: Feedback,
    /// When it appeared (it fades after a few seconds).
    pub at: DateTime<Utc>,
}

/// Everything the TUI shows and remembers.
pub struct Model {
    /// "Now", the zone and week start; moves on every tick.
    pub time: TimeContext,
    /// The loaded tasks.
    pub data: Data,
    /// Where each task id is in `data.views`.
    pub positions: HashMap<TaskId, usize>,
    /// The list's rows, filtered, sorted and grouped.
    pub rows: Vec<Row>,
    /// The selected row.
    pub selected: usize,
    /// The first row on screen.
    pub offset: usize,
    /// Sort and grouping.
    pub arrangement: Arrangement,
    /// Tasks marked for a bulk action.
    pub marked: BTreeSet<TaskId>,
    /// The filter line.
    pub filter: FilterState,
    /// Saved filters from config, by name.
    pub contexts: Vec<(String, String)>,
    /// The context in use.
    pub context: Option<usize>,
    /// The current view.
    pub view: ViewKind,
    /// The detail pane.
    pub detail: DetailState,
    /// The open popup, if any.
    pub popup: Option<Popup>,
    /// The status line.
    pub message: Option<Message>,
    /// Keys.
    pub keymap: Keymap,
    /// Colours.
    pub theme: Theme,
    /// Terminal width.
    pub width: u16,
    /// Terminal height.
    pub height: u16,
    /// Waiting for data.
    pub loading: bool,
    /// The tree view: folding, lines and the critical path.
    pub tree: TreeState,
    /// The calendar view: the selected day, the mode, what falls on each day.
    pub calendar: CalendarState,
    /// The report panes: range, focus, the dashboard.
    pub reports: ReportsState,
    /// Task types, for reading attributes in quick add, the filter and the edit form.
    pub types: std::sync::Arc<crate::domain::types::TaskTypes>,
}

impl Model {
    /// A model with no data yet.
    pub fn new(
        time: TimeContext,
        keymap: Keymap,
        theme: Theme,
        contexts: Vec<(String, String)>,
        size: (u16, u16),
    ) -> Model {
        Model {
            time,
            data: Data::default(),
            positions: HashMap::new(),
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            arrangement: Arrangement::default(),
            marked: BTreeSet::new(),
            filter: FilterState::default(),
            contexts,
            context: None,
            view: ViewKind::List,
            detail: DetailState::default(),
            popup: None,
            message: None,
            keymap,
            theme,
            width: size.0,
            height: size.1,
            loading: true,
            tree: TreeState::default(),
            calendar: CalendarState::default(),
            reports: ReportsState::default(),
            types: Default::default(),
        }
    }

    /// The task shown on a row.
    pub fn row_view(&self, row: usize) -> Option<&TaskView> {
        match self.rows.get(row)? {
            Row::Task(i) => self.data.views.get(*i),
            Row::Group { .. } | Row::Upcoming(_) => None,
        }
    }

    /// The selected task.
    pub fn selected_view(&self) -> Option<&TaskView> {
        self.row_view(self.selected)
    }

    /// A loaded task by id.
    pub fn view_by_id(&self, id: TaskId) -> Option<&TaskView> {
        self.positions
            .get(&id)
            .and_then(|i| self.data.views.get(*i))
    }

    /// What a bulk action acts on: the marked tasks, or else the selected one.
    pub fn targets(&self) -> Vec<TaskId> {
        if self.marked.is_empty() {
            self.selected_view()
                .map(|v| v.task.id)
                .into_iter()
                .collect()
        } else {
            self.marked.iter().copied().collect()
        }
    }

    /// Rebuilds the rows after the data, filter or arrangement changed, keeping the same task
    /// selected when it is still there.
    pub fn rebuild_rows(&mut self) {
        let keep = self.selected_view().map(|v| v.task.id);
        self.rebuild_rows_keeping(keep);
    }

    fn rebuild_rows_keeping(&mut self, keep: Option<TaskId>) {
        let arrangement = match self.view {
            ViewKind::Tree | ViewKind::Calendar => Arrangement::default(),
            _ => self.arrangement,
        };
        self.rows = build_rows(&self.data, &self.filter.filter, &self.time, arrangement);
        match self.view {
            ViewKind::Tree => {
                let shown: Vec<&TaskView> = self
                    .rows
                    .iter()
                    .filter_map(|r| match r {
                        Row::Task(i) => self.data.views.get(*i),
                        _ => None,
                    })
                    .collect();
                self.tree.rebuild(&shown);
                self.rows_from_tree();
            }
            ViewKind::Calendar => {
                self.calendar.shown = self
                    .rows
                    .iter()
                    .filter_map(|r| match r {
                        Row::Task(i) => Some(*i),
                        _ => None,
                    })
                    .collect();
                self.calendar.arranged = None;
                self.rows_from_calendar();
            }
            _ => {}
        }
        let at = keep.and_then(|id| self.positions.get(&id).copied());
        let found = at.and_then(|at| self.rows.iter().position(|r| *r == Row::Task(at)));
        self.selected = found.unwrap_or(self.selected.min(self.rows.len().saturating_sub(1)));
        self.settle_selection(1);
        self.marked.retain(|id| self.positions.contains_key(id));
    }

    /// Points the rows at what the calendar shows for the selected day (month and week) or the
    /// days ahead (agenda), placing the tasks again first if the days shown changed.
    pub fn rows_from_calendar(&mut self) {
        let range = self.calendar.range(&self.time);
        if self.calendar.arranged != Some(range) {
            let views = &self.data.views;
            self.calendar.agenda = Agenda::arrange(
                self.calendar
                    .shown
                    .iter()
                    .filter_map(|i| views.get(*i).map(|v| (*i, v))),
                &self.calendar.upcoming,
                range.0,
                range.1,
                &self.time,
            );
            self.calendar.arranged = Some(range);
        }
        let row_of = |entry: &Entry| match entry {
            Entry::Task { index, .. } => Row::Task(*index),
            Entry::Upcoming { index, .. } => Row::Upcoming(*index),
        };
        let agenda = &self.calendar.agenda;
        let day = self.calendar.day(&self.time);
        self.rows = match self.calendar.mode {
            CalendarMode::Month | CalendarMode::Week => agenda
                .days
                .get(&day)
                .map(|entries| entries.iter().map(row_of).collect())
                .unwrap_or_default(),
            CalendarMode::Agenda => {
                let mut rows = Vec::new();
                let today = self.time.today();
                if day == today && !agenda.overdue.is_empty() {
                    rows.push(Row::Group {
                        name: "Overdue".into(),
                        count: agenda.overdue.len(),
                    });
                    rows.extend(agenda.overdue.iter().map(|i| Row::Task(*i)));
                }
                let mut at = range.0;
                while at <= range.1 {
                    let entries = agenda.days.get(&at);
                    if entries.is_some() || at == today {
                        let mut name = at.format("%a %d %b %Y").to_string();
                        if at == today {
                            name.push_str(" · today");
                        }
                        rows.push(Row::Group {
                            name,
                            count: entries.map_or(0, Vec::len),
                        });
                        rows.extend(entries.into_iter().flatten().map(row_of));
                    }
                    let next = crate::domain::calendar::shift_days(at, 1);
                    if next == at {
                        break;
                    }
                    at = next;
                }
                rows
            }
        };
    }

    /// Points the rows at the tree's lines (after folding changed).
    pub fn rows_from_tree(&mut self) {
        self.rows = self
            .tree
            .lines
            .iter()
            .filter_map(|l| self.positions.get(&l.id).map(|i| Row::Task(*i)))
            .collect();
    }

    /// Selects the row of the first line showing `id`, unfolding what hides it.
    pub fn select_in_tree(&mut self, id: TaskId) -> bool {
        match self.tree.reveal(id) {
            Some(at) => {
                self.rows_from_tree();
                self.selected = at;
                true
            }
            None => false,
        }
    }

    /// Moves the selection off a group heading, in the direction given (1 down, -1 up).
    pub fn settle_selection(&mut self, direction: isize) {
        if self.rows.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.rows.len() - 1;
        let mut at = self.selected.min(last);
        let not_task = |row: Option<&Row>| !matches!(row, Some(Row::Task(_)));
        while not_task(self.rows.get(at)) {
            match at.checked_add_signed(direction) {
                Some(next) if next <= last => at = next,
                _ => break,
            }
        }
        if not_task(self.rows.get(at)) {
            // Nothing that way: look the other way.
            at = (0..=last)
                .rev()
                .find(|&i| matches!(self.rows[i], Row::Task(_)))
                .unwrap_or(0);
        }
        self.selected = at;
    }

    /// Shows a message in the status line.
    pub fn tell(&mut self, feedback: Feedback) {
        self.message = Some(Message {
            feedback,
            at: self.time.now,
        });
    }

    /// Replaces the data with a new load; returns the old tasks, to be freed off this thread.
    pub fn set_data(&mut self, data: Data) -> Arc<Vec<TaskView>> {
        let keep = self.selected_view().map(|v| v.task.id);
        self.positions = data
            .views
            .iter()
            .enumerate()
            .map(|(i, v)| (v.task.id, i))
            .collect();
        let old = std::mem::replace(&mut self.data, data);
        self.loading = false;
        self.rebuild_rows_keeping(keep);
        old.views
    }
}
