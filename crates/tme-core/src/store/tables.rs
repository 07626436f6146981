//! The redb tables of a TME file (schema 3).
//!
//! Rows are split into open and closed tables, so that listing what needs doing never reads
//! the (ever growing) completed and deleted tasks. Secondary indexes are written in the same
//! transaction as the row they index.

use redb::TableDefinition;

/// Settings and counters: schema version, next id, next journal sequence, next command.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

/// Pending and started tasks: id → encoded task.
pub const OPEN_TASKS: TableDefinition<u64, &[u8]> = TableDefinition::new("tasks_open");
/// Completed and deleted tasks: id → encoded task.
pub const CLOSED_TASKS: TableDefinition<u64, &[u8]> = TableDefinition::new("tasks_closed");

/// Status code, then the due date (open tasks; `i64::MAX` without one) or the time it was
/// closed (closed tasks), then id.
pub const BY_STATUS: TableDefinition<(u8, i64, u64), ()> = TableDefinition::new("idx_status_due");
/// Lowercase category, id.
pub const BY_CATEGORY: TableDefinition<(&str, u64), ()> = TableDefinition::new("idx_category");
/// Lowercase tag, id.
pub const BY_TAG: TableDefinition<(&str, u64), ()> = TableDefinition::new("idx_tag");
/// UUID → id.
pub const BY_UUID: TableDefinition<u128, u64> = TableDefinition::new("idx_uuid");
/// (task, depends on) → dependency kind.
pub const DEPENDS_ON: TableDefinition<(u64, u64), u8> = TableDefinition::new("idx_depends_on");
/// (depended on, task) → dependency kind: who waits on a task.
pub const DEPENDED_BY: TableDefinition<(u64, u64), u8> = TableDefinition::new("idx_depended_by");
/// (parent, child).
pub const CHILDREN: TableDefinition<(u64, u64), ()> = TableDefinition::new("idx_children");
/// (when to look at the template next, in ms since the epoch; template): the recurrence ticker
/// reads the first key only, so a tick with nothing due costs the same for any number of tasks.
pub const RECURRENCE_NEXT: TableDefinition<(i64, u64), ()> =
    TableDefinition::new("idx_recurrence_next");
/// Template → its key in [`RECURRENCE_NEXT`], to move it.
pub const RECURRENCE_CHECK: TableDefinition<u64, i64> =
    TableDefinition::new("idx_recurrence_check");
/// (template, occurrence) → instance id: makes spawning idempotent.
pub const INSTANCES: TableDefinition<(u64, i64), u64> = TableDefinition::new("idx_instances");

/// Journal sequence → encoded entry.
pub const JOURNAL: TableDefinition<u64, &[u8]> = TableDefinition::new("journal");
/// (task, journal sequence): a task's history.
pub const JOURNAL_BY_TASK: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("idx_journal_task");
/// Command id → encoded command.
pub const COMMANDS: TableDefinition<u64, &[u8]> = TableDefinition::new("commands");
/// API tokens for `tme serve`, by name (schema 4).
pub const API_TOKENS: TableDefinition<&str, &[u8]> = TableDefinition::new("api_tokens");

/// Meta keys.
pub mod meta {
    /// Marks a redb file as TME's.
    pub const MAGIC: &str = "tme.magic";
    /// The value stored under [`MAGIC`]: "TME" in ASCII.
    pub const MAGIC_VALUE: u64 = 0x544d45;
    /// The schema version of the file.
    pub const SCHEMA: &str = "schema.version";
    /// The next task id to hand out.
    pub const NEXT_ID: &str = "next.task";
    /// The next journal sequence number.
    pub const NEXT_SEQ: &str = "next.journal";
    /// The next command id; it changes with every command, so it doubles as a change stamp.
    pub const NEXT_COMMAND: &str = "next.command";
    /// Prefix of the stamps the engine keeps (see [`crate::store::StoreWrite::set_stamp`]).
    pub const STAMP_PREFIX: &str = "stamp.";
}
