//! Key bindings as data: the actions the TUI offers and the key combinations users bind to
//! them in `keys:` (`done: d`, `delete: [x, Delete]`, `quit: ctrl-q`).

use std::fmt;

use serde::{Deserialize, Deserializer};

/// Something the TUI can do in its main screen. Every binding names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Jump to the first task.
    Top,
    /// Jump to the last task.
    Bottom,
    /// Up one page.
    PageUp,
    /// Down one page.
    PageDown,
    /// Show or hide the detail pane.
    ToggleDetail,
    /// Scroll the detail pane down.
    DetailDown,
    /// Scroll the detail pane up.
    DetailUp,
    /// Quick add.
    Add,
    /// Edit every field of the selected task.
    Edit,
    /// Complete the selected (or marked) tasks.
    Done,
    /// Start or stop time tracking.
    StartStop,
    /// Delete the selected (or marked) tasks.
    Delete,
    /// Undo the last command.
    Undo,
    /// Add a note.
    Annotate,
    /// Duplicate the selected task.
    Duplicate,
    /// Modify the selected (or marked) tasks with capture text.
    Modify,
    /// Mark or unmark the selected task for a bulk action.
    Mark,
    /// Edit the filter line.
    Filter,
    /// Switch to the next saved filter (context).
    Context,
    /// Sort by the next column.
    Sort,
    /// Reverse the sort order.
    SortReverse,
    /// Group the list by category.
    Group,
    /// Run a command line (`:modify 12 due:fri`).
    Command,
    /// Show every key binding.
    Help,
    /// Switch to the next view.
    NextView,
    /// The task list.
    ListView,
    /// The dependency tree.
    TreeView,
    /// The calendar.
    CalendarView,
    /// The reports.
    ReportsView,
    /// Close a popup, clear marks or the filter, or quit.
    Back,
    /// Quit.
    Quit,
    /// Tree: fold or unfold what hangs from the selected task.
    Fold,
    /// Tree: fold the selected task, or go to the task it hangs from.
    Collapse,
    /// Tree: unfold the selected task, or go to the first task hanging from it.
    Expand,
    /// Tree: go to the first open task that holds the selected one back.
    JumpToBlocker,
    /// Tree: add a subtask to the selected task.
    AddSubtask,
    /// Tree: pick a task (fuzzy search) for the selected one to depend on.
    AddDependency,
    /// Calendar: the day before.
    PrevDay,
    /// Calendar: the day after.
    NextDay,
    /// Calendar: a week earlier (in the agenda: up).
    PrevWeek,
    /// Calendar: a week later (in the agenda: down).
    NextWeek,
    /// Calendar: the month before.
    PrevMonth,
    /// Calendar: the month after.
    NextMonth,
    /// Calendar: back to today.
    Today,
    /// Calendar: switch between month, week and agenda.
    CalendarMode,
    /// Calendar: move the selected task to another day (pick it with the day keys, then Enter).
    Reschedule,
    /// Reports: the next chart.
    NextChart,
    /// Reports: the chart before.
    PrevChart,
    /// Reports: show the chart alone, full screen, or go back to them all.
    Zoom,
    /// Reports: the next range (7d, 30d, 90d, 1y, all).
    NextRange,
}

/// Where an action's keys work: everywhere, or in one view only (so views can reuse keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyScope {
    /// In every view.
    Everywhere,
    /// In the dependency tree.
    Tree,
    /// In the calendar.
    Calendar,
    /// In the reports.
    Reports,
}

impl KeyScope {
    /// Whether a key of this scope takes the same key away from an action of `other`: within
    /// one scope always, and a key bound everywhere by the user wins in every view. (By
    /// default, a view's own key shadows the same key bound everywhere: `j` is "week after" in
    /// the calendar and "down" elsewhere.)
    pub fn takes_from(self, other: KeyScope) -> bool {
        self == other || self == KeyScope::Everywhere
    }
}

impl Action {
    /// Every action, in the order the help screen lists them.
    pub const ALL: [Action; 52] = [
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::ToggleDetail,
        Action::DetailDown,
        Action::DetailUp,
        Action::Add,
        Action::Edit,
        Action::Done,
        Action::StartStop,
        Action::Delete,
        Action::Undo,
        Action::Annotate,
        Action::Duplicate,
        Action::Modify,
        Action::Mark,
        Action::Filter,
        Action::Context,
        Action::Sort,
        Action::SortReverse,
        Action::Group,
        Action::Command,
        Action::Help,
        Action::NextView,
        Action::ListView,
        Action::TreeView,
        Action::CalendarView,
        Action::ReportsView,
        Action::Back,
        Action::Quit,
        Action::Fold,
        Action::Collapse,
        Action::Expand,
        Action::JumpToBlocker,
        Action::AddSubtask,
        Action::AddDependency,
        Action::PrevDay,
        Action::NextDay,
        Action::PrevWeek,
        Action::NextWeek,
        Action::PrevMonth,
        Action::NextMonth,
        Action::Today,
        Action::CalendarMode,
        Action::Reschedule,
        Action::NextChart,
        Action::PrevChart,
        Action::Zoom,
        Action::NextRange,
    ];

    /// Where the action's keys work.
    pub fn scope(self) -> KeyScope {
        match self {
            Action::Fold
            | Action::Collapse
            | Action::Expand
            | Action::JumpToBlocker
            | Action::AddSubtask
            | Action::AddDependency => KeyScope::Tree,
            Action::PrevDay
            | Action::NextDay
            | Action::PrevWeek
            | Action::NextWeek
            | Action::PrevMonth
            | Action::NextMonth
            | Action::Today
            | Action::CalendarMode
            | Action::Reschedule => KeyScope::Calendar,
            Action::NextChart | Action::PrevChart | Action::Zoom | Action::NextRange => {
                KeyScope::Reports
            }
            _ => KeyScope::Everywhere,
        }
    }

    /// What the action does, for the help screen and the footer.
    pub fn description(self) -> &'static str {
        match self {
            Action::Up => "up",
            Action::Down => "down",
            Action::Top => "first task",
            Action::Bottom => "last task",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::ToggleDetail => "details",
            Action::DetailDown => "scroll details down",
            Action::DetailUp => "scroll details up",
            Action::Add => "add",
            Action::Edit => "edit",
            Action::Done => "done",
            Action::StartStop => "start/stop",
            Action::Delete => "delete",
            Action::Undo => "undo",
            Action::Annotate => "annotate",
            Action::Duplicate => "duplicate",
            Action::Modify => "modify",
            Action::Mark => "mark",
            Action::Filter => "filter",
            Action::Context => "next context",
            Action::Sort => "sort",
            Action::SortReverse => "reverse sort",
            Action::Group => "group by category",
            Action::Command => "command",
            Action::Help => "help",
            Action::NextView => "next view",
            Action::ListView => "list view",
            Action::TreeView => "tree view",
            Action::CalendarView => "calendar view",
            Action::ReportsView => "reports view",
            Action::Back => "back out (never quits)",
            Action::Quit => "quit",
            Action::Fold => "fold/unfold",
            Action::Collapse => "fold or go up",
            Action::Expand => "unfold or go down",
            Action::JumpToBlocker => "go to blocker",
            Action::AddSubtask => "add subtask",
            Action::AddDependency => "add dependency",
            Action::PrevDay => "day before",
            Action::NextDay => "day after",
            Action::PrevWeek => "week before",
            Action::NextWeek => "week after",
            Action::PrevMonth => "month before",
            Action::NextMonth => "month after",
            Action::Today => "today",
            Action::CalendarMode => "month/week/agenda",
            Action::Reschedule => "move to a day",
            Action::NextChart => "next chart",
            Action::PrevChart => "chart before",
            Action::Zoom => "full screen",
            Action::NextRange => "range",
        }
    }

    /// The description with where it works, for the help screen: `add subtask (tree)`.
    pub fn help_text(self) -> String {
        match self.scope() {
            KeyScope::Everywhere => self.description().to_string(),
            KeyScope::Tree => format!("{} (tree)", self.description()),
            KeyScope::Calendar => format!("{} (calendar)", self.description()),
            KeyScope::Reports => format!("{} (reports)", self.description()),
        }
    }

    /// The name used in the `keys:` config section.
    pub fn config_name(self) -> String {
        let debug = format!("{self:?}");
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
        out
    }
}

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyName {
    /// A character key; its case says whether shift was held.
    Char(char),
    /// Enter / Return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// A function key, F1 to F24.
    F(u8),
}

const NAMED: [(&str, KeyName); 17] = [
    ("enter", KeyName::Enter),
    ("return", KeyName::Enter),
    ("esc", KeyName::Esc),
    ("escape", KeyName::Esc),
    ("tab", KeyName::Tab),
    ("backtab", KeyName::BackTab),
    ("backspace", KeyName::Backspace),
    ("delete", KeyName::Delete),
    ("insert", KeyName::Insert),
    ("up", KeyName::Up),
    ("down", KeyName::Down),
    ("left", KeyName::Left),
    ("right", KeyName::Right),
    ("home", KeyName::Home),
    ("end", KeyName::End),
    ("pageup", KeyName::PageUp),
    ("pagedown", KeyName::PageDown),
];

/// A key with the modifiers held: `d`, `G`, `ctrl-e`, `alt-Enter`, `F5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyCombo {
    /// The key.
    pub key: KeyName,
    /// Control held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
}

impl KeyCombo {
    /// A key with no modifier.
    pub const fn plain(key: KeyName) -> KeyCombo {
        KeyCombo {
            key,
            ctrl: false,
            alt: false,
        }
    }

    /// A character key with no modifier.
    pub const fn char(c: char) -> KeyCombo {
        KeyCombo::plain(KeyName::Char(c))
    }

    /// Control and a character.
    pub const fn ctrl(c: char) -> KeyCombo {
        KeyCombo {
            key: KeyName::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Parses `d`, `G`, `?`, `space`, `ctrl-e`, `alt-x`, `shift-tab`, `PageDown`, `F5`.
    pub fn parse(text: &str) -> Option<KeyCombo> {
        let mut combo = KeyCombo::plain(KeyName::Esc);
        let mut rest = text.trim();
        let mut shift = false;
        loop {
            let lower = rest.to_ascii_lowercase();
            let taken = [
                "ctrl-", "control-", "c-", "alt-", "meta-", "m-", "shift-", "s-",
            ]
            .iter()
            .find(|p| lower.starts_with(*p) && rest.len() > p.len());
            match taken {
                Some(prefix) => {
                    match prefix.chars().next() {
                        Some('c') => combo.ctrl = true,
                        Some('a' | 'm') => combo.alt = true,
                        _ => shift = true,
                    }
                    rest = &rest[prefix.len()..];
                }
                None => break,
            }
        }
        let lower = rest.to_ascii_lowercase();
        let mut chars = rest.chars();
        combo.key = match (chars.next(), chars.next()) {
            (Some(c), None) if shift => KeyName::Char(c.to_uppercase().next().unwrap_or(c)),
            (Some(c), None) if combo.ctrl => KeyName::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyName::Char(c),
            _ if lower == "space" => KeyName::Char(' '),
            _ if shift && lower == "tab" => {
                shift = false;
                KeyName::BackTab
            }
            _ => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n) if (1..=24).contains(&n) => KeyName::F(n),
                _ => NAMED
                    .iter()
                    .find(|(name, _)| *name == lower)
                    .map(|(_, k)| *k)?,
            },
        };
        // Shift only makes sense on characters (as case) and Tab (as BackTab).
        if shift && !matches!(combo.key, KeyName::Char(_)) {
            return None;
        }
        Some(combo)
    }
}

impl fmt::Display for KeyCombo {
    /// The short form shown in the footer and help: `d`, `G`, `C-e`, `Enter`, `PgDn`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("M-")?;
        }
        match self.key {
            KeyName::Char(' ') => f.write_str("Space"),
            KeyName::Char(c) => write!(f, "{c}"),
            KeyName::F(n) => write!(f, "F{n}"),
            KeyName::PageUp => f.write_str("PgUp"),
            KeyName::PageDown => f.write_str("PgDn"),
            KeyName::BackTab => f.write_str("S-Tab"),
            KeyName::Up => f.write_str("↑"),
            KeyName::Down => f.write_str("↓"),
            KeyName::Left => f.write_str("←"),
            KeyName::Right => f.write_str("→"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One key or a list of keys, as written in `keys:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyList(pub Vec<KeyCombo>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyList, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        let texts = match OneOrMany::deserialize(d)? {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        };
        texts
            .iter()
            .map(|t| {
                KeyCombo::parse(t).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "'{t}' is not a key; write a character (d, G, ?), a name (Enter, Esc, Tab, Up, PageDown, F5) or a combination (ctrl-e, alt-x)"
                    ))
                })
            })
            .collect::<Result<_, _>>()
            .map(KeyList)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_combos_parse_and_print() {
        let cases = [
            ("d", "d"),
            ("G", "G"),
            ("shift-g", "G"),
            ("?", "?"),
            ("ctrl-e", "C-e"),
            ("C-E", "C-e"),
            ("alt-x", "M-x"),
            ("Enter", "Enter"),
            ("esc", "Esc"),
            ("shift-tab", "S-Tab"),
            ("PageDown", "PgDn"),
            ("F5", "F5"),
            ("space", "Space"),
            ("-", "-"),
        ];
        for (text, shown) in cases {
            let combo = KeyCombo::parse(text);
            assert_eq!(
                combo.map(|c| c.to_string()),
                Some(shown.to_string()),
                "{text}"
            );
        }
        for bad in ["", "ctrl-", "F99", "shift-enter", "Hyper-x", "dd"] {
            assert_eq!(KeyCombo::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn action_names_are_snake_case() {
        assert_eq!(Action::StartStop.config_name(), "start_stop");
        for action in Action::ALL {
            let yaml = action.config_name();
            let parsed: Result<Action, _> = serde_yaml_ng::from_str(&yaml);
            assert_eq!(parsed.ok(), Some(action));
        }
    }
}
