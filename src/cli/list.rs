//! `tme list` and `tme next`.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use super::render::{count, task_table, tasks_json};
use crate::domain::capture::tokens_from_args;
use crate::engine::{SortKey, TaskView};

fn parse_sort(name: &str) -> Result<SortKey, String> {
    SortKey::parse(name).ok_or_else(|| {
        let names: Vec<&str> = SortKey::ALL.iter().map(|k| k.name()).collect();
        format!("'{name}' is not a sort order; use {}", names.join(", "))
    })
}

/// Lists tasks: pending ones by default, most urgent first.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Filter: ids, words, #Category, +tag, -tag, status:, pri:, due:, due.before:, due.after:
    #[arg(
        value_name = "FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    filter: Vec<String>,
    /// Include completed and deleted tasks.
    #[arg(long, short)]
    all: bool,
    /// Show at most N tasks.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Sort order: urgency, due, priority, id, title, category or created.
    #[arg(long, value_parser = parse_sort, default_value = "urgency")]
    sort: SortKey,
    /// Reverse the order.
    #[arg(long)]
    reverse: bool,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

/// Shows the most urgent pending tasks.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// Filter, as for `tme list`.
    #[arg(
        value_name = "FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    filter: Vec<String>,
    /// How many tasks to show.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

fn show(ctx: &Ctx, views: &[TaskView], total: usize, json: bool) -> Result<(), CliError> {
    if json {
        return ctx.print(&tasks_json(ctx, views)?);
    }
    if views.is_empty() {
        return ctx.print("No matching tasks.\n");
    }
    let mut text = task_table(ctx, views);
    if total > views.len() {
        text.push_str(&format!("\n{} of {}\n", views.len(), count(total, "task")));
    } else {
        text.push_str(&format!("\n{}\n", count(total, "task")));
    }
    ctx.print(&text)
}

fn query(ctx: &Ctx, filter: &[String], all: bool) -> Result<Vec<TaskView>, CliError> {
    let mut filter = ctx
        .config
        .types
        .value
        .parse_filter(&tokens_from_args(filter), &ctx.time())?;
    if all {
        filter = filter.any_status_unless_named();
    }
    Ok(ctx.engine()?.query(&filter)?)
}

impl ListArgs {
    /// Runs `tme list`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let mut views = query(ctx, &self.filter, self.all)?;
        views.sort_by(|a, b| self.sort.compare(a, b));
        if self.reverse {
            views.reverse();
        }
        let total = views.len();
        views.truncate(self.limit.unwrap_or(usize::MAX));
        show(ctx, &views, total, self.json)
    }
}

impl NextArgs {
    /// Runs `tme next`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let mut views = query(ctx, &self.filter, false)?;
        let total = views.len();
        views.truncate(self.limit);
        show(ctx, &views, total, self.json)
    }
}
