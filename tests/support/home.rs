//! The `tme` binary in a home of its own: a clean environment whose home and XDG directories
//! are a test's, in Berlin's time zone, so that no test reads or writes a user's data.

use std::path::Path;
use std::process::Command;

/// `tme`, to be given arguments, with `home` as its home.
pub fn tme_in(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tme"));
    command
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("TZ", "Europe/Berlin");
    command
}
