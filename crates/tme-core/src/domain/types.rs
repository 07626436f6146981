//! Task types (DESIGN §7): named kinds of task with typed attributes, declared in the config
//! file. `type:experiment hypothesis:"..." samples:30` sets an experiment's attributes; each
//! value is checked against its attribute's kind, required attributes must be there, and
//! defaults fill what is left out. A type that is no longer declared stops being checked; its
//! stored values stay.

use std::collections::BTreeMap;

use super::capture::{
    CaptureError, Token, Word, classify, parse_changes, parse_filter, parse_new_task,
};
use super::changes::{NewTask, TaskChanges};
use super::dates::parse_when;
use super::duration::Duration;
use super::filter::{AttrOp, AttrTest, Filter};
use super::task::{AttrValue, Task};
use super::when::TimeContext;

/// What kind of value an attribute holds.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrKind {
    /// Free text.
    String,
    /// A number.
    Number,
    /// A date or date and time (any date phrase).
    Date,
    /// A length of time (`90m`, `2d`).
    Duration,
    /// Yes or no.
    Bool,
    /// One of a list of words.
    Enum(Vec<String>),
}

impl AttrKind {
    /// Reads `string`, `number`, `date`, `duration`, `bool`, or `enum` with its values.
    pub fn parse(name: &str, values: &[String]) -> Result<AttrKind, String> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "string" | "text" => AttrKind::String,
            "number" | "numeric" => AttrKind::Number,
            "date" => AttrKind::Date,
            "duration" => AttrKind::Duration,
            "bool" | "boolean" => AttrKind::Bool,
            "enum" if values.is_empty() => {
                return Err("an enum needs its values: values: [a, b, c]".into());
            }
            "enum" => AttrKind::Enum(values.iter().map(|v| v.to_lowercase()).collect()),
            other => {
                return Err(format!(
                    "'{other}' is not a kind; use string, number, date, duration, bool or enum"
                ));
            }
        })
    }

    /// What a value must look like, for messages: "a number", "one of planned, running".
    pub fn expected(&self) -> String {
        match self {
            AttrKind::String => "text".into(),
            AttrKind::Number => "a number".into(),
            AttrKind::Date => "a date (2026-12-01, fri, +3d)".into(),
            AttrKind::Duration => "a duration (90m, 2h, 3d)".into(),
            AttrKind::Bool => "yes or no".into(),
            AttrKind::Enum(values) => format!("one of {}", values.join(", ")),
        }
    }

    /// Reads a value of this kind.
    pub fn value(&self, text: &str, ctx: &TimeContext) -> Option<AttrValue> {
        let text = text.trim();
        match self {
            AttrKind::String => (!text.is_empty()).then(|| AttrValue::Text(text.to_string())),
            AttrKind::Number => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(AttrValue::Number),
            AttrKind::Date => parse_when(text, ctx).ok().map(AttrValue::Date),
            AttrKind::Duration => Duration::parse(text).map(AttrValue::Duration),
            AttrKind::Bool => match text.to_ascii_lowercase().as_str() {
                "yes" | "true" | "y" | "1" | "on" => Some(AttrValue::Bool(true)),
                "no" | "false" | "n" | "0" | "off" => Some(AttrValue::Bool(false)),
                _ => None,
            },
            AttrKind::Enum(values) => {
                let lower = text.to_lowercase();
                values.contains(&lower).then_some(AttrValue::Text(lower))
            }
        }
    }

    /// Whether a stored value is of this kind.
    pub fn holds(&self, value: &AttrValue) -> bool {
        match (self, value) {
            (AttrKind::String, AttrValue::Text(_))
            | (AttrKind::Number, AttrValue::Number(_))
            | (AttrKind::Date, AttrValue::Date(_))
            | (AttrKind::Duration, AttrValue::Duration(_))
            | (AttrKind::Bool, AttrValue::Bool(_)) => true,
            (AttrKind::Enum(values), AttrValue::Text(t)) => values.contains(t),
            _ => false,
        }
    }
}

/// One attribute of a task type.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrSpec {
    /// Its name, as typed in capture text (`samples`).
    pub name: String,
    /// What it holds.
    pub kind: AttrKind,
    /// Every task of the type must have it.
    pub required: bool,
    /// The value given when it is left out.
    pub default: Option<AttrValue>,
}

/// A task type and its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskType {
    /// Its name (`experiment`).
    pub name: String,
    /// Its attributes, in the order declared.
    pub attrs: Vec<AttrSpec>,
}

impl TaskType {
    /// The attribute called `name` (any case).
    pub fn attr(&self, name: &str) -> Option<&AttrSpec> {
        self.attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// The task types declared in the config file, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskTypes(BTreeMap<String, TaskType>);

/// The type all of `tasks` have, if they share one: whose attributes `modify` text is read for.
///
/// ```
/// use tme_core::domain::{Task, TaskId, types::shared_type};
/// let mut a = Task::new(TaskId(1), uuid::Uuid::nil(), "a", chrono::Utc::now());
/// a.task_type = Some("experiment".into());
/// let b = a.clone();
/// assert_eq!(shared_type([&a, &b]), Some("experiment"));
/// let c = Task::new(TaskId(3), uuid::Uuid::nil(), "c", chrono::Utc::now());
/// assert_eq!(shared_type([&a, &c]), None);
/// ```
pub fn shared_type<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Option<&'a str> {
    let mut kinds = tasks.into_iter().map(|t| t.task_type.as_deref());
    let first = kinds.next()??;
    kinds.all(|k| k == Some(first)).then_some(first)
}

/// A problem with a task's type and attributes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TypeError(pub String);

impl TaskTypes {
    /// The types, from a list.
    pub fn new(types: impl IntoIterator<Item = TaskType>) -> TaskTypes {
        TaskTypes(
            types
                .into_iter()
                .map(|t| (t.name.to_lowercase(), t))
                .collect(),
        )
    }

    /// The type called `name` (any case).
    pub fn get(&self, name: &str) -> Option<&TaskType> {
        self.0.get(&name.to_lowercase())
    }

    /// Every type, by name.
    pub fn iter(&self) -> impl Iterator<Item = &TaskType> {
        self.0.values()
    }

    /// Whether `name` is an attribute of any type (so `name:value` and `name.gt:value` are
    /// read as attribute conditions in a filter).
    pub fn knows_attr(&self, name: &str) -> Option<&AttrSpec> {
        self.0.values().find_map(|t| t.attr(name))
    }

    /// Takes the `name:value` tokens that are attributes of the type named in `tokens`
    /// (`type:experiment`) or else of `current` (the type a modified task already has), and
    /// reads their values. Returns the other tokens, for the capture parser, and the values
    /// (`None` for `name:` with nothing, which clears it in `modify`).
    ///
    /// ```
    /// use tme_core::domain::capture::lex;
    /// use tme_core::domain::types::{AttrKind, AttrSpec, TaskType, TaskTypes};
    /// use tme_core::domain::{AttrValue, TimeContext};
    /// let types = TaskTypes::new([TaskType { name: "experiment".into(), attrs: vec![
    ///     AttrSpec { name: "samples".into(), kind: AttrKind::Number, required: true, default: None },
    /// ]}]);
    /// let ctx = TimeContext::new(chrono::Utc::now(), chrono_tz::UTC);
    /// let (rest, attrs) = types.extract(&lex("Run it type:experiment samples:30"), None, &ctx).unwrap();
    /// assert_eq!(rest.len(), 3);
    /// assert_eq!(attrs["samples"], Some(AttrValue::Number(30.0)));
    /// let err = types.extract(&lex("Run it type:experiment samples:many"), None, &ctx).unwrap_err();
    /// assert_eq!(err.to_string(), "samples:many: experiment's samples must be a number");
    /// ```
    #[allow(clippy::type_complexity)]
    pub fn extract(
        &self,
        tokens: &[Token],
        current: Option<&str>,
        ctx: &TimeContext,
    ) -> Result<(Vec<Token>, BTreeMap<String, Option<AttrValue>>), CaptureError> {
        let named = tokens.iter().find_map(|t| match classify(t) {
            Word::Field {
                key: super::capture::Key::Type,
                value,
            } => Some(value),
            _ => None,
        });
        let Some(kind) = named.as_deref().or(current).and_then(|n| self.get(n)) else {
            return Ok((tokens.to_vec(), BTreeMap::new()));
        };
        let mut rest = Vec::with_capacity(tokens.len());
        let mut attrs = BTreeMap::new();
        for token in tokens {
            let split = (!token.literal)
                .then(|| token.text.split_once(':'))
                .flatten();
            let Some(spec) = split.and_then(|(name, _)| kind.attr(name)) else {
                rest.push(token.clone());
                continue;
            };
            let value = split.map_or("", |(_, v)| v);
            let value = value.trim_matches('"');
            if value.is_empty() {
                attrs.insert(spec.name.clone(), None);
                continue;
            }
            let read = spec
                .kind
                .value(value, ctx)
                .ok_or_else(|| CaptureError::BadValue {
                    token: token.text.clone(),
                    reason: format!(
                        "{}'s {} must be {}",
                        kind.name,
                        spec.name,
                        spec.kind.expected()
                    ),
                })?;
            attrs.insert(spec.name.clone(), Some(read));
        }
        Ok((rest, attrs))
    }

    /// `tme add` text with this config's types: the attributes of the type it names are read
    /// as attributes, the rest as usual.
    pub fn parse_new_task(
        &self,
        tokens: &[Token],
        ctx: &TimeContext,
    ) -> Result<NewTask, CaptureError> {
        let (rest, attrs) = self.extract(tokens, None, ctx)?;
        let mut new = parse_new_task(&rest, ctx)?;
        new.attrs = attrs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        Ok(new)
    }

    /// `tme modify` text, for tasks of type `current` (unless the text names another);
    /// `name:` with no value removes an attribute.
    pub fn parse_changes(
        &self,
        tokens: &[Token],
        current: Option<&str>,
        ctx: &TimeContext,
    ) -> Result<TaskChanges, CaptureError> {
        let (rest, attrs) = self.extract(tokens, current, ctx)?;
        let mut changes = parse_changes(&rest, ctx)?;
        changes.attrs = attrs;
        Ok(changes)
    }

    /// A filter with conditions on attributes of any type: `samples:30`, `samples.gt:20`,
    /// `started.before:dec` (also `.gte`, `.lt`, `.lte`).
    ///
    /// ```
    /// use tme_core::domain::capture::lex;
    /// use tme_core::domain::types::{AttrKind, AttrSpec, TaskType, TaskTypes};
    /// use tme_core::domain::{AttrOp, TimeContext};
    /// let types = TaskTypes::new([TaskType { name: "experiment".into(), attrs: vec![
    ///     AttrSpec { name: "samples".into(), kind: AttrKind::Number, required: false, default: None },
    /// ]}]);
    /// let ctx = TimeContext::new(chrono::Utc::now(), chrono_tz::UTC);
    /// let filter = types.parse_filter(&lex("samples.gt:20 #Lab"), &ctx).unwrap();
    /// assert_eq!(filter.attrs[0].op, AttrOp::Gt);
    /// assert!(filter.category.is_some());
    /// assert!(types.parse_filter(&lex("samples.gt:lots"), &ctx).is_err());
    /// ```
    pub fn parse_filter(
        &self,
        tokens: &[Token],
        ctx: &TimeContext,
    ) -> Result<Filter, CaptureError> {
        let mut rest = Vec::with_capacity(tokens.len());
        let mut tests = Vec::new();
        for token in tokens {
            let split = (!token.literal)
                .then(|| token.text.split_once(':'))
                .flatten();
            let parsed = split.and_then(|(key, value)| {
                let (name, op) = match key.split_once('.') {
                    Some((name, op)) => (name, AttrOp::parse(op)?),
                    None => (key, AttrOp::Eq),
                };
                Some((self.knows_attr(name)?, op, value))
            });
            let Some((spec, op, value)) = parsed else {
                rest.push(token.clone());
                continue;
            };
            let value = spec
                .kind
                .value(value.trim_matches('"'), ctx)
                .ok_or_else(|| CaptureError::BadValue {
                    token: token.text.clone(),
                    reason: format!("{} must be {}", spec.name, spec.kind.expected()),
                })?;
            tests.push(AttrTest {
                name: spec.name.clone(),
                op,
                value,
            });
        }
        let mut filter = parse_filter(&rest, ctx)?;
        filter.attrs = tests;
        Ok(filter)
    }

    /// Fills the defaults of the task's type that it lacks.
    pub fn fill_defaults(&self, task: &mut Task) {
        let Some(kind) = task.task_type.as_deref().and_then(|n| self.get(n)) else {
            return;
        };
        for spec in &kind.attrs {
            if let Some(default) = &spec.default {
                task.attrs
                    .entry(spec.name.clone())
                    .or_insert_with(|| default.clone());
            }
        }
    }

    /// Checks a task against its type: every required attribute there, every value of its
    /// kind. Attributes the type does not declare are left alone (they may come from a
    /// Taskwarrior import, or a type that changed). A type not declared is not checked.
    pub fn check(&self, task: &Task) -> Result<(), TypeError> {
        let Some(kind) = task.task_type.as_deref().and_then(|n| self.get(n)) else {
            return Ok(());
        };
        for spec in &kind.attrs {
            match task.attrs.get(&spec.name) {
                None if spec.required => {
                    return Err(TypeError(format!(
                        "task {} is of type {}: it needs {}:{}",
                        task.id,
                        kind.name,
                        spec.name,
                        match &spec.kind {
                            AttrKind::Enum(v) => v.join("|"),
                            AttrKind::Number => "N".into(),
                            other => format!("<{}>", other.expected()),
                        }
                    )));
                }
                Some(value) if !spec.kind.holds(value) => {
                    return Err(TypeError(format!(
                        "task {}: {}'s {} must be {}",
                        task.id,
                        kind.name,
                        spec.name,
                        spec.kind.expected()
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }
}
