//! `tme sync` (this file with the team's server, docs/sync.md) and `tme conflicts` (the
//! changes of yours that lost to another's, and taking one back).

use clap::{Args, Subcommand};

use super::context::Ctx;
use super::error::CliError;

/// `tme sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Say where this replica stands (what it has not pushed) without syncing.
    #[arg(long)]
    status: bool,
}

impl SyncArgs {
    /// Runs it.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        if self.status {
            let state = tm.replica_state()?;
            let waiting = tm.sync_outbox(&state)?.len();
            let server = ctx
                .config
                .sync_server
                .value
                .as_deref()
                .unwrap_or("(none set)");
            return ctx.print(&format!(
                "Server: {server}\nMachine: {}\nReplica: {}\nHolds the server's log up to command {}.\n{waiting} command(s) made here wait to be pushed.\n",
                ctx.config.sync_machine.value, state.replica, state.cursor
            ));
        }
        let synced = ctx.app.sync(tm, false)?;
        let mut out = crate::sync_client::report(&synced).join("\n");
        out.push('\n');
        ctx.print(&out)
    }
}

/// `tme conflicts`.
#[derive(Debug, Args)]
pub struct ConflictsArgs {
    /// Every conflict, anyone's, open or not.
    #[arg(long)]
    all: bool,
    #[command(subcommand)]
    action: Option<ConflictAction>,
}

#[derive(Debug, Subcommand)]
enum ConflictAction {
    /// Take back the value that lost: `tme conflicts take 31`.
    Take {
        /// The conflict's number, as `tme conflicts` shows it.
        number: u64,
    },
}

impl ConflictsArgs {
    /// Runs it.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        if let Some(ConflictAction::Take { number }) = self.action {
            let task = tm.take_back(number)?;
            return ctx.print(&format!(
                "Took back conflict {number}: task {} '{}' has it again.\n",
                task.id, task.title
            ));
        }
        let conflicts = tm.conflicts(self.all)?;
        if conflicts.is_empty() {
            let none = match self.all {
                true => "No conflicts.\n",
                false => "No open conflicts of yours (`tme conflicts --all` lists everyone's).\n",
            };
            return ctx.print(none);
        }
        let tz = ctx.config.time_zone.value;
        let mut out = String::new();
        for c in &conflicts {
            let when = c.at.with_timezone(&tz).format("%Y-%m-%d %H:%M");
            let state = if c.open { "" } else { " (settled since)" };
            out.push_str(&format!(
                "{:>5}  task {} '{}': {} {} by {} lost to {} by {}, {when}{state}\n",
                c.seq,
                c.task,
                c.title,
                c.field,
                c.lost_words(),
                c.by,
                c.won_words(),
                c.over,
            ));
            if let Some(why) = &c.why {
                out.push_str(&format!("       {why}\n"));
            }
        }
        out.push_str("`tme conflicts take N` sets the value that lost again.\n");
        ctx.print(&out)
    }
}
