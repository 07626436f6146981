//! Reminders: open tasks coming due soon, or overdue, that have not been reminded of for their
//! current due date. What was sent is remembered in the store, so restarts never repeat one.

use chrono::Duration;
use uuid::Uuid;

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{CommandKind, TaskId, When};

/// Why a task is being brought up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderKind {
    /// It is due within the configured time.
    DueSoon,
    /// Its due date has passed.
    Overdue,
}

/// One reminder to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    /// The task.
    pub id: TaskId,
    /// Its UUID.
    pub uuid: Uuid,
    /// Its title.
    pub title: String,
    /// Its due date.
    pub due: When,
    /// Soon or late.
    pub kind: ReminderKind,
    stamp: (String, u64),
}

impl TaskManager {
    /// The reminders to send now: open tasks due within `soon` (none when it is zero) and,
    /// if `overdue`, tasks past due, each once per due date.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::capture::{lex, parse_new_task};
    /// tm.create(parse_new_task(&lex("Pay rent due:today"), &tm.time()).unwrap()).unwrap();
    /// let due = tm.pending_reminders(chrono::Duration::days(1), true).unwrap();
    /// assert_eq!(due.len(), 1);
    /// tm.mark_reminded(&due).unwrap();
    /// assert!(tm.pending_reminders(chrono::Duration::days(1), true).unwrap().is_empty());
    /// ```
    pub fn pending_reminders(
        &self,
        soon: Duration,
        overdue: bool,
    ) -> Result<Vec<Reminder>, EngineError> {
        let read = self.store.read()?;
        let now = self.now();
        let mut out = Vec::new();
        // The index orders a whole day by its last second in UTC; a day longer either way
        // covers every zone, and the exact deadline is checked below.
        let until = (now + soon.max(Duration::zero()) + Duration::days(1)).timestamp();
        for id in read.open_due_by(until)? {
            let Some(task) = read.task(id)?.filter(|t| !t.is_template()) else {
                continue;
            };
            let Some(due) = task.due else { continue };
            let deadline = due.deadline(self.tz);
            let kind = if deadline <= now {
                if !overdue {
                    continue;
                }
                ReminderKind::Overdue
            } else if soon > Duration::zero() && deadline - now <= soon {
                ReminderKind::DueSoon
            } else {
                continue;
            };
            let name = match kind {
                ReminderKind::DueSoon => format!("remind.soon.{}", task.uuid),
                ReminderKind::Overdue => format!("remind.late.{}", task.uuid),
            };
            let value = u64::try_from(deadline.timestamp()).unwrap_or(0);
            if read.stamp(&name)? == Some(value) {
                continue;
            }
            out.push(Reminder {
                id: task.id,
                uuid: task.uuid,
                title: task.title.clone(),
                due,
                kind,
                stamp: (name, value),
            });
        }
        Ok(out)
    }

    /// Remembers that these reminders were sent.
    pub fn mark_reminded(&self, sent: &[Reminder]) -> Result<(), EngineError> {
        if sent.is_empty() {
            return Ok(());
        }
        self.run(CommandKind::System, "system", "reminders sent", |s| {
            for reminder in sent {
                s.tx.set_stamp(&reminder.stamp.0, reminder.stamp.1)?;
            }
            Ok(())
        })
    }
}
