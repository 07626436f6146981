//! `tme rules` lists the automation rules; `tme rules test RULE ID` shows what one would do.

use super::context::Ctx;
use super::error::CliError;
use super::select::task_id;
use crate::domain::changed_fields;
use crate::engine::{Event, RuleAction};

/// The automation rules from the config file.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    action: Option<RulesAction>,
}

#[derive(Debug, clap::Subcommand)]
enum RulesAction {
    /// What RULE would do if task ID set it off now (nothing is saved).
    Test {
        /// The rule's name.
        rule: String,
        /// The task.
        id: String,
    },
}

fn event_word(e: Event) -> &'static str {
    match e {
        Event::Add => "add",
        Event::Modify => "modify",
        Event::Complete => "complete",
        Event::Delete => "delete",
        Event::Spawn => "spawn",
    }
}

impl RulesArgs {
    /// Runs `tme rules`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        match self.action {
            None => {
                let rules = tm.automation_rules();
                if rules.is_empty() {
                    return ctx.print("No rules. Add some under rules: in the config file.\n");
                }
                let mut out = String::new();
                for rule in rules {
                    let on: Vec<&str> = rule.events.iter().map(|e| event_word(*e)).collect();
                    out.push_str(&format!("{}  on {}\n", rule.name, on.join(", ")));
                    for action in &rule.actions {
                        let (verb, text) = match action {
                            RuleAction::Add(t) => ("add", t),
                            RuleAction::Modify(t) => ("modify", t),
                            RuleAction::Annotate(t) => ("annotate", t),
                            RuleAction::Notify(t) => ("notify", t),
                        };
                        out.push_str(&format!("  {verb:<8} {text}\n"));
                    }
                }
                ctx.print(&out)
            }
            Some(RulesAction::Test { rule, id }) => {
                let id = task_id(&id)?;
                let (changes, notes) = tm.try_rule(&rule, id)?;
                let tz = tm.time().tz;
                let mut out = format!("Rule '{rule}' for task {id} would:\n");
                for change in &changes {
                    let before = tm.task(change.task.id).ok();
                    let what = match &before {
                        Some(before) => changed_fields(before, &change.task, tz)
                            .iter()
                            .map(|c| c.line())
                            .collect::<Vec<_>>()
                            .join("; "),
                        None => format!("'{}'", change.task.title),
                    };
                    out.push_str(&format!(
                        "  {} task {}: {what}\n",
                        change.op.as_str(),
                        change.task.id
                    ));
                }
                for note in notes {
                    out.push_str(&format!("  say: {note}\n"));
                }
                if changes.is_empty() {
                    out.push_str("  change nothing\n");
                }
                out.push_str("(nothing was saved)\n");
                ctx.print(&out)
            }
        }
    }
}
