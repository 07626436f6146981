//! The `rules:` section: automation rules.
//!
//! ```yaml
//! rules:
//!   - name: put-away
//!     on: complete                 # add, modify, complete, delete, spawn, or a list
//!     if: "#Shopping"              # a filter, as for tme list
//!     do:
//!       - add: "Put the shopping away #Home due:today"
//!       - notify: "Done: {title}"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::TimeContext;
use crate::domain::capture::{lex, parse_filter};
use crate::engine::{Event, Rule, RuleAction};

/// `on:` as one event or a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Events {
    /// `on: complete`
    One(String),
    /// `on: [add, modify]`
    Many(Vec<String>),
}

/// One rule as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    /// Its name.
    pub name: String,
    /// The events it waits for.
    pub on: Events,
    /// The tasks it applies to.
    #[serde(rename = "if")]
    pub filter: Option<String>,
    /// Its actions, each `add:`, `modify:`, `annotate:` or `notify:` with text.
    #[serde(rename = "do")]
    pub actions: Vec<BTreeMap<String, String>>,
}

/// Reads the rules; an error names the key (`rules[0].on`).
pub fn rules(entries: &[RuleEntry], time: &TimeContext) -> Result<Vec<Rule>, (String, String)> {
    let mut out: Vec<Rule> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = |key: &str| format!("rules[{i}].{key}");
        if out.iter().any(|r| r.name == entry.name) {
            return Err((
                at("name"),
                format!("there are two rules called '{}'", entry.name),
            ));
        }
        let names = match &entry.on {
            Events::One(one) => vec![one.clone()],
            Events::Many(many) => many.clone(),
        };
        let events = names
            .iter()
            .map(|n| {
                Event::parse(n).ok_or_else(|| {
                    (
                        at("on"),
                        format!(
                            "'{n}' is not an event; use add, modify, complete, delete or spawn"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let filter = parse_filter(&lex(entry.filter.as_deref().unwrap_or("")), time)
            .map_err(|e| (at("if"), e.to_string()))?;
        let filter = filter.any_status_unless_named();
        let mut actions = Vec::new();
        for (k, action) in entry.actions.iter().enumerate() {
            let [(verb, text)] = action.iter().collect::<Vec<_>>()[..] else {
                return Err((
                    format!("rules[{i}].do[{k}]"),
                    "each action is one of add:, modify:, annotate:, notify:".into(),
                ));
            };
            actions.push(match verb.as_str() {
                "add" => RuleAction::Add(text.clone()),
                "modify" => RuleAction::Modify(text.clone()),
                "annotate" => RuleAction::Annotate(text.clone()),
                "notify" => RuleAction::Notify(text.clone()),
                other => {
                    return Err((
                        format!("rules[{i}].do[{k}]"),
                        format!("'{other}' is not an action; use add, modify, annotate or notify"),
                    ));
                }
            });
        }
        out.push(Rule {
            name: entry.name.clone(),
            events,
            filter,
            actions,
        });
    }
    Ok(out)
}
