//! `tme list` and `tme next`.

use clap::{Args, ValueEnum};

use super::context::Ctx;
use super::error::CliError;
use super::render::{count, task_table, tasks_json};
use crate::domain::StatusFilter;
use crate::domain::capture::{parse_filter, tokens_from_args};
use crate::engine::TaskView;

/// The order of `tme list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Most urgent first.
    Urgency,
    /// Soonest due first; tasks without a due date last.
    Due,
    /// By id.
    Id,
    /// High, medium, low, none.
    Priority,
    /// Newest first.
    Created,
    /// Alphabetically by title.
    Title,
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
    /// Sort order.
    #[arg(long, value_enum, default_value_t = SortKey::Urgency)]
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

fn sort(views: &mut [TaskView], key: SortKey) {
    match key {
        SortKey::Urgency => {}
        SortKey::Due => views.sort_by_key(|v| {
            (
                v.task.due.is_none(),
                v.task.due.map(|d| d.sort_key()),
                v.task.id,
            )
        }),
        SortKey::Id => views.sort_by_key(|v| v.task.id),
        SortKey::Priority => {
            views.sort_by_key(|v| (v.task.priority.is_none(), v.task.priority, v.task.id))
        }
        SortKey::Created => views.sort_by_key(|v| (std::cmp::Reverse(v.task.created), v.task.id)),
        SortKey::Title => views.sort_by_key(|v| (v.task.title.to_lowercase(), v.task.id)),
    }
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
    let mut filter = parse_filter(&tokens_from_args(filter), &ctx.time())?;
    if all && filter.status == StatusFilter::Actionable {
        filter.status = StatusFilter::Any;
    }
    Ok(ctx.engine()?.query(&filter)?)
}

impl ListArgs {
    /// Runs `tme list`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let mut views = query(ctx, &self.filter, self.all)?;
        sort(&mut views, self.sort);
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
