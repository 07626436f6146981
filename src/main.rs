//! The `tme` binary: the command line and (with no arguments) the TUI.

use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
    tme::cli::main_with(std::env::args_os())
}

/// Panics inside storage calls (redb on a damaged file) become errors and are only logged;
/// any other panic is a bug, reported by color-eyre after logging it.
fn install_panic_hook() {
    let (panic_hook, _) = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .into_hooks();
    let report = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "panic");
        if !tme::store::in_guarded_call() {
            report(info);
        }
    }));
}
