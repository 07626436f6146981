//! Keyword arguments as task fields: `create(..., due_date="eom", priority="H", samples=30)`
//! and `update(task, due=None, tags=["home"])` become the capture tokens `tme add` and
//! `tme modify` read (one token per field, so a value is never read as another field), plus
//! the fields capture text cannot say (tags as a list, dependencies, the parent) set directly.

use std::collections::BTreeMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use tme_core::domain::capture::{Key, Token, Word, classify};
use tme_core::domain::{DepKind, Tag};

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

fn tag_list(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<Tag>> {
    let words: Vec<String> = if let Ok(one) = value.cast::<PyString>() {
        vec![one.to_str()?.to_string()]
    } else {
        value
            .try_iter()
            .map_err(|_| PyTypeError::new_err(format!("{name}: expected a tag or a list of tags")))?
            .map(|item| item.and_then(|i| i.extract::<String>()))
            .collect::<PyResult<Vec<String>>>()?
    };
    words
        .iter()
        .map(|word| {
            Tag::parse(word.trim_start_matches('+'))
                .map_err(|e| crate::errors::input(format!("{name}: tag {e}")))
        })
        .collect()
}

fn dependencies(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<(TaskRef, DepKind)>> {
    let one = |item: &Bound<'_, PyAny>| -> PyResult<(TaskRef, DepKind)> {
        if let Ok(pair) = item.cast::<PyTuple>() {
            let (task, kind): (Bound<'_, PyAny>, String) = pair.extract()?;
            let kind = DepKind::parse(&kind).ok_or_else(|| {
                crate::errors::input(format!(
                    "{name}: '{kind}' is not a dependency kind; use fs, ss, ff or relates"
                ))
            })?;
            return Ok((TaskRef::read(&task)?, kind));
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
                Target::Capture(key) => {
                    let text = if value.is_none() {
                        String::new()
                    } else {
                        field_text(name, value)?
                    };
                    if key == Key::Type {
                        fields.task_type = Some(text.clone());
                    }
                    let token = Token::plain(format!("{}:{text}", key.name()));
                    fields.tokens.push((token, argument));
                }
                Target::Attr(attr) => {
                    let text = if value.is_none() {
                        String::new()
                    } else {
                        field_text(name, value)?
                    };
                    let token = Token::plain(format!("{attr}:{text}"));
                    fields.attrs.insert(attr, (token, argument));
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
    pub fn tokens(
        &self,
        types: &tme_core::domain::types::TaskTypes,
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

fn attr_names(kind: &tme_core::domain::types::TaskType) -> String {
    let names: Vec<&str> = kind.attrs.iter().map(|a| a.name.as_str()).collect();
    if names.is_empty() {
        "no attributes".into()
    } else {
        names.join(", ")
    }
}
