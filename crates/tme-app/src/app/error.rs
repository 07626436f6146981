//! Why a run could not be set up.

use std::path::PathBuf;

use crate::engine::EngineError;
use crate::store::StoreError;

/// Why the application layer could not open or start a run.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The configured database lies in a directory that is not there.
    #[error(
        "the database {} (set by {source_name}) is in a directory that does not exist; mount or create it first",
        path.display()
    )]
    NoDatabaseDir {
        /// The database file.
        path: PathBuf,
        /// Where the setting came from.
        source_name: String,
    },
    /// An `on-launch` hook refused the run.
    #[error("{0}")]
    Refused(String),
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The engine refused or failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}
