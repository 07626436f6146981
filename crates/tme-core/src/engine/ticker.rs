//! The ticker: catching up on recurring series that have come due.
//!
//! The TUI calls [`TaskManager::catch_up`] on every tick and each CLI command calls it before
//! doing anything else. When nothing is due it reads one key of one index and returns, so a
//! tick costs the same with ten tasks or a million.

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{CommandKind, Task};

/// Who the journal says spawned instances.
const TICKER: &str = "ticker";

impl TaskManager {
    /// Spawns the instances of every recurring series that has come due, as one system command
    /// (undo skips it). Returns the instances spawned; none when spawning is turned off.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// use std::sync::Arc;
    /// use chrono::{Duration, TimeZone, Utc};
    /// use tme_core::domain::{Filter, NewTask, RecurrenceRule};
    /// use tme_core::engine::{FixedClock, TaskManager};
    /// use tme_core::store::RedbStore;
    /// let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()));
    /// let tm = TaskManager::builder(RedbStore::open(dir.path().join("t.redb")).unwrap())
    ///     .clock(clock.clone())
    ///     .build();
    /// tm.create(NewTask {
    ///     title: "Water plants".into(),
    ///     recurrence: Some(RecurrenceRule::parse("daily").unwrap()),
    ///     ..NewTask::default()
    /// }).unwrap();
    /// assert_eq!(tm.get_tasks(&Filter::default()).unwrap().len(), 1, "today's instance");
    /// assert!(tm.catch_up().unwrap().is_empty(), "nothing more is due today");
    /// clock.advance(Duration::days(1));
    /// assert_eq!(tm.catch_up().unwrap().len(), 1, "tomorrow's");
    /// ```
    pub fn catch_up(&self) -> Result<Vec<Task>, EngineError> {
        if !self.schedule.enabled {
            return Ok(Vec::new());
        }
        let now = self.now();
        let first = self.store.read()?.first_recurrence_check()?;
        if first.is_none_or(|at| at > now) {
            return Ok(Vec::new());
        }
        self.run(
            CommandKind::System,
            TICKER,
            "spawn recurring tasks",
            |session| {
                let mut spawned = Vec::new();
                // Another process may have caught up in the meantime: ask again inside the write.
                for template in session.tx.recurrence_due(session.now())? {
                    spawned.extend(session.advance_series(template)?);
                }
                if !spawned.is_empty() {
                    tracing::info!(count = spawned.len(), "spawned recurring instances");
                }
                Ok(spawned)
            },
        )
    }
}
