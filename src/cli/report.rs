//! `tme report [NAME] [--range 30d] [FILTER]` and `tme history ID`.

use super::context::Ctx;
use super::error::CliError;
use super::select::task_id;
use crate::domain::capture::tokens_from_args;
use crate::report::{REPORTS, Range};

/// Reports on tasks and their history: `tme report throughput --range 90d project:Work`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The report (`tme report --list`); `summary` when left out. Words after it filter the
    /// tasks, as for `tme list` (all statuses unless `status:` says otherwise).
    #[arg(
        value_name = "NAME [FILTER]",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    words: Vec<String>,
    /// How far back: 7d, 30d, 90d, 1y, all, or a number of days, weeks, months or years.
    #[arg(long, default_value = "30d", value_parser = |s: &str| Range::parse(s).map_err(|e| e.to_string()))]
    range: Range,
    /// List the reports.
    #[arg(long)]
    list: bool,
    /// Print the report's numbers as JSON.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the report's table as CSV.
    #[arg(long)]
    csv: bool,
}

impl ReportArgs {
    /// Runs `tme report`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        if self.list {
            let width = REPORTS.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            let text: String = REPORTS
                .iter()
                .map(|(name, what)| format!("{name:<width$}  {what}\n"))
                .collect();
            return ctx.print(&text);
        }
        // A plain word first is the report's name (`tme report summary words` filters by
        // words); anything else starts the filter of the summary.
        let (name, filter_words) = match self.words.split_first() {
            Some((first, rest)) if first.chars().all(|c| c.is_alphabetic()) => {
                (first.to_lowercase(), rest)
            }
            _ => ("summary".to_string(), self.words.as_slice()),
        };
        let time = ctx.time();
        let filter = ctx
            .config
            .types
            .value
            .parse_filter(&tokens_from_args(filter_words), &time)?;
        let filter = filter.any_status_unless_named();
        let (report, window) = ctx.engine()?.report(&name, self.range, &filter)?;
        if self.json {
            return ctx.print_json(&report.json(&window));
        }
        let table = report.table();
        if self.csv {
            return ctx.print(&table.csv());
        }
        ctx.print(&table.text())
    }
}

/// A task's journal: every change, who made it and what changed.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The task.
    #[arg(value_name = "ID")]
    id: String,
    /// Print the entries as JSON.
    #[arg(long)]
    json: bool,
}

impl HistoryArgs {
    /// Runs `tme history`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let id = task_id(&self.id)?;
        let tm = ctx.engine()?;
        let items = tm.history_items(id)?;
        let tz = tm.time().tz;
        if self.json {
            let entries: Vec<_> = items.iter().map(|item| item.json(tz)).collect();
            return ctx.print_json(&entries);
        }
        let title = tm.task(id)?.title;
        let mut out = format!("History of task {id} '{title}'\n");
        for item in &items {
            out.push_str(&format!(
                "  {}  {:<8} {}\n",
                item.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                item.op.as_str(),
                item.actor
            ));
            for change in &item.changes {
                out.push_str(&format!("      {}\n", change.line()));
            }
        }
        ctx.print(&out)
    }
}
