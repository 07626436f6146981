//! The edit form: every field of a task, each checked as it would be in capture text.

use std::collections::BTreeSet;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::{Binding, Outcome, bind, find, hints, input_text, key_rows, line_input, window};
use crate::config::{KeyCombo, KeyName};
use crate::domain::AttrValue;
use crate::domain::capture::lex;
use crate::domain::types::TaskTypes;
use crate::domain::{
    Category, DepKind, Dependency, Duration, Priority, RecurrenceLink, RecurrenceRule, Tag, Task,
    TaskChanges, TaskId, TimeContext, When, check_note, check_title, parse_when,
};
use crate::tui::keymap::combo_of;
use crate::tui::msg::Cmd;
use crate::tui::theme::Theme;

/// The fields, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Description,
    Category,
    Tags,
    Priority,
    Due,
    Scheduled,
    Wait,
    Until,
    Recurrence,
    Estimate,
    Depends,
    Parent,
    Type,
    Attributes,
}

const FIELDS: [(Field, &str); 15] = [
    (Field::Title, "Title"),
    (Field::Description, "Description"),
    (Field::Category, "Category"),
    (Field::Tags, "Tags"),
    (Field::Priority, "Priority"),
    (Field::Due, "Due"),
    (Field::Scheduled, "Scheduled"),
    (Field::Wait, "Wait"),
    (Field::Until, "Until"),
    (Field::Recurrence, "Every"),
    (Field::Estimate, "Estimate"),
    (Field::Depends, "Depends on"),
    (Field::Parent, "Parent"),
    (Field::Type, "Type"),
    (Field::Attributes, "Attributes"),
];

/// Lines the description gets on screen.
const DESCRIPTION_ROWS: u16 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Next,
    Previous,
    Save,
    Editor,
    Cancel,
}

const KEYS: [Binding<Key>; 8] = [
    bind(KeyCombo::plain(KeyName::Tab), Key::Next, "next field"),
    bind(KeyCombo::plain(KeyName::Down), Key::Next, "next field"),
    bind(KeyCombo::plain(KeyName::BackTab), Key::Previous, "previous"),
    bind(KeyCombo::plain(KeyName::Up), Key::Previous, "previous"),
    bind(KeyCombo::plain(KeyName::Enter), Key::Save, "save"),
    bind(KeyCombo::ctrl('s'), Key::Save, "save"),
    bind(KeyCombo::ctrl('e'), Key::Editor, "$EDITOR"),
    bind(KeyCombo::plain(KeyName::Esc), Key::Cancel, "cancel"),
];

/// The form's keys by what they do, for the help screen.
pub fn key_list() -> Vec<(Vec<KeyCombo>, &'static str)> {
    key_rows(&KEYS)
}

/// Editing one task.
pub struct EditForm {
    task: Arc<Task>,
    types: Arc<TaskTypes>,
    inputs: Vec<TextArea<'static>>,
    errors: Vec<Option<String>>,
    focus: usize,
}

fn when_text(when: Option<When>, time: &TimeContext) -> String {
    when.map(|w| w.capture_form(time.tz)).unwrap_or_default()
}

fn depends_text(depends: &[Dependency]) -> String {
    depends
        .iter()
        .map(|d| match d.kind {
            DepKind::FinishToStart => d.on.to_string(),
            DepKind::Relates => format!("rel:{}", d.on),
            kind => format!("{}:{}", kind.as_str(), d.on),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn initial(field: Field, task: &Task, time: &TimeContext) -> String {
    match field {
        Field::Title => task.title.clone(),
        Field::Description => task.description.clone(),
        Field::Category => task
            .category
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        Field::Tags => task
            .tags
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        Field::Priority => task
            .priority
            .map(|p| p.letter().to_string())
            .unwrap_or_default(),
        Field::Due => when_text(task.due, time),
        Field::Scheduled => when_text(task.scheduled, time),
        Field::Wait => when_text(task.wait, time),
        Field::Until => when_text(task.until, time),
        Field::Recurrence => match &task.recurrence {
            Some(RecurrenceLink::Template { rule }) => rule.to_string(),
            _ => String::new(),
        },
        Field::Estimate => task.estimate.map(|d| d.to_string()).unwrap_or_default(),
        Field::Depends => depends_text(&task.depends),
        Field::Parent => task.parent.map(|p| p.to_string()).unwrap_or_default(),
        Field::Type => task.task_type.clone().unwrap_or_default(),
        Field::Attributes => task
            .attrs
            .iter()
            .map(|(k, v)| {
                let text = v.text(time.tz);
                if text.contains(char::is_whitespace) {
                    format!("{k}:\"{text}\"")
                } else {
                    format!("{k}:{text}")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Sets `slot` to `Some(value)` when it differs from `old`.
fn changed<T: PartialEq>(slot: &mut Option<T>, old: T, new: T) {
    if old != new {
        *slot = Some(new);
    }
}

fn optional<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

fn parse_depends(text: &str) -> Result<Vec<Dependency>, String> {
    text.split_whitespace()
        .map(|word| {
            let (kind, id) = match word.split_once(':') {
                Some((kind, id)) => (
                    DepKind::parse(kind).ok_or_else(|| {
                        format!("'{kind}' is not a dependency kind; use fs, ss, ff or rel")
                    })?,
                    id,
                ),
                None => (DepKind::FinishToStart, word),
            };
            let on = id
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("'{id}' is not a task id"))?;
            Ok(Dependency {
                on: TaskId(on),
                kind,
            })
        })
        .collect()
}

impl EditForm {
    /// A form holding `task`'s current values.
    pub fn new(task: Arc<Task>, time: &TimeContext, types: Arc<TaskTypes>) -> EditForm {
        let mut inputs: Vec<TextArea<'static>> = FIELDS
            .iter()
            .map(|(field, _)| {
                let text = initial(*field, &task, time);
                if *field == Field::Description {
                    let mut area = TextArea::new(text.lines().map(str::to_string).collect());
                    area.set_cursor_line_style(ratatui::style::Style::default());
                    area
                } else {
                    line_input(&text)
                }
            })
            .collect();
        // The type's attributes, as a hint of what the Attributes line takes.
        let hint = task
            .task_type
            .as_deref()
            .and_then(|t| types.get(t))
            .map(|t| {
                t.attrs
                    .iter()
                    .map(|a| format!("{}:<{}>", a.name, a.kind.expected()))
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        if let (Some(hint), Some(input)) = (hint, inputs.last_mut()) {
            input.set_placeholder_text(hint);
        }
        EditForm {
            task,
            types,
            inputs,
            errors: vec![None; FIELDS.len()],
            focus: 0,
        }
    }

    fn text(&self, field: Field) -> String {
        let at = FIELDS.iter().position(|(f, _)| *f == field).unwrap_or(0);
        match field {
            Field::Description => self.inputs[at].lines().join("\n").trim_end().to_string(),
            _ => input_text(&self.inputs[at]),
        }
    }

    /// The description as typed.
    pub fn description(&self) -> String {
        self.text(Field::Description)
    }

    /// Replaces the description (after `$EDITOR`).
    pub fn set_description(&mut self, text: &str) {
        let at = FIELDS
            .iter()
            .position(|(f, _)| *f == Field::Description)
            .unwrap_or(1);
        let mut area = TextArea::new(text.trim_end().lines().map(str::to_string).collect());
        area.set_cursor_line_style(ratatui::style::Style::default());
        self.inputs[at] = area;
    }

    /// Reads one field into `changes`, or says what is wrong with it.
    fn read(
        &self,
        field: Field,
        changes: &mut TaskChanges,
        time: &TimeContext,
    ) -> Result<(), String> {
        let task = &self.task;
        let text = self.text(field);
        let date = |text: &str| optional(text, |t| parse_when(t, time).map_err(|e| e.to_string()));
        match field {
            Field::Title => {
                let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if title.is_empty() {
                    return Err("a task needs a title".into());
                }
                check_title(&title).map_err(|e| e.to_string())?;
                changed(&mut changes.title, task.title.clone(), title);
            }
            Field::Description => {
                check_note(&text, "description").map_err(|e| e.to_string())?;
                changed(&mut changes.description, task.description.clone(), text);
            }
            Field::Category => {
                let category = optional(text.trim_start_matches('#'), |t| {
                    Category::parse(t).map_err(|e| e.to_string())
                })?;
                changed(&mut changes.category, task.category.clone(), category);
            }
            Field::Tags => {
                let tags = text
                    .split_whitespace()
                    .map(|t| Tag::parse(t.trim_start_matches('+')).map_err(|e| e.to_string()))
                    .collect::<Result<Vec<Tag>, String>>()?;
                let keys = |tags: &mut dyn Iterator<Item = &Tag>| {
                    tags.map(Tag::key).collect::<BTreeSet<_>>()
                };
                let (old, new) = (keys(&mut task.tags.iter()), keys(&mut tags.iter()));
                changes.add_tags = tags
                    .iter()
                    .filter(|t| !old.contains(&t.key()))
                    .cloned()
                    .collect();
                changes.remove_tags = task
                    .tags
                    .iter()
                    .filter(|t| !new.contains(&t.key()))
                    .cloned()
                    .collect();
            }
            Field::Priority => {
                let priority = optional(&text, |t| {
                    Priority::parse(t)
                        .ok_or_else(|| format!("'{t}' is not a priority; use H, M or L"))
                })?;
                changed(&mut changes.priority, task.priority, priority);
            }
            Field::Due => changed(&mut changes.due, task.due, date(&text)?),
            Field::Scheduled => changed(&mut changes.scheduled, task.scheduled, date(&text)?),
            Field::Wait => changed(&mut changes.wait, task.wait, date(&text)?),
            Field::Until => changed(&mut changes.until, task.until, date(&text)?),
            Field::Recurrence => {
                let rule = optional(&text, |t| {
                    RecurrenceRule::parse(t).map_err(|e| e.to_string())
                })?;
                let old = match &task.recurrence {
                    Some(RecurrenceLink::Template { rule }) => Some(rule.clone()),
                    _ => None,
                };
                if matches!(task.recurrence, Some(RecurrenceLink::Template { .. }))
                    || rule.is_some()
                {
                    changed(&mut changes.recurrence, old, rule);
                }
            }
            Field::Estimate => {
                let estimate = optional(&text, |t| {
                    Duration::parse(t)
                        .ok_or_else(|| format!("'{t}' is not a duration; try 90m or 1h30m"))
                })?;
                changed(&mut changes.estimate, task.estimate, estimate);
            }
            Field::Depends => {
                let wanted = parse_depends(&text)?;
                changes.remove_depends = task
                    .depends
                    .iter()
                    .filter(|d| !wanted.iter().any(|w| w.on == d.on))
                    .map(|d| d.on)
                    .collect();
                changes.add_depends = wanted
                    .into_iter()
                    .filter(|w| !task.depends.contains(w))
                    .collect();
            }
            Field::Parent => {
                let parent = optional(&text, |t| {
                    t.parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .map(TaskId)
                        .ok_or_else(|| format!("'{t}' is not a task id"))
                })?;
                changed(&mut changes.parent, task.parent, parent);
            }
            Field::Type => {
                let kind = optional(&text, |t| {
                    Tag::parse(t)
                        .map(|n| n.as_str().to_string())
                        .map_err(|e| format!("type {e}"))
                })?;
                changed(&mut changes.task_type, task.task_type.clone(), kind);
            }
            Field::Attributes => {
                let kind = self.text(Field::Type);
                let kind = Some(kind.trim()).filter(|k| !k.is_empty());
                let tokens = lex(&text);
                let (rest, read) = self
                    .types
                    .extract(&tokens, kind, time)
                    .map_err(|e| e.to_string())?;
                let mut values: std::collections::BTreeMap<String, AttrValue> = read
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v)))
                    .collect();
                for token in rest {
                    // Without a declared type, any name:value is kept as text.
                    match token.text.split_once(':') {
                        Some((name, value))
                            if kind.and_then(|k| self.types.get(k)).is_none()
                                && !name.is_empty()
                                && !value.is_empty() =>
                        {
                            values.insert(name.to_string(), AttrValue::Text(value.to_string()));
                        }
                        _ => {
                            return Err(format!(
                                "'{}' is not an attribute{}; write name:value",
                                token.text,
                                kind.map(|k| format!(" of {k}")).unwrap_or_default()
                            ));
                        }
                    }
                }
                for name in task.attrs.keys().filter(|k| !values.contains_key(*k)) {
                    changes.attrs.insert(name.clone(), None);
                }
                for (name, value) in values {
                    if task.attrs.get(&name) != Some(&value) {
                        changes.attrs.insert(name, Some(value));
                    }
                }
            }
        }
        Ok(())
    }

    /// The changes the form holds, or `None` (with the errors shown) if a field is wrong.
    fn collect(&mut self, time: &TimeContext) -> Option<TaskChanges> {
        let mut changes = TaskChanges::default();
        let errors: Vec<Option<String>> = FIELDS
            .iter()
            .map(|(field, _)| self.read(*field, &mut changes, time).err())
            .collect();
        let ok = errors.iter().all(Option::is_none);
        if let Some(first) = errors.iter().position(Option::is_some) {
            self.focus = first;
        }
        self.errors = errors;
        ok.then_some(changes)
    }

    fn on_description(&self) -> bool {
        FIELDS[self.focus].0 == Field::Description
    }

    /// Handles a key: Tab and the arrows move between fields, Enter or Ctrl-s saves, Ctrl-e
    /// hands the description to the editor, Esc cancels. In the description, the arrows and
    /// Enter edit the text.
    pub fn handle(&mut self, key: KeyEvent, time: &TimeContext) -> Outcome {
        let combo = combo_of(&key);
        let text_key =
            matches!(combo.key, KeyName::Up | KeyName::Down | KeyName::Enter) && !combo.ctrl;
        if self.on_description() && text_key {
            self.inputs[self.focus].input(key);
            return Outcome::Stay;
        }
        match find(&KEYS, &key) {
            Some(Key::Next) => {
                self.focus = (self.focus + 1) % FIELDS.len();
                Outcome::Stay
            }
            Some(Key::Previous) => {
                self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len();
                Outcome::Stay
            }
            Some(Key::Save) => match self.collect(time) {
                Some(changes) if changes.is_empty() => Outcome::Close,
                Some(changes) => Outcome::Run(Cmd::Update(vec![self.task.id], changes)),
                None => Outcome::Stay,
            },
            Some(Key::Editor) => Outcome::Keep(Cmd::Editor(self.description())),
            Some(Key::Cancel) => Outcome::Close,
            None => {
                if self.on_description() {
                    self.inputs[self.focus].input(key);
                } else {
                    super::edit_line(&mut self.inputs[self.focus], key);
                }
                self.errors[self.focus] = None;
                Outcome::Stay
            }
        }
    }

    /// Draws the form: a label and an input per field, the first error, and the keys.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let rows = u16::try_from(FIELDS.len()).unwrap_or(14) + DESCRIPTION_ROWS - 1;
        let inner = window(
            frame,
            area,
            84,
            rows + 4,
            &format!("Edit task {}", self.task.id),
            theme,
        );
        let [form, error, footer] = Layout::vertical([
            Constraint::Length(rows),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let heights: Vec<Constraint> = FIELDS
            .iter()
            .map(|(f, _)| {
                Constraint::Length(if *f == Field::Description {
                    DESCRIPTION_ROWS
                } else {
                    1
                })
            })
            .collect();
        let areas = Layout::vertical(heights).split(form);
        for (i, ((_, label), row)) in FIELDS.iter().zip(areas.iter()).enumerate() {
            let [name, input] =
                Layout::horizontal([Constraint::Length(13), Constraint::Min(1)]).areas(*row);
            let style = match (&self.errors[i], i == self.focus) {
                (Some(_), _) => theme.error,
                (None, true) => theme.accent,
                (None, false) => theme.dim,
            };
            let marker = if i == self.focus { "›" } else { " " };
            frame.render_widget(
                Paragraph::new(Span::styled(format!("{marker}{label:>11} "), style)),
                name,
            );
            frame.render_widget(&self.inputs[i], input);
        }
        let message = self
            .errors
            .iter()
            .zip(FIELDS.iter())
            .find_map(|(e, (_, label))| e.as_ref().map(|e| format!("✗ {label}: {e}")));
        if let Some(text) = message {
            frame.render_widget(Paragraph::new(Line::styled(text, theme.error)), error);
        }
        frame.render_widget(Paragraph::new(hints(&KEYS, theme)), footer);
    }
}
