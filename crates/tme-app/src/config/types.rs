//! The `types:` section: task types and their typed attributes.
//!
//! ```yaml
//! types:
//!   experiment:
//!     hypothesis: { kind: string, required: true }
//!     samples: { kind: number, default: 30 }
//!     stage: { kind: enum, values: [planned, running, done] }
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::capture::{Key, Word, classify, lex};
use crate::domain::types::{AttrKind, AttrSpec, TaskType, TaskTypes};
use crate::domain::{Tag, TimeContext};

/// One attribute as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttrEntry {
    /// `string`, `number`, `date`, `duration`, `bool` or `enum`.
    pub kind: String,
    /// For an enum: the words it may be.
    #[serde(default)]
    pub values: Vec<String>,
    /// Every task of the type needs it.
    #[serde(default)]
    pub required: bool,
    /// The value when it is left out.
    pub default: Option<serde_json::Value>,
}

/// Reads the section into task types; an error names the key (`types.experiment.samples`).
pub fn task_types(
    section: &BTreeMap<String, BTreeMap<String, AttrEntry>>,
    time: &TimeContext,
) -> Result<TaskTypes, (String, String)> {
    let mut types = Vec::new();
    for (name, attrs) in section {
        let at = format!("types.{name}");
        let tag = Tag::parse(name).map_err(|e| (at.clone(), format!("a type name {e}")))?;
        let mut specs = Vec::new();
        for (attr, entry) in attrs {
            let at = format!("{at}.{attr}");
            if reserved(attr) {
                return Err((
                    at,
                    format!(
                        "'{attr}' is a capture key (as in {attr}:...); call the attribute something else"
                    ),
                ));
            }
            if attr.is_empty() || !attr.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err((at, "attribute names are letters, digits and _".into()));
            }
            let kind = AttrKind::parse(&entry.kind, &entry.values)
                .map_err(|e| (format!("{at}.kind"), e))?;
            let default = match &entry.default {
                None => None,
                Some(value) => {
                    let text = match value {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Some(kind.value(&text, time).ok_or_else(|| {
                        (
                            format!("{at}.default"),
                            format!("'{text}' is not {}", kind.expected()),
                        )
                    })?)
                }
            };
            specs.push(AttrSpec {
                name: attr.clone(),
                kind,
                required: entry.required,
                default,
            });
        }
        types.push(TaskType {
            name: tag.as_str().to_string(),
            attrs: specs,
        });
    }
    Ok(TaskTypes::new(types))
}

/// Whether `name:` already means something in capture text.
fn reserved(name: &str) -> bool {
    let tokens = lex(&format!("{name}:x"));
    tokens.first().is_some_and(|t| {
        matches!(classify(t), Word::Field { key, .. } if key != Key::Type || name.eq_ignore_ascii_case("type"))
    })
}
