//! Automation rules (DESIGN §10): when a user's change matches a rule's event and filter, the
//! rule's actions run in the same command (so one `tme undo` reverts both). Actions may set
//! off other rules, up to a depth; past it the rest is skipped and reported.

use std::collections::BTreeMap;

use super::error::EngineError;
use super::session::Session;
use crate::domain::capture::{lex, parse_changes, parse_new_task};
use crate::domain::{Filter, Op, Task, TaskId, TimeContext};

/// The namespace of the uuids of tasks rules add for spawned occurrences.
const RULE_MADE: uuid::Uuid = uuid::Uuid::from_u128(0x7a3c_6b1e_8f52_4d09_9e61_0c2b_5a47_d814);

/// How deep rules may set off rules.
pub const MOST_DEPTH: usize = 5;

/// What a rule waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A task was added.
    Add,
    /// A task was changed (started, stopped and annotated too).
    Modify,
    /// A task was completed.
    Complete,
    /// A task was deleted.
    Delete,
    /// A recurring instance was spawned.
    Spawn,
}

impl Event {
    /// Reads `add`, `modify`, `complete`, `delete` or `spawn`.
    pub fn parse(text: &str) -> Option<Event> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "add" => Event::Add,
            "modify" => Event::Modify,
            "complete" | "done" => Event::Complete,
            "delete" => Event::Delete,
            "spawn" => Event::Spawn,
            _ => return None,
        })
    }

    fn of(op: Op) -> Option<Event> {
        Some(match op {
            Op::Add => Event::Add,
            Op::Modify | Op::Start | Op::Stop | Op::Annotate => Event::Modify,
            Op::Complete => Event::Complete,
            Op::Delete => Event::Delete,
            Op::Spawn => Event::Spawn,
            _ => return None,
        })
    }
}

/// One thing a rule does, with `{id}`, `{uuid}`, `{title}`, `{category}` and `{due}` standing
/// for the task that set it off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    /// Add a task from capture text: `Put the groceries away #Home due:today`.
    Add(String),
    /// Change the task with capture text: `+followup pri:H`.
    Modify(String),
    /// Add a note to the task.
    Annotate(String),
    /// Say something (in the command's output and the log).
    Notify(String),
}

/// A rule: on which events, for which tasks, do what.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its name, for `tme rules` and messages.
    pub name: String,
    /// The events it waits for.
    pub events: Vec<Event>,
    /// The tasks it applies to (as they are after the change).
    pub filter: Filter,
    /// What it does, in order.
    pub actions: Vec<RuleAction>,
}

/// What rules did in a command: messages to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleReport {
    /// `notify` messages and rules skipped for depth.
    pub notes: Vec<String>,
}

/// Puts the task's fields into a template.
pub fn fill(template: &str, task: &Task, time: &TimeContext) -> String {
    let fields: BTreeMap<&str, String> = [
        ("id", task.id.to_string()),
        ("uuid", task.uuid.to_string()),
        ("title", task.title.clone()),
        (
            "category",
            task.category
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
        ),
        (
            "due",
            task.due
                .map(|d| d.capture_form(time.tz))
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .collect();
    let mut out = template.to_string();
    for (key, value) in fields {
        out = out.replace(&format!("{{{key}}}"), &value);
    }
    out
}

impl Session<'_> {
    /// Runs the rules set off by the changes from `from` on, and by what they change in turn.
    pub(super) fn run_rules(
        &mut self,
        rules: &[Rule],
        time: &TimeContext,
    ) -> Result<RuleReport, EngineError> {
        let mut report = RuleReport::default();
        let mut start = 0;
        for depth in 0..=MOST_DEPTH {
            let end = self.changes.len();
            if start == end {
                break;
            }
            let batch: Vec<(Op, Task)> = self.changes[start..end]
                .iter()
                .map(|c| (c.op, c.task.clone()))
                .collect();
            start = end;
            for (op, task) in batch {
                let Some(event) = Event::of(op) else { continue };
                for rule in rules
                    .iter()
                    .filter(|r| r.events.contains(&event) && r.filter.matches(&task, time))
                {
                    if depth == MOST_DEPTH {
                        report.notes.push(format!(
                            "rule '{}' was not run for task {}: rules set each other off more than {MOST_DEPTH} deep",
                            rule.name, task.id
                        ));
                        continue;
                    }
                    for (n, action) in rule.actions.iter().enumerate() {
                        // What a rule adds for a spawned occurrence (which every replica
                        // spawns) has one identity everywhere, as the occurrence has.
                        self.made_as = (event == Event::Spawn).then(|| {
                            uuid::Uuid::new_v5(
                                &RULE_MADE,
                                format!("{}|{n}|{}", rule.name, task.uuid).as_bytes(),
                            )
                        });
                        self.act(rule, action, task.id, time, &mut report)?;
                        self.made_as = None;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Runs one action of `rule` for task `id`.
    pub(super) fn act(
        &mut self,
        rule: &Rule,
        action: &RuleAction,
        id: TaskId,
        time: &TimeContext,
        report: &mut RuleReport,
    ) -> Result<(), EngineError> {
        let task = self.task(id)?;
        let bad =
            |e: &dyn std::fmt::Display| EngineError::Invalid(format!("rule '{}': {e}", rule.name));
        match action {
            RuleAction::Add(template) => {
                let new = parse_new_task(&lex(&fill(template, &task, time)), time)
                    .map_err(|e| bad(&e))?;
                match self.made_as {
                    Some(uuid) if self.tx.id_by_uuid(uuid)?.is_none() => {
                        self.create_as(new, uuid)?
                    }
                    _ => self.create(new)?,
                };
            }
            RuleAction::Modify(template) => {
                let changes =
                    parse_changes(&lex(&fill(template, &task, time)), time).map_err(|e| bad(&e))?;
                self.update(id, &changes)?;
            }
            RuleAction::Annotate(template) => {
                self.annotate(id, &fill(template, &task, time))?;
            }
            RuleAction::Notify(template) => {
                let text = fill(template, &task, time);
                tracing::info!(rule = %rule.name, task = id.0, %text, "notify");
                report.notes.push(text);
            }
        }
        Ok(())
    }
}
