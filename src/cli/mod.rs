//! The `tme` command line (DESIGN §13): one module per subcommand, each an `Args` struct with
//! `run`. Exit codes: 0 success, 1 runtime error, 2 usage or input error.

mod act;
mod add;
mod annotate;
mod args;
mod backup;
mod calendar;
mod check;
mod completions;
mod config;
mod context;
mod copy;
mod demo;
mod dep;
mod error;
mod lifecycle;
mod list;
mod logging;
mod modify;
mod progress;
mod render;
mod report;
mod rules;
mod select;
mod serve;
mod show;
mod status;
mod style;
mod sync;
mod table;
mod token;
mod transfer;
mod tree;
mod undo;

pub use context::Ctx;
pub use error::CliError;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{App, FrontEnd, user_name};
use crate::config::{Config, Environment, Flags, load};
use crate::engine::TaskManager;

/// TME: tasks from the terminal. Words form a task's title; #Category, +tag, due:DATE,
/// every:RULE, pri:H|M|L, dep:ID and est:90m set its fields.
#[derive(Debug, Parser)]
#[command(name = "tme", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Use this database: a file, or a PostgreSQL URL (overrides TME_DATABASE_URL and the
    /// config file).
    #[arg(long, global = true, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// Read settings from this YAML or JSON file.
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Also write the log to the terminal.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Add a task: `tme add Pay rent project:Finance due:eom every:monthly` (or `#Finance`, quoted).
    Add(add::AddArgs),
    /// Record a task that is already done.
    Log(add::AddArgs),
    /// List tasks (pending ones, most urgent first); takes a filter.
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    /// Show the most urgent tasks.
    Next(list::NextArgs),
    /// Show everything about a task, with its history.
    Show(show::ShowArgs),
    /// Change tasks: `tme modify 12 due:fri +urgent`.
    #[command(visible_alias = "mod")]
    Modify(modify::ModifyArgs),
    /// Mark tasks completed (asks about open subtasks on a terminal).
    Done(lifecycle::DoneArgs),
    /// Start time tracking on tasks.
    Start(lifecycle::StartArgs),
    /// Stop time tracking on tasks.
    Stop(select::Selection),
    /// Delete tasks (undo brings them back); asks first on a terminal.
    #[command(visible_alias = "rm")]
    Delete(select::Selection),
    /// Revert the last command, however many tasks it changed.
    Undo,
    /// Add a note to a task.
    Annotate(annotate::AnnotateArgs),
    /// Add or remove a dependency: `tme dep add 12 7 --kind ss`.
    Dep(dep::DepArgs),
    /// Draw what waits on what, and what is part of what: `tme tree 12 --up`.
    Tree(tree::TreeArgs),
    /// The month with how much falls on each day: `tme cal`, `tme cal jan`.
    Cal(calendar::CalArgs),
    /// The days ahead with what is due or scheduled on each: `tme agenda --days 7`.
    Agenda(calendar::AgendaArgs),
    /// Numbers on the work: `tme report throughput --range 90d project:Work`; `--list` names them.
    Report(report::ReportArgs),
    /// Every change to a task, who made it and what changed.
    History(report::HistoryArgs),
    /// The automation rules; `tme rules test RULE ID` shows what one would do.
    Rules(rules::RulesArgs),
    /// The TUI on a throw-away database of sample tasks, to see what every view can do.
    Demo,
    /// Read tasks in: Taskwarrior's JSON (`task export | tme import -`), TME's JSON, todo.txt or iCalendar.
    Import(transfer::ImportArgs),
    /// Write tasks out: TME's JSON, Taskwarrior's (`tme export --format taskwarrior | task import`), todo.txt or iCalendar.
    Export(transfer::ExportArgs),
    /// Counts: pending, overdue, due today, done lately.
    Status(status::StatusArgs),
    /// Check the database: its pages, every index against the tasks, the journal against both.
    Check(check::CheckArgs),
    /// Copy the database, consistently even while other tme processes write, and check the copy.
    Backup(backup::BackupArgs),
    /// Replace the database with a backup, once a copy of it has passed the check.
    Restore(backup::RestoreArgs),
    /// Copy the whole database into another, empty one: a file, or PostgreSQL (`--to postgres://…`).
    Copy(copy::CopyArgs),
    /// Show the effective settings and where each came from.
    Config(config::ConfigArgs),
    /// The API tokens of `tme serve`: `tme token create ci-bot --role write --expires 90d`.
    Token(token::TokenArgs),
    /// Serve the HTTP API (`/api/v1`) on the database: `tme serve --listen 127.0.0.1:8080`.
    Serve(serve::ServeArgs),
    /// Sync this file with the team's server (`sync.server`): push what was made here, pull the rest.
    Sync(sync::SyncArgs),
    /// The changes of yours that lost to another's at sync; `tme conflicts take N` takes one back.
    Conflicts(sync::ConflictsArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// A plugin's subcommand, or `tme-NAME` on the PATH.
    #[command(external_subcommand)]
    External(Vec<String>),
}

/// Quotes an argument for the journal's record of the command line when it needs it.
fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || "#+-_.,:/@%=".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

fn run(cli: Cli, summary: String) -> Result<(), CliError> {
    let flags = Flags {
        config: cli.config,
        db: cli.db,
        verbose: cli.verbose,
    };
    let env = Environment::from_process();
    let config = load(&env, &flags).inspect_err(|_| logging::init_fallback())?;
    logging::init(&config, flags.verbose);
    tracing::info!(command = %summary, database = %config.database.value, "run");
    for warning in &config.warnings {
        tracing::warn!(%warning, "working directory");
    }
    if cli.command.is_some() {
        for warning in &config.warnings {
            eprintln!("tme: warning: {warning}");
        }
    }
    let user = user_name(&env, &config);
    let Some(command) = cli.command else {
        return tui_run(config, &user);
    };
    if matches!(command, Command::Demo) {
        return demo::run(config, &user);
    }
    let word = summary
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let front = FrontEnd {
        args: summary.clone(),
        command: word,
        keep_feedback: false,
    };
    let app = App::new(config, &front);
    app.launch()?;
    let ctx = Ctx::new(&app, summary, &user);
    let outcome = dispatch(command, &ctx);
    for note in ctx.rule_notes() {
        eprintln!("tme: rule: {note}");
    }
    // Reminders and the calendar file ride on commands that opened the database anyway.
    if let Some(tm) = ctx.opened_engine() {
        app.after_command(tm);
    }
    app.finish();
    outcome
}

/// Opens the TUI on the configured database, with `:` lines run as `tme` commands.
fn tui_run(config: Config, user: &str) -> Result<(), CliError> {
    crate::tui::run(config, user, &run_captured).map_err(|e| match e {
        crate::tui::TuiError::Input(message) => CliError::Input(message),
        other => CliError::Runtime(other.to_string()),
    })
}

fn dispatch(command: Command, ctx: &Ctx) -> Result<(), CliError> {
    match command {
        Command::Add(args) => args.run(ctx, false),
        Command::Log(args) => args.run(ctx, true),
        Command::List(args) => args.run(ctx),
        Command::Next(args) => args.run(ctx),
        Command::Show(args) => args.run(ctx),
        Command::Modify(args) => args.run(ctx),
        Command::Done(args) => args.run(ctx),
        Command::Start(args) => args.run(ctx),
        Command::Stop(tasks) => lifecycle::stop(tasks, ctx),
        Command::Delete(tasks) => lifecycle::delete(tasks, ctx),
        Command::Undo => undo::run(ctx),
        Command::Annotate(args) => args.run(ctx),
        Command::Dep(args) => args.run(ctx),
        Command::Tree(args) => args.run(ctx),
        Command::Cal(args) => args.run(ctx),
        Command::Agenda(args) => args.run(ctx),
        Command::Report(args) => args.run(ctx),
        Command::History(args) => args.run(ctx),
        Command::Rules(args) => args.run(ctx),
        Command::Import(args) => args.run(ctx),
        Command::Demo => Err(CliError::Input(
            "tme demo opens its own TUI on sample tasks; run it from a shell".into(),
        )),
        Command::Export(args) => args.run(ctx),
        Command::Status(args) => args.run(ctx),
        Command::Check(args) => args.run(ctx),
        Command::Backup(args) => args.run(ctx),
        Command::Copy(args) => args.run(ctx),
        Command::Restore(args) => args.run(ctx),
        Command::Config(args) => args.run(ctx),
        Command::Token(args) => args.run(ctx),
        Command::Serve(args) => args.run(ctx),
        Command::Sync(args) => args.run(ctx),
        Command::Conflicts(args) => args.run(ctx),
        Command::Completions(args) => args.run(ctx),
        Command::External(args) => external(&args, ctx),
    }
}

/// Runs `tme NAME ...` for a NAME no built-in command has: a plugin's subcommand, or else
/// `tme-NAME` on the PATH (like git and cargo), with the same environment.
fn external(args: &[String], ctx: &Ctx) -> Result<(), CliError> {
    let Some((name, rest)) = args.split_first() else {
        return Err(CliError::Input("say which command".into()));
    };
    let ended = |code: u8| {
        if code == 0 {
            Ok(())
        } else {
            Err(CliError::Runtime(format!("{name} ended with code {code}")))
        }
    };
    if let Some(result) = ctx.app.plugins().run_command(name, rest) {
        return ended(result.map_err(CliError::Runtime)?);
    }
    let program = format!("tme-{name}");
    match std::process::Command::new(&program).args(rest).status() {
        Ok(status) => ended(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(CliError::Input(format!(
            "'{name}' is not a tme command, a plugin's, or a {program} on the PATH; tme --help lists the commands"
        ))),
        Err(e) => Err(CliError::Runtime(format!("{program}: {e}"))),
    }
}

/// Runs a command line (without the leading `tme`) on an engine the caller already has, as
/// the TUI's `:` line does. Returns whether it succeeded and everything it printed, or the
/// error. Nothing is written to the terminal and nothing is asked.
pub fn run_captured(args: &[String], app: &App, engine: &TaskManager) -> (bool, String) {
    let argv = std::iter::once(OsString::from("tme")).chain(args.iter().map(OsString::from));
    let cli = match Cli::try_parse_from(args::flags_first(argv.collect())) {
        Ok(cli) => cli,
        Err(e) => return (false, e.render().to_string()),
    };
    let Some(command) = cli.command else {
        use clap::CommandFactory;
        return (true, Cli::command().render_help().to_string());
    };
    let summary = std::iter::once("tme".to_string())
        .chain(args.iter().map(|a| shell_word(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let ctx = Ctx::lent(app, summary, engine);
    match dispatch(command, &ctx) {
        Ok(()) => (true, ctx.take_output()),
        Err(e) => (false, e.to_string()),
    }
}

/// Runs `tme` with these arguments (the first is the program name) and returns the exit code.
/// Errors are printed as one line on stderr and logged.
pub fn main_with(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = args::flags_first(args.into_iter().collect());
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                logging::init_fallback();
                tracing::error!(error = %e.kind(), "usage");
            }
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let summary = std::iter::once("tme".to_string())
        .chain(
            args.iter()
                .skip(1)
                .map(|a| shell_word(&a.to_string_lossy())),
        )
        .collect::<Vec<_>>()
        .join(" ");
    match run(cli, summary) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "failed");
            eprintln!("tme: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
