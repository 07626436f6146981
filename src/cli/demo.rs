//! `tme demo`: the TUI on a throw-away database filled with a month of realistic work, so every
//! view has something to show. Nothing of the user's is touched; the database is removed after.

use std::path::PathBuf;

use super::error::CliError;
use crate::app::{clock_for, open_store};
use crate::config::Config;
use crate::engine::TaskManager;

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
    config.database.value = crate::store::Database::File(dir.join("demo.redb"));
    // Sample tasks set nothing off: no hooks or plugins run, nothing is posted, no calendar
    // file or daily backup is written.
    config.hooks_dir.value = dir.join("hooks");
    config.plugins.value.clear();
    config.webhook_url = None;
    config.calendar_file.value = None;
    config.backup_daily.value = false;
    let outcome = (|| {
        let tm = TaskManager::builder(open_store(&config)?)
            .clock(clock_for(&config))
            .time_zone(config.time_zone.value)
            .actor("demo")
            .build();
        let records = crate::interop::demo::records(tm.now(), tm.time().tz);
        tm.import(records, false, &mut |_| {})?;
        drop(tm);
        super::tui_run(config, user)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
