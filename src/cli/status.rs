//! `tme status`: counts at a glance.

use clap::Args;
use serde::Serialize;

use super::context::Ctx;
use super::error::CliError;

/// Shows how many tasks are pending, overdue, due today and done lately.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print a JSON object instead.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct StatusJson {
    pending: u64,
    started: u64,
    waiting: u64,
    overdue: u64,
    due_today: u64,
    blocked: u64,
    completed_today: u64,
    completed_this_week: u64,
    closed: u64,
    database: String,
}

impl StatusArgs {
    /// Runs `tme status`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let s = ctx.engine()?.summary()?;
        let database = ctx.config.database.value.to_string();
        if self.json {
            let json = StatusJson {
                pending: s.pending,
                started: s.started,
                waiting: s.waiting,
                overdue: s.overdue,
                due_today: s.due_today,
                blocked: s.blocked,
                completed_today: s.completed_today,
                completed_this_week: s.completed_this_week,
                closed: s.closed,
                database,
            };
            return ctx.print_json(&json);
        }
        let rows = [
            ("Pending", s.pending.to_string()),
            ("Started", s.started.to_string()),
            ("Waiting", s.waiting.to_string()),
            ("Overdue", s.overdue.to_string()),
            ("Due today", s.due_today.to_string()),
            ("Blocked", s.blocked.to_string()),
            ("Done today", s.completed_today.to_string()),
            ("Done this week", s.completed_this_week.to_string()),
            ("Closed in all", s.closed.to_string()),
            ("Database", database),
        ];
        let text: String = rows.iter().map(|(k, v)| format!("{k:<15} {v}\n")).collect();
        ctx.print(&text)
    }
}
