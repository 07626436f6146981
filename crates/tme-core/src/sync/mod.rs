//! Sync between replicas and a server (docs/sync.md): what travels ([`wire`]) and how a
//! change is merged by field into a task someone else changed too ([`merge`](mod@merge)). The engine's
//! side (applying a push, handing out the log, a replica taking the server's log) is in
//! [`crate::engine`]; the HTTP client is the application layer's.

pub mod merge;
pub mod wire;

pub use merge::{FieldConflict, Merged, changed_fields, field_value, merge, set_field};
pub use wire::{
    LogChange, LogCommand, PROTOCOL, PullAnswer, PushAnswer, PushBody, PushedCommand, WireChange,
    WireKind, WireTask, from_wire, named_ids, to_wire, uuid_of_wire,
};

/// A server a replica syncs with: `tme serve` over HTTP (the application layer's client), or
/// in tests and benchmarks another engine in the same process.
pub trait SyncServer {
    /// Pushes commands (`POST /api/v1/sync/push`); the error is the server's words, or why it
    /// could not be reached.
    fn push(&self, body: &PushBody) -> Result<PushAnswer, String>;
    /// Pulls the log after `after` (`GET /api/v1/sync/pull?after=N`).
    fn pull(&self, after: u64) -> Result<PullAnswer, String>;
}

impl SyncServer for crate::TaskManager {
    fn push(&self, body: &PushBody) -> Result<PushAnswer, String> {
        self.sync_push(body).map_err(|e| e.to_string())
    }

    fn pull(&self, after: u64) -> Result<PullAnswer, String> {
        self.sync_pull(after).map_err(|e| e.to_string())
    }
}
