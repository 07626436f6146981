//! The help overlay: every key binding, from the live key map, grouped by what the keys do and
//! laid out in as many columns as the screen holds, the current view's own keys first.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Outcome;
use super::output::Pager;
use crate::config::{Action, KeyCombo, KeyScope};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Space between two columns.
const GAP: usize = 3;

/// The groups of keys that work in every view, in the order they are shown.
const GROUPS: [&str; 4] = ["Moving", "Changing tasks", "Finding and arranging", "Views"];

/// The group an action that works in every view is shown in (`None` for a view's own).
fn group_of(action: Action) -> Option<&'static str> {
    use Action::*;
    Some(match action {
        Up | Down | Top | Bottom | PageUp | PageDown | ToggleDetail | DetailDown | DetailUp => {
            GROUPS[0]
        }
        Add | Edit | Done | StartStop | Delete | Undo | Annotate | Duplicate | Modify | Mark => {
            GROUPS[1]
        }
        Filter | Context | Sort | SortReverse | Group | Command => GROUPS[2],
        NextView | ListView | TreeView | CalendarView | ReportsView | Help | Back | Quit => {
            GROUPS[3]
        }
        Fold | Collapse | Expand | JumpToBlocker | AddSubtask | AddDependency | PrevDay
        | NextDay | PrevWeek | NextWeek | PrevMonth | NextMonth | Today | CalendarMode
        | Reschedule | NextChart | PrevChart | Zoom | NextRange => return None,
    })
}

/// The views with keys of their own, in the order they are shown after the common groups.
const VIEW_SCOPES: [(KeyScope, &str); 3] = [
    (KeyScope::Tree, "In the tree"),
    (KeyScope::Calendar, "In the calendar"),
    (KeyScope::Reports, "In the reports"),
];

/// The help overlay, opened from one view.
#[derive(Debug)]
pub struct Help {
    scope: KeyScope,
    pager: Pager,
}

/// One group: its heading and its rows of keys and what they do (and the config name).
struct Group {
    heading: String,
    rows: Vec<(String, String, Option<String>)>,
}

impl Group {
    fn height(&self) -> usize {
        self.rows.len() + 1
    }
}

impl Help {
    /// The help for a view with keys of `scope`: that view's keys come first.
    pub fn new(scope: KeyScope) -> Help {
        Help {
            scope,
            pager: Pager::default(),
        }
    }

    /// Scrolls or closes.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        self.pager.handle(key)
    }

    /// Every group of keys, the view's own first, then the common ones, then the other views'
    /// and the edit form's.
    fn groups(&self, keymap: &Keymap) -> Vec<Group> {
        let row = |action: Action| {
            (
                keys_text(keymap.keys(action)),
                action.description().to_string(),
                Some(action.config_name()),
            )
        };
        let of_view = |scope: KeyScope, heading: &str| Group {
            heading: heading.to_string(),
            rows: Action::ALL
                .into_iter()
                .filter(|a| a.scope() == scope)
                .map(row)
                .collect(),
        };
        let mut groups: Vec<Group> = VIEW_SCOPES
            .iter()
            .filter(|(scope, _)| *scope == self.scope)
            .map(|(scope, heading)| of_view(*scope, heading))
            .collect();
        groups.extend(GROUPS.iter().map(|heading| {
            Group {
                heading: heading.to_string(),
                rows: Action::ALL
                    .into_iter()
                    .filter(|a| group_of(*a) == Some(heading))
                    .map(row)
                    .collect(),
            }
        }));
        groups.extend(
            VIEW_SCOPES
                .iter()
                .filter(|(scope, _)| *scope != self.scope)
                .map(|(scope, heading)| of_view(*scope, heading)),
        );
        groups.push(Group {
            heading: "In the edit form".to_string(),
            rows: super::edit::key_list()
                .into_iter()
                .map(|(keys, label)| (keys_text(&keys), label.to_string(), None))
                .collect(),
        });
        groups
    }

    /// The help as lines at most `width` wide, its groups side by side as the width allows;
    /// when that still fits in `height`, each row also names its action as the config file does.
    pub fn lines(
        &self,
        keymap: &Keymap,
        theme: &Theme,
        width: u16,
        height: u16,
    ) -> Vec<Line<'static>> {
        let groups = self.groups(keymap);
        let width = usize::from(width);
        let height = usize::from(height).saturating_sub(2).max(1);
        let named = Bands::fit(&groups, width, true).height(&groups) <= height;
        let bands = Bands::fit(&groups, width, named);
        let title = if named {
            "Change keys under keys: in the config file, by the names in brackets"
        } else {
            "Change keys under keys: in the config file (the README names them)"
        };
        let mut lines = vec![Line::styled(title, theme.accent), Line::raw("")];
        lines.extend(bands.render(&groups, named, theme));
        lines
    }

    /// Draws the bindings in a window as big as they need, up to most of the screen.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let room = area.width.saturating_sub(6);
        let lines = self.lines(keymap, theme, room, area.height.saturating_sub(5));
        let widest = lines.iter().map(Line::width).max().unwrap_or(0);
        let width = u16::try_from(widest).unwrap_or(room).saturating_add(3);
        self.pager.draw(frame, area, theme, "Help", lines, width);
    }
}

fn keys_text(keys: &[KeyCombo]) -> String {
    if keys.is_empty() {
        "(unbound)".to_string()
    } else {
        keys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Groups placed side by side in bands, as many to a band as the width holds, read left to
/// right and then down, so scrolling never hides the start of a group beside its end.
struct Bands {
    per_band: usize,
    keys: usize,
    text: usize,
}

impl Bands {
    /// The widest groups the width allows, as many to a band as fit.
    fn fit(groups: &[Group], width: usize, named: bool) -> Bands {
        let keys = widest(
            groups
                .iter()
                .flat_map(|g| g.rows.iter().map(|r| r.0.as_str())),
        );
        let text = groups
            .iter()
            .flat_map(|g| {
                std::iter::once(g.heading.width().saturating_sub(keys + 2)).chain(
                    g.rows
                        .iter()
                        .map(|(_, what, name)| match name.as_ref().filter(|_| named) {
                            Some(name) => what.width() + name.width() + 3,
                            None => what.width(),
                        }),
                )
            })
            .max()
            .unwrap_or(0);
        let column = keys + 2 + text;
        Bands {
            per_band: ((width + GAP) / (column + GAP)).max(1),
            keys,
            text,
        }
    }

    /// How many lines the bands take, with a blank line between two.
    fn height(&self, groups: &[Group]) -> usize {
        let bands: Vec<usize> = groups
            .chunks(self.per_band)
            .map(|band| band.iter().map(Group::height).max().unwrap_or(0))
            .collect();
        bands.iter().sum::<usize>() + bands.len().saturating_sub(1)
    }

    /// The bands, one line per row.
    fn render(&self, groups: &[Group], named: bool, theme: &Theme) -> Vec<Line<'static>> {
        let column = self.keys + 2 + self.text;
        let mut lines = Vec::new();
        for band in groups.chunks(self.per_band) {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            let height = band.iter().map(Group::height).max().unwrap_or(0);
            for row in 0..height {
                let mut spans = Vec::new();
                for (c, group) in band.iter().enumerate() {
                    let cell = self.cell(group, row, named, theme);
                    let used: usize = cell.iter().map(|s| s.content.width()).sum();
                    spans.extend(cell);
                    if c + 1 < band.len() {
                        spans.push(Span::raw(" ".repeat(column.saturating_sub(used) + GAP)));
                    }
                }
                lines.push(Line::from(spans));
            }
        }
        lines
    }

    /// Row `row` of a group: its heading, then one key binding per row.
    fn cell(&self, group: &Group, row: usize, named: bool, theme: &Theme) -> Vec<Span<'static>> {
        let Some(index) = row.checked_sub(1) else {
            return vec![Span::styled(group.heading.clone(), theme.accent)];
        };
        let Some((keys, what, name)) = group.rows.get(index) else {
            return Vec::new();
        };
        let mut cell = vec![
            Span::styled(format!("{keys:>width$}  ", width = self.keys), theme.key),
            Span::raw(what.clone()),
        ];
        if let Some(name) = name.as_ref().filter(|_| named) {
            cell.push(Span::styled(format!(" ({name})"), theme.dim));
        }
        cell
    }
}

fn widest<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts.map(UnicodeWidthStr::width).max().unwrap_or(0)
}
