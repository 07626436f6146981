//! Keyword arguments as task fields: `create(..., due_date="eom", priority="H", samples=30)`
//! and `update(task, due=None, tags=["home"])` become the capture tokens `tme add` and
//! `tme modify` read (one token per field, so a value is never read as another field), plus
//! the fields capture text cannot say (tags as a list, dependencies, the parent) set directly.

use std::collections::BTreeMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use tme_core::TaskManager;
use tme_core::domain::capture::{CaptureError, Key, Token, Word, classify};
use tme_core::domain::types::TaskTypes;
use tme_core::domain::{DepKind, Dependency, NewTask, Tag, TaskChanges};

use crate::errors::{Failure, Kind, Outcome};
use crate::refs::TaskRef;
use crate::values::field_text;

/// What one keyword names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// The title.
    Title,
    /// The description.
    Description,
    /// A field of the capture grammar, by its key (`due`, `pri`, `every`…).
    Capture(Key),
    /// The whole set of tags.
    Tags,
    /// Tags to add.
    AddTags,
    /// Tags to remove.
    RemoveTags,
    /// Dependencies to add.
    Depends,
    /// The parent task.
    Parent,
    /// Anything else: an attribute of the task's type.
    Attr(String),
}

/// Python's spellings of the capture keys, beside the grammar's own.
const ALIASES: [(&str, &str); 3] = [
    ("due_date", "due"),
    ("recurrence", "every"),
    ("task_type", "type"),
];

fn target(name: &str) -> Target {
    match name {
        "title" => return Target::Title,
        "description" | "desc" => return Target::Description,
        "tags" => return Target::Tags,
        "add_tags" => return Target::AddTags,
        "remove_tags" => return Target::RemoveTags,
        "depends" | "dep" => return Target::Depends,
        "parent" => return Target::Parent,
        _ => {}
    }
    let key = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, key)| key);
    match classify(&Token::plain(format!("{key}:x"))) {
        Word::Field { key, .. } if !matches!(key, Key::Status | Key::DueBefore | Key::DueAfter) => {
            Target::Capture(key)
        }
        _ => Target::Attr(name.to_string()),
    }
}

/// The fields a call gives, read from Python and not yet checked against the task's type.
#[derive(Debug, Default)]
pub struct Fields {
    /// The new title, if given.
    pub title: Option<String>,
    /// The new description, if given.
    pub description: Option<String>,
    /// Capture tokens, each with the argument it came from (`due_date='fryday'`).
    pub tokens: Vec<(Token, String)>,
    /// The task type named, if any (`type=`), for which attributes apply.
    pub task_type: Option<String>,
    /// Attributes by name, each with its token.
    pub attrs: BTreeMap<String, (Token, String)>,
    /// Tags given as the whole set.
    pub tags: Option<Vec<Tag>>,
    /// Tags to add.
    pub add_tags: Vec<Tag>,
    /// Tags to remove.
    pub remove_tags: Vec<Tag>,
    /// Dependencies to add.
    pub depends: Vec<(TaskRef, DepKind)>,
    /// The new parent (`Some(None)`: none).
    pub parent: Option<Option<TaskRef>>,
}

/// `repr()` of a value, for messages.
fn shown(value: &Bound<'_, PyAny>) -> String {
    value
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A word or a list of words (`tags="home"`, `status=["pending", "started"]`).
pub fn words(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(one) = value.cast::<PyString>() {
        return Ok(vec![one.to_str()?.to_string()]);
    }
    value
        .try_iter()
        .map_err(|_| PyTypeError::new_err(format!("{name}: expected a word or a list of them")))?
        .map(|item| item.and_then(|i| i.extract::<String>()))
        .collect()
}

/// Tags given as a word or a list of them, each with or without its `+`.
pub fn tag_list(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<Tag>> {
    words(name, value)?
        .iter()
        .map(|word| {
            Tag::parse(word.trim_start_matches('+'))
                .map_err(|e| crate::errors::input(format!("{name}: tag {e}")))
        })
        .collect()
}

/// A dependency kind by its name (`fs`, `ss`, `ff`, `rel`, `relates`).
pub fn dep_kind(name: &str, kind: &str) -> PyResult<DepKind> {
    DepKind::parse(kind).ok_or_else(|| {
        crate::errors::input(format!(
            "{name}: '{kind}' is not a dependency kind; use fs, ss, ff or relates"
        ))
    })
}

fn dependencies(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<(TaskRef, DepKind)>> {
    let one = |item: &Bound<'_, PyAny>| -> PyResult<(TaskRef, DepKind)> {
        if let Ok(pair) = item.cast::<PyTuple>() {
            let (task, kind): (Bound<'_, PyAny>, String) = pair.extract()?;
            return Ok((TaskRef::read(&task)?, dep_kind(name, &kind)?));
        }
        Ok((TaskRef::read(item)?, DepKind::FinishToStart))
    };
    if TaskRef::read(value).is_ok() || value.is_instance_of::<PyTuple>() {
        return Ok(vec![one(value)?]);
    }
    value
        .try_iter()
        .map_err(|_| PyTypeError::new_err(format!("{name}: expected a task or a list of tasks")))?
        .map(|item| one(&item?))
        .collect()
}

impl Fields {
    /// Reads keyword arguments; `clearing` (for `update`) lets `None` clear a field, where
    /// `create` takes it as not given.
    pub fn read(args: &[(String, Bound<'_, PyAny>)], clearing: bool) -> PyResult<Fields> {
        let mut fields = Fields::default();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in args {
            if value.is_none() && !clearing {
                continue;
            }
            let target = target(name);
            let slot = match &target {
                Target::Capture(key) => key.name().to_string(),
                Target::Attr(attr) => format!("attribute {attr}"),
                other => format!("{other:?}"),
            };
            if let Some(first) = seen.insert(slot, name.clone()) {
                return Err(crate::errors::input(format!(
                    "{first} and {name} set the same field; give it once"
                )));
            }
            let argument = format!("{name}={}", shown(value));
            match target {
                Target::Title => {
                    let title = value.extract::<Option<String>>()?.ok_or_else(|| {
                        crate::errors::input("title: a task cannot be without a title")
                    })?;
                    fields.title = Some(title);
                }
                Target::Description => {
                    fields.description =
                        Some(value.extract::<Option<String>>()?.unwrap_or_default());
                }
                Target::Capture(_) | Target::Attr(_) => {
                    // `None` clears: `due:` with no value.
                    let text = if value.is_none() {
                        String::new()
                    } else {
                        field_text(name, value)?
                    };
                    match target {
                        Target::Capture(key) => {
                            if key == Key::Type {
                                fields.task_type = Some(text.clone());
                            }
                            let token = Token::plain(format!("{}:{text}", key.name()));
                            fields.tokens.push((token, argument));
                        }
                        Target::Attr(attr) => {
                            let token = Token::plain(format!("{attr}:{text}"));
                            fields.attrs.insert(attr, (token, argument));
                        }
                        _ => {}
                    }
                }
                Target::Tags if value.is_none() => fields.tags = Some(Vec::new()),
                Target::Tags => fields.tags = Some(tag_list(name, value)?),
                Target::AddTags => fields.add_tags = tag_list(name, value)?,
                Target::RemoveTags => fields.remove_tags = tag_list(name, value)?,
                Target::Depends => fields.depends = dependencies(name, value)?,
                Target::Parent if value.is_none() => fields.parent = Some(None),
                Target::Parent => fields.parent = Some(Some(TaskRef::read(value)?)),
            }
        }
        Ok(fields)
    }

    /// The capture tokens with the attributes of the type that applies (named, else
    /// `current`), each with the argument it came from; an attribute no type of the config
    /// has is refused, naming it.
    fn tokens(
        &self,
        types: &TaskTypes,
        current: Option<&str>,
        call: &str,
    ) -> Result<Vec<(Token, String)>, String> {
        let kind = self
            .task_type
            .as_deref()
            .or(current)
            .and_then(|name| types.get(name));
        let mut out = self.tokens.clone();
        for (name, (token, argument)) in &self.attrs {
            if kind.and_then(|k| k.attr(name)).is_none() {
                let of_type = match kind {
                    Some(k) => format!("; a task of type {} has {}", k.name, attr_names(k)),
                    None => String::new(),
                };
                return Err(format!(
                    "{call}() got an unknown field {argument}: the fields are title, \
                     description, category, tags, due (due_date), scheduled, wait, until, \
                     every (recurrence), priority, estimate, depends, parent and type, and the \
                     attributes of the task's type{of_type}"
                ));
            }
            out.push((token.clone(), argument.clone()));
        }
        Ok(out)
    }
}

/// A capture error: one naming a token an argument became is told with the argument
/// (`due_date='fryday': …`), the token kept on the exception.
fn capture_failure(error: CaptureError, given: &[(Token, String)]) -> Failure {
    if let CaptureError::BadValue { token, reason } = &error
        && let Some((_, argument)) = given.iter().find(|(t, _)| t.text == *token)
    {
        return Failure::Token(format!("{argument}: {reason}"), token.clone());
    }
    Failure::Capture(error)
}

impl Fields {
    fn dependencies(&self, tm: &TaskManager) -> Outcome<Vec<Dependency>> {
        self.depends
            .iter()
            .map(|(on, kind)| {
                Ok(Dependency {
                    on: on.find(tm)?,
                    kind: *kind,
                })
            })
            .collect()
    }

    /// The new task titled `title` with these fields, read with the config's `types`; the
    /// tasks named found in `tm`.
    pub fn new_task(&self, title: &str, tm: &TaskManager, types: &TaskTypes) -> Outcome<NewTask> {
        let title = Token {
            text: title.to_string(),
            literal: true,
        };
        let given = self
            .tokens(types, None, "create")
            .map_err(|e| Failure::Said(Kind::Input, e))?;
        let tokens: Vec<Token> = std::iter::once(title)
            .chain(given.iter().map(|(t, _)| t.clone()))
            .collect();
        let mut new = types
            .parse_new_task(&tokens, &tm.time())
            .map_err(|e| capture_failure(e, &given))?;
        if let Some(description) = &self.description {
            new.description = description.clone();
        }
        new.tags.extend(self.tags.iter().flatten().cloned());
        new.tags.extend(self.add_tags.iter().cloned());
        new.depends.extend(self.dependencies(tm)?);
        if let Some(Some(parent)) = &self.parent {
            new.parent = Some(parent.find(tm)?);
        }
        Ok(new)
    }

    /// The changes these fields make to `current` (its type's attributes apply), read with
    /// the config's `types`; the tasks named found in `tm`. Tags given as a whole set are
    /// worked out against the task in the write ([`Fields::set_tags`]).
    pub fn changes(
        &self,
        current: &tme_core::domain::Task,
        tm: &TaskManager,
        types: &TaskTypes,
    ) -> Outcome<TaskChanges> {
        let kind = current.task_type.as_deref();
        let given = self
            .tokens(types, kind, "update")
            .map_err(|e| Failure::Said(Kind::Input, e))?;
        let tokens: Vec<Token> = given.iter().map(|(t, _)| t.clone()).collect();
        let mut change = types
            .parse_changes(&tokens, kind, &tm.time())
            .map_err(|e| capture_failure(e, &given))?;
        change.title = self.title.clone();
        change.description = self.description.clone();
        change.add_depends.extend(self.dependencies(tm)?);
        change.parent = match &self.parent {
            None => None,
            Some(None) => Some(None),
            Some(Some(parent)) => Some(Some(parent.find(tm)?)),
        };
        Ok(change)
    }

    /// The tag changes of `change` for the task as it is now (`now`, read in the write).
    pub fn set_tags(&self, now: &tme_core::domain::Task, change: &mut TaskChanges) {
        if let Some(wanted) = &self.tags {
            change.remove_tags = now
                .tags
                .iter()
                .filter(|t| !wanted.iter().any(|w| w.matches(t)))
                .cloned()
                .collect();
            change.add_tags = wanted.iter().filter(|w| !now.has_tag(w)).cloned().collect();
        }
        change.add_tags.extend(self.add_tags.iter().cloned());
        change.remove_tags.extend(self.remove_tags.iter().cloned());
    }
}

fn attr_names(kind: &tme_core::domain::types::TaskType) -> String {
    let names: Vec<&str> = kind.attrs.iter().map(|a| a.name.as_str()).collect();
    if names.is_empty() {
        "no attributes".into()
    } else {
        names.join(", ")
    }
}
