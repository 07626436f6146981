//! Logs: every action and error goes to a daily log file in the state directory (kept for
//! `log.keep` days); to the terminal only with `-v`.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

use crate::config::{Config, Dirs, LogLevel};
use crate::store::{create_private_dir, private_options};

/// Starts logging. A log directory that cannot be written is not an error: TME works without
/// its log.
pub fn init(config: &Config, verbose: bool) {
    start(
        &config.dirs.log,
        config.log_level.value,
        config.log_keep.value,
        verbose,
    );
}

/// Starts logging with the default settings, for errors found before the configuration could
/// be read (a usage error, a bad config file), so that they are logged too.
pub fn init_fallback() {
    if let Some(dirs) = Dirs::platform() {
        start(&dirs.log, LogLevel::Info, 7, false);
    }
}

/// Creates `path` readable by the user alone, if it is not there yet.
fn private_file(path: &std::path::Path) -> std::io::Result<()> {
    private_options()
        .append(true)
        .create(true)
        .open(path)
        .map(drop)
}

fn start(dir: &std::path::Path, level: LogLevel, keep: usize, verbose: bool) {
    let filter = EnvFilter::new(format!("warn,tme={}", level.as_str()));
    let appender = create_private_dir(dir).ok().and_then(|()| {
        // The appender makes its files with the default mode; today's is made private first
        // (a TUI left running past midnight UTC gets the next one from the appender, in the
        // private directory).
        let today = dir.join(format!("tme.{}.log", chrono::Utc::now().format("%Y-%m-%d")));
        let _ = private_file(&today);
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("tme")
            .filename_suffix("log")
            .max_log_files(keep.max(1))
            .build(dir)
            .ok()
    });
    // A log that cannot be written (a full disk) is given up quietly: it must never bury the
    // command's own message under one complaint per event.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(false)
        .log_internal_errors(false);
    let _ = match (appender, verbose) {
        (Some(file), true) => builder.with_writer(file.and(std::io::stderr)).try_init(),
        (Some(file), false) => builder.with_writer(file).try_init(),
        (None, true) => builder.with_writer(std::io::stderr).try_init(),
        (None, false) => Ok(()),
    };
}
