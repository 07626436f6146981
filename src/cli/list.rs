//! `tme list` and `tme next`.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use super::render::{count, task_table, tasks_json};
use crate::domain::capture::tokens_from_args;
use crate::engine::{Page, SortKey, TaskView};

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

/// The page of tasks `filter` (command-line words) asks for, and how many match in all.
fn page(
    ctx: &Ctx,
    filter: &[String],
    all: bool,
    sort: SortKey,
    reverse: bool,
    limit: Option<usize>,
) -> Result<Page, CliError> {
    let mut filter = ctx
        .config
        .types
        .value
        .parse_filter(&tokens_from_args(filter), &ctx.time())?;
    if all {
        filter = filter.any_status_unless_named();
    }
    Ok(ctx.engine()?.query_page(&filter, sort, reverse, limit)?)
}

impl ListArgs {
    /// Runs `tme list`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let page = page(
            ctx,
            &self.filter,
            self.all,
            self.sort,
            self.reverse,
            self.limit,
        )?;
        show(ctx, &page.views, page.total, self.json)
    }
}

impl NextArgs {
    /// Runs `tme next`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let page = page(
            ctx,
            &self.filter,
            false,
            SortKey::Urgency,
            false,
            Some(self.limit),
        )?;
        show(ctx, &page.views, page.total, self.json)
    }
}
