//! Logs: every action and error goes to a daily log file in the state directory (kept for
//! `log.keep` days); to the terminal only with `-v`.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

use crate::config::Config;

/// Starts logging. A log directory that cannot be written is not an error: TME works without
/// its log.
pub fn init(config: &Config, verbose: bool) {
    let level = config.log_level.value.as_str();
    let filter = EnvFilter::new(format!("warn,tme={level}"));
    let dir = &config.dirs.log;
    let appender = private_dir(dir).ok().and_then(|()| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("tme")
            .filename_suffix("log")
            .max_log_files(config.log_keep.value.max(1))
            .build(dir)
            .ok()
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(false);
    let _ = match (appender, verbose) {
        (Some(file), true) => builder.with_writer(file.and(std::io::stderr)).try_init(),
        (Some(file), false) => builder.with_writer(file).try_init(),
        (None, true) => builder.with_writer(std::io::stderr).try_init(),
        (None, false) => Ok(()),
    };
}

#[cfg(unix)]
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
