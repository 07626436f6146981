//! CLI errors and their exit codes: 1 for a failure of the system, 2 for bad input.

use crate::config::ConfigError;
use crate::domain::capture::CaptureError;
use crate::engine::EngineError;
use crate::store::StoreError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// What the user typed is wrong (exit code 2).
    #[error("{0}")]
    Input(String),
    /// Something failed while doing it (exit code 1).
    #[error("{0}")]
    Runtime(String),
    /// The user answered no at a prompt (exit code 1).
    #[error("cancelled; nothing was changed")]
    Cancelled,
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Runtime(_) | CliError::Cancelled => 1,
        }
    }
}

impl From<EngineError> for CliError {
    fn from(e: EngineError) -> CliError {
        // The engine says what is wrong; the command line says which flag goes past it.
        let hint = match &e {
            EngineError::Blocked { .. } => " (--force)",
            EngineError::OpenSubtasks { .. } => " (--with-subtasks)",
            EngineError::BadRecords { .. } => "; --skip-invalid imports the rest",
            EngineError::InstanceRule { .. } => " (--future)",
            _ => "",
        };
        let text = format!("{e}{hint}");
        if e.is_input_error() {
            CliError::Input(text)
        } else {
            CliError::Runtime(text)
        }
    }
}

impl From<crate::app::AppError> for CliError {
    fn from(e: crate::app::AppError) -> CliError {
        match e {
            crate::app::AppError::Engine(e) => e.into(),
            crate::app::AppError::Store(e) => e.into(),
            other => CliError::Runtime(other.to_string()),
        }
    }
}

impl From<CaptureError> for CliError {
    fn from(e: CaptureError) -> CliError {
        CliError::Input(e.to_string())
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> CliError {
        CliError::Input(e.to_string())
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        match e {
            StoreError::NotADatabase { .. } => {
                CliError::Runtime(format!("{e} (--db or TME_DATABASE_URL)"))
            }
            e => CliError::Runtime(e.to_string()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError::Runtime(e.to_string())
    }
}
