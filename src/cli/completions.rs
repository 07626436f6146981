//! `tme completions SHELL`.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use super::context::Ctx;
use super::error::CliError;

/// Prints a shell completion script (bash, zsh, fish, elvish, powershell).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: Shell,
}

impl CompletionsArgs {
    /// Runs `tme completions`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "tme", &mut script);
        ctx.print(&String::from_utf8_lossy(&script))
    }
}
