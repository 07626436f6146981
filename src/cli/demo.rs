//! `tme demo`: the TUI on a throw-away database filled with a month of realistic work, so every
//! view has something to show. Nothing of the user's is touched; the database is removed after.

use std::path::PathBuf;

use super::context::{clock_for, open_engine};
use super::error::CliError;
use crate::config::Config;

/// Runs `tme demo`.
pub fn run(mut config: Config, user: &str) -> Result<(), CliError> {
    if !crate::tui::runtime::has_terminal() {
        return Err(CliError::Input(
            "tme demo opens the full-screen TUI on sample tasks, which needs a terminal".into(),
        ));
    }
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "tme-demo-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    crate::store::create_private_dir(&dir)?;
    config.database.value = dir.join("demo.redb");
    let outcome = (|| {
        let tm = open_engine(&config, clock_for(&config), "demo")?;
        let records = crate::interop::demo::records(tm.now(), tm.time().tz);
        tm.import(records, false, &mut |_| {})?;
        drop(tm);
        crate::tui::run(config, user)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
