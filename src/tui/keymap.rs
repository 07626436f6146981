//! The live key map: defaults, with the user's `keys:` on top. The footer and the help screen
//! are generated from it, so they always show the keys that really work.

use std::collections::{BTreeMap, HashMap};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::{Action, KeyCombo, KeyName, KeyScope};

/// The default keys of every action.
pub fn default_bindings() -> BTreeMap<Action, Vec<KeyCombo>> {
    use Action::*;
    let c = KeyCombo::char;
    let k = KeyCombo::plain;
    [
        (Up, vec![c('k'), k(KeyName::Up)]),
        (Down, vec![c('j'), k(KeyName::Down)]),
        (Top, vec![c('g'), k(KeyName::Home)]),
        (Bottom, vec![c('G'), k(KeyName::End)]),
        (PageUp, vec![k(KeyName::PageUp), KeyCombo::ctrl('b')]),
        (PageDown, vec![k(KeyName::PageDown), KeyCombo::ctrl('f')]),
        (ToggleDetail, vec![k(KeyName::Enter)]),
        (DetailDown, vec![c('J')]),
        (DetailUp, vec![c('K')]),
        (Add, vec![c('a')]),
        (Edit, vec![c('e')]),
        (Done, vec![c('d')]),
        (StartStop, vec![c('>')]),
        (Delete, vec![c('x')]),
        (Undo, vec![c('u')]),
        (Annotate, vec![c('A')]),
        (Duplicate, vec![c('y')]),
        (Modify, vec![c('m')]),
        (Mark, vec![c('v')]),
        (Filter, vec![c('/')]),
        (Context, vec![c('C')]),
        (Sort, vec![c('s')]),
        (SortReverse, vec![c('S')]),
        (Group, vec![c('c')]),
        (Command, vec![c(':')]),
        (Help, vec![c('?')]),
        (NextView, vec![k(KeyName::Tab)]),
        (ListView, vec![c('1')]),
        (TreeView, vec![c('2')]),
        (CalendarView, vec![c('3')]),
        (ReportsView, vec![c('4')]),
        (Back, vec![k(KeyName::Esc)]),
        (Quit, vec![c('q'), KeyCombo::ctrl('c')]),
        (Fold, vec![c(' ')]),
        (Collapse, vec![c('h'), k(KeyName::Left)]),
        (Expand, vec![c('l'), k(KeyName::Right)]),
        (JumpToBlocker, vec![c('b')]),
        (AddSubtask, vec![c('o')]),
        (AddDependency, vec![c('p')]),
        (PrevDay, vec![c('h'), k(KeyName::Left)]),
        (NextDay, vec![c('l'), k(KeyName::Right)]),
        (PrevWeek, vec![c('k')]),
        (NextWeek, vec![c('j')]),
        (PrevMonth, vec![c('H')]),
        (NextMonth, vec![c('L')]),
        (Today, vec![c('t')]),
        (CalendarMode, vec![c('w')]),
        (Reschedule, vec![c('m')]),
        (NextChart, vec![c('l'), k(KeyName::Right)]),
        (PrevChart, vec![c('h'), k(KeyName::Left)]),
        (Zoom, vec![c('z'), k(KeyName::Enter)]),
        (NextRange, vec![c('r')]),
    ]
    .into_iter()
    .collect()
}

/// Turns a terminal key event into the combination it is bound by.
pub fn combo_of(event: &KeyEvent) -> KeyCombo {
    let key = match event.code {
        KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
            KeyName::Char(c.to_ascii_lowercase())
        }
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyName::BackTab,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Insert => KeyName::Insert,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::F(n) => KeyName::F(n),
        _ => KeyName::F(0),
    };
    KeyCombo {
        key,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
    }
}

/// Which action each key runs, in each view.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Action, Vec<KeyCombo>>,
    lookup: HashMap<(KeyScope, KeyCombo), Action>,
}

impl Keymap {
    /// The defaults with `overrides` applied: an overridden action loses its default keys, and
    /// a key the user gives to one action is taken from the defaults of the actions of the same
    /// view (all of them, for an action that works everywhere). Two actions the user binds to
    /// the same key in the same view are an error.
    pub fn new(overrides: &BTreeMap<Action, Vec<KeyCombo>>) -> Result<Keymap, String> {
        let mut bindings = default_bindings();
        let mut claimed: Vec<(KeyCombo, Action)> = Vec::new();
        for (action, keys) in overrides {
            for key in keys {
                let clash = claimed.iter().find(|(k, other)| {
                    k == key && other != action && other.scope() == action.scope()
                });
                if let Some((_, other)) = clash {
                    return Err(format!(
                        "keys: '{key}' is bound to both {} and {}",
                        other.config_name(),
                        action.config_name()
                    ));
                }
                claimed.push((*key, *action));
            }
        }
        for (action, keys) in bindings.iter_mut() {
            keys.retain(|k| {
                !claimed
                    .iter()
                    .any(|(key, by)| key == k && by.scope().takes_from(action.scope()))
            });
        }
        for (action, keys) in overrides {
            bindings.insert(*action, keys.clone());
        }
        let lookup = bindings
            .iter()
            .flat_map(|(action, keys)| keys.iter().map(move |k| ((action.scope(), *k), *action)))
            .collect();
        Ok(Keymap { bindings, lookup })
    }

    /// The action a key press runs in a view with keys of `scope`, if any: the view's own
    /// binding first, then one that works everywhere.
    pub fn action(&self, event: &KeyEvent, scope: KeyScope) -> Option<Action> {
        let combo = combo_of(event);
        self.lookup
            .get(&(scope, combo))
            .or_else(|| self.lookup.get(&(KeyScope::Everywhere, combo)))
            .copied()
    }

    /// The keys bound to an action.
    pub fn keys(&self, action: Action) -> &[KeyCombo] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The first key bound to an action, as shown in the footer.
    pub fn key_label(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(ToString::to_string)
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::new(&BTreeMap::new())
            .unwrap_or_else(|_| unreachable!("the defaults bind each key once"))
    }
}

/// The README's key table: one row per action with its default keys, so that a test can check
/// the README against the real defaults.
pub fn readme_table() -> String {
    let map = Keymap::default();
    let mut out = String::from("| keys | action | config name |\n|---|---|---|\n");
    for action in crate::config::Action::ALL {
        let keys: Vec<String> = map.keys(action).iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!(
            "| {} | {} | `{}` |\n",
            keys.join(" "),
            action.help_text(),
            action.config_name()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_bind_every_action_once_where_it_works() {
        let map = Keymap::default();
        let mut seen: Vec<(KeyCombo, Action)> = Vec::new();
        for action in Action::ALL {
            assert!(!map.keys(action).is_empty(), "{action:?} has no key");
            for combo in map.keys(action) {
                let clash = seen
                    .iter()
                    .find(|(k, a)| k == combo && a.scope() == action.scope());
                assert_eq!(clash, None, "{combo} bound twice");
                seen.push((*combo, action));
            }
        }
        let space = key(KeyCode::Char(' '), KeyModifiers::NONE);
        assert_eq!(map.action(&space, KeyScope::Tree), Some(Action::Fold));
        assert_eq!(map.action(&space, KeyScope::Everywhere), None);
        let d = key(KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(map.action(&d, KeyScope::Tree), Some(Action::Done));
        assert_eq!(
            map.action(
                &key(KeyCode::Char('G'), KeyModifiers::SHIFT),
                KeyScope::Everywhere
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            map.action(
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL),
                KeyScope::Everywhere
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(
                &key(KeyCode::BackTab, KeyModifiers::SHIFT),
                KeyScope::Everywhere
            ),
            None
        );
    }

    #[test]
    fn overrides_take_keys_from_defaults() -> Result<(), String> {
        let overrides = [(Action::Done, vec![KeyCombo::char('x')])]
            .into_iter()
            .collect();
        let map = Keymap::new(&overrides)?;
        assert_eq!(
            map.action(
                &key(KeyCode::Char('x'), KeyModifiers::NONE),
                KeyScope::Everywhere
            ),
            Some(Action::Done)
        );
        assert_eq!(
            map.action(
                &key(KeyCode::Char('d'), KeyModifiers::NONE),
                KeyScope::Everywhere
            ),
            None
        );
        assert!(map.keys(Action::Delete).is_empty(), "delete lost x to done");
        let clash = [
            (Action::Done, vec![KeyCombo::char('z')]),
            (Action::Delete, vec![KeyCombo::char('z')]),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            Keymap::new(&clash).err(),
            Some("keys: 'z' is bound to both done and delete".into())
        );
        Ok(())
    }
}
