//! Where each setting came from, for `tme config`.

use std::fmt;
use std::path::PathBuf;

/// The layer a setting's value came from. Later layers win: defaults < file < `.env` <
/// environment < command-line flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Built into TME.
    Default,
    /// Read from the system (the local time zone).
    System,
    /// The config file.
    File(PathBuf),
    /// A `.env` file in the working directory, and the variable.
    DotEnv(PathBuf, String),
    /// An environment variable.
    Env(String),
    /// A command-line flag.
    Flag(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::System => f.write_str("system"),
            Source::File(path) => write!(f, "file {}", path.display()),
            Source::DotEnv(path, var) => write!(f, "{var} in {}", path.display()),
            Source::Env(var) => write!(f, "environment {var}"),
            Source::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The effective value.
    pub value: T,
    /// The layer it came from.
    pub source: Source,
}

impl<T> Setting<T> {
    /// A built-in default.
    pub fn default_value(value: T) -> Setting<T> {
        Setting {
            value,
            source: Source::Default,
        }
    }

    /// Replaces the value when a later layer gives one.
    pub fn layer(&mut self, value: Option<T>, source: Source) {
        if let Some(value) = value {
            self.value = value;
            self.source = source;
        }
    }
}
