//! Importing tasks: each record creates a task or, when its uuid is known, updates it; links
//! named by uuid are resolved once every record is in. All or nothing, as one command (so one
//! `tme undo` takes an import back).

use std::collections::HashMap;

use uuid::Uuid;

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{DepKind, Dependency, Op, RecurrenceLink, Series, Task, TaskId};
use crate::interop::taskwarrior::Incoming;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Tasks added.
    pub created: Vec<TaskId>,
    /// Tasks changed (their uuid was known).
    pub updated: Vec<TaskId>,
    /// Records the same as the task already there.
    pub unchanged: usize,
    /// Records not imported (1-based record number, why).
    pub failed: Vec<(usize, String)>,
}

impl TaskManager {
    /// Imports `records` (each read, or why it could not be) in one command. With
    /// `skip_invalid`, bad records are reported and the rest imported; without, one bad record
    /// imports nothing.
    pub fn import(
        &self,
        records: Vec<Result<Incoming, String>>,
        skip_invalid: bool,
    ) -> Result<ImportReport, EngineError> {
        let summary = format!("import {} records", records.len());
        self.transaction(&summary, |s| {
            let mut report = ImportReport::default();
            let mut links: Vec<Links> = Vec::new();
            for (i, record) in records.into_iter().enumerate() {
                let record = match record {
                    Ok(record) => record,
                    Err(why) => {
                        report.failed.push((i + 1, why));
                        continue;
                    }
                };
                let Incoming {
                    mut task,
                    depends,
                    parent,
                    subtask_of,
                } = record;
                let existing = s.tx.id_by_uuid(task.uuid)?;
                task.id = match existing {
                    Some(id) => id,
                    None => s.tx.next_task_id()?,
                };
                // Links are set in the second pass; keep the ones already there meanwhile.
                let before = match existing {
                    Some(id) => s.tx.task(id)?,
                    None => None,
                };
                task.depends = before.as_ref().map(|b| b.depends.clone()).unwrap_or_default();
                if let Some(RecurrenceLink::Instance { .. }) = before.as_ref().and_then(|b| b.recurrence.clone()) {
                    task.recurrence = before.as_ref().and_then(|b| b.recurrence.clone());
                }
                if let Err(e) = super::session::Session::check_text(&task) {
                    report.failed.push((i + 1, e.to_string()));
                    continue;
                }
                match &before {
                    Some(b) if same(b, &task) => report.unchanged += 1,
                    Some(_) => {
                        s.save(Op::Modify, task.clone())?;
                        report.updated.push(task.id);
                    }
                    None => {
                        s.save(Op::Add, task.clone())?;
                        report.created.push(task.id);
                    }
                }
                // Most records name no links and had none: nothing to do for them later.
                if !depends.is_empty()
                    || parent.is_some()
                    || subtask_of.is_some()
                    || !task.depends.is_empty()
                {
                    links.push(Links {
                        id: task.id,
                        depends,
                        parent,
                        subtask_of,
                    });
                }
            }
            if !report.failed.is_empty() && !skip_invalid {
                let (n, why) = &report.failed[0];
                return Err(EngineError::Invalid(format!(
                    "record {n}: {why}; nothing was imported ({} bad record(s); --skip-invalid imports the rest)",
                    report.failed.len()
                )));
            }
            let mut ids: HashMap<Uuid, TaskId> = HashMap::new();
            for Links {
                id,
                depends,
                parent,
                subtask_of,
            } in links
            {
                let mut task = s.task(id)?;
                let before = task.clone();
                let mut wanted = Vec::new();
                for uuid in depends {
                    let on = match ids.get(&uuid) {
                        Some(on) => Some(*on),
                        None => s.tx.id_by_uuid(uuid)?,
                    };
                    if let Some(on) = on {
                        ids.insert(uuid, on);
                        wanted.push(Dependency { on, kind: DepKind::FinishToStart });
                    }
                }
                wanted.sort();
                task.depends = wanted;
                if let Some(template) = parent.map(|p| s.tx.id_by_uuid(p)).transpose()?.flatten() {
                    let occurrence = task.due.or(task.scheduled).map_or(task.created, Series::key);
                    task.recurrence = Some(RecurrenceLink::Instance { template, occurrence });
                }
                if let Some(up) = subtask_of.map(|p| s.tx.id_by_uuid(p)).transpose()?.flatten() {
                    task.parent = Some(up);
                }
                if task != before {
                    s.check_links(&task, Some(&before))?;
                    s.save(Op::Modify, task)?;
                }
            }
            Ok(report)
        })
    }
}

/// The links an imported task names by uuid, set once every task is in.
struct Links {
    id: TaskId,
    depends: Vec<Uuid>,
    parent: Option<Uuid>,
    subtask_of: Option<Uuid>,
}

/// Whether an imported task says nothing new (the time it was last changed aside).
fn same(a: &Task, b: &Task) -> bool {
    let mut b = b.clone();
    b.modified = a.modified;
    b.depends = a.depends.clone();
    *a == b
}
