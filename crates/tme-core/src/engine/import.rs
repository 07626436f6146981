//! Importing tasks: each record creates a task or, when its uuid is known, updates it; links
//! named by uuid are resolved once every record is in. All or nothing, as one command (so one
//! `tme undo` takes an import back).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::TaskManager;
use super::error::EngineError;
use super::session::Session;
use crate::domain::{DepKind, Dependency, Op, RecurrenceLink, Series, Task, TaskId};

/// A task read from a file, with the links it names by uuid.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    /// The task, as the file has it (its id is given when it is saved).
    pub task: Task,
    /// The id it had where it came from: kept when this database never gave that id out.
    pub id: Option<TaskId>,
    /// The tasks it depends on, and how.
    pub depends: Vec<(Uuid, DepKind)>,
    /// For a recurring instance: its template, and the occurrence it stands for when the file
    /// says (otherwise its due, scheduled or creation date).
    pub template: Option<(Uuid, Option<DateTime<Utc>>)>,
    /// The task it is a subtask of.
    pub subtask_of: Option<Uuid>,
    /// The file did not say when the task was made: a new task is made now, a task already
    /// there keeps its creation and change times.
    pub undated: bool,
    /// What the file said that the reader could not keep, each in a line naming it.
    pub left_out: Vec<String>,
    /// What the file's format keeps of a task ([`Carried`]), when the record comes from a
    /// file: for a task already there, a field the record gives just as the format would write
    /// the task now is left as it is, so a format that cannot hold a field (or holds it
    /// coarser) never wipes it on the way back.
    pub carried: Option<Carried>,
}

/// What a format keeps of a task: the task as it would come back from a file in that format
/// (`None` when the format leaves it out whole), known by the format's name.
#[derive(Clone, Copy)]
pub struct Carried {
    /// The format's name.
    pub format: &'static str,
    /// The task as a file in the format gives it back.
    pub keeps: fn(&Task, chrono_tz::Tz) -> Option<Task>,
}

impl PartialEq for Carried {
    fn eq(&self, other: &Carried) -> bool {
        self.format == other.format
    }
}

impl std::fmt::Debug for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Carried({})", self.format)
    }
}

impl Incoming {
    /// A record of `task` alone, naming no links.
    pub fn new(task: Task) -> Incoming {
        Incoming {
            task,
            id: None,
            depends: Vec::new(),
            template: None,
            subtask_of: None,
            undated: false,
            left_out: Vec::new(),
            carried: None,
        }
    }

    fn names_links(&self) -> bool {
        !self.depends.is_empty() || self.template.is_some() || self.subtask_of.is_some()
    }
}

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
    /// What records said that was left out (1-based record number, what and why): a link to a
    /// task that is neither in the file nor in the database, or what the reader could not keep.
    pub dropped: Vec<(usize, String)>,
}

impl TaskManager {
    /// Imports `records` (each read, or why it could not be) in one command. With
    /// `skip_invalid`, bad records are reported and the rest imported; without, one bad record
    /// imports nothing. `progress` hears how many records are done, now and then.
    pub fn import(
        &self,
        records: Vec<Result<Incoming, String>>,
        skip_invalid: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport, EngineError> {
        let total = records.len();
        let summary = format!("import {total} records");
        self.transaction(&summary, |s| {
            let mut report = ImportReport::default();
            let mut ids = assign_ids(s, &records)?;
            let mut links: Vec<(usize, TaskId, Incoming, Option<Task>)> = Vec::new();
            for (i, record) in records.iter().cloned().enumerate() {
                if i % 1000 == 0 {
                    progress(i);
                }
                let mut record = match record {
                    Ok(record) => record,
                    Err(why) => {
                        report.failed.push((i + 1, why));
                        continue;
                    }
                };
                let Some(&mut (id, ref mut stored)) = ids.get_mut(&record.task.uuid) else {
                    continue;
                };
                // Only a task already there (or brought by an earlier record) is read.
                let before = if *stored { s.tx.task(id)? } else { None };
                let carried = match (&before, record.carried) {
                    (Some(b), Some(carried)) => (carried.keeps)(b, s.tz),
                    _ => None,
                };
                let task = &mut record.task;
                task.id = id;
                if let (Some(b), Some(c)) = (&before, &carried) {
                    keep_what_is_unsaid(task, b, c);
                }
                if let (Some(b), true) = (&before, record.undated) {
                    task.created = b.created;
                    task.modified = b.modified;
                }
                // Links are set once every record is in; keep the ones already there meanwhile.
                task.depends = before
                    .as_ref()
                    .map(|b| b.depends.clone())
                    .unwrap_or_default();
                task.parent = before.as_ref().and_then(|b| b.parent);
                if let Some(RecurrenceLink::Instance { .. }) =
                    before.as_ref().and_then(|b| b.recurrence.as_ref())
                {
                    task.recurrence = before.as_ref().and_then(|b| b.recurrence.clone());
                }
                if let Err(e) = s.check_values(task).and_then(|()| s.check_type(task)) {
                    if before.is_none() {
                        ids.remove(&task.uuid);
                    }
                    report.failed.push((i + 1, e.to_string()));
                    continue;
                }
                *stored = true;
                for why in std::mem::take(&mut record.left_out) {
                    report.dropped.push((i + 1, why));
                }
                match &before {
                    Some(b) if same(b, task) => report.unchanged += 1,
                    Some(_) => {
                        s.save_imported(Op::Modify, task.clone())?;
                        report.updated.push(id);
                    }
                    None => {
                        s.save_imported(Op::Add, task.clone())?;
                        report.created.push(id);
                    }
                }
                // Most records name no links and had none: nothing to do for them later.
                if record.names_links() || before.is_some_and(|b| !b.depends.is_empty()) {
                    links.push((i + 1, id, record, carried));
                }
            }
            if !report.failed.is_empty() && !skip_invalid {
                let (n, why) = &report.failed[0];
                return Err(EngineError::BadRecords {
                    first: *n,
                    why: why.clone(),
                    bad: report.failed.len(),
                });
            }
            for (n, id, record, carried) in links {
                for why in link(s, &ids, id, record, carried.as_ref())? {
                    report.dropped.push((n, why));
                }
            }
            report.dropped.sort_by_key(|(n, _)| *n);
            progress(total);
            Ok(report)
        })
    }
}

/// The id of every record's task, and whether a task with it is stored: the one its uuid
/// already has, the one it had where it came from when this database never gave that id out,
/// or a new one.
fn assign_ids(
    s: &mut Session<'_>,
    records: &[Result<Incoming, String>],
) -> Result<HashMap<Uuid, (TaskId, bool)>, EngineError> {
    let mut ids = HashMap::with_capacity(records.len());
    let mut new = Vec::new();
    for record in records.iter().flatten() {
        let uuid = record.task.uuid;
        if ids.contains_key(&uuid) {
            continue;
        }
        match s.tx.id_by_uuid(uuid)? {
            Some(id) => {
                ids.insert(uuid, (id, true));
            }
            None => {
                ids.insert(uuid, (TaskId(0), false));
                new.push((record.id, uuid));
            }
        }
    }
    // Wanted ids in ascending order, so that each one can still be had when its turn comes.
    new.sort_by_key(|(wanted, _)| wanted.map_or((1, 0), |w| (0, w.0)));
    for (wanted, uuid) in new {
        let id = match wanted {
            Some(wanted) => s.tx.claim_task_id(wanted)?,
            None => s.tx.next_task_id()?,
        };
        ids.insert(uuid, (id, false));
    }
    Ok(ids)
}

/// Sets the dependencies, template and parent a record names, once every record is in; says
/// which of them name a task that is nowhere (they are left out). Dependencies the record gives
/// just as its format would write them now (`carried`) are left as they are.
fn link(
    s: &mut Session<'_>,
    ids: &HashMap<Uuid, (TaskId, bool)>,
    id: TaskId,
    record: Incoming,
    carried: Option<&Task>,
) -> Result<Vec<String>, EngineError> {
    let mut dropped = Vec::new();
    let nowhere = |what: &str, uuid: Uuid| {
        format!("{what} {uuid} is neither in the file nor in the database, so it was left out")
    };
    let find = |s: &Session<'_>, uuid: Uuid| -> Result<Option<TaskId>, EngineError> {
        match ids.get(&uuid) {
            Some((id, _)) => Ok(Some(*id)),
            None => Ok(s.tx.id_by_uuid(uuid)?),
        }
    };
    let mut task = s.task(id)?;
    let before = task.clone();
    let mut wanted: Vec<Dependency> = Vec::new();
    for (uuid, kind) in record.depends {
        match find(s, uuid)? {
            // A task depends on another in one way: the first the file gives is kept.
            Some(on) => match wanted.iter().find(|d| d.on == on) {
                Some(kept) if kept.kind != kind => dropped.push(format!(
                    "it depends on task {on} a second way ({}); a task depends on another in one way, so {} was kept",
                    kind.as_str(),
                    kept.kind.as_str()
                )),
                Some(_) => {}
                None => wanted.push(Dependency { on, kind }),
            },
            None => dropped.push(nowhere("the task it depends on,", uuid)),
        }
    }
    wanted.sort();
    if carried.is_none_or(|c| c.depends != wanted) {
        task.depends = wanted;
    }
    let template = match record.template {
        Some((uuid, occurrence)) => match find(s, uuid)? {
            Some(template) => Some((template, occurrence)),
            None => {
                dropped.push(nowhere("its recurring task,", uuid));
                None
            }
        },
        None => None,
    };
    if let Some((template, occurrence)) = template {
        let occurrence = occurrence.unwrap_or_else(|| {
            task.due
                .or(task.scheduled)
                .map_or(task.created, Series::key)
        });
        task.recurrence = Some(RecurrenceLink::Instance {
            template,
            occurrence,
        });
    }
    if let Some(uuid) = record.subtask_of {
        task.parent = find(s, uuid)?;
        if task.parent.is_none() {
            dropped.push(nowhere("its parent task,", uuid));
        }
    }
    if task != before {
        s.check_links(&task, Some(&before))?;
        s.save_imported(Op::Modify, task)?;
    }
    Ok(dropped)
}

/// For a task already there: each field `record` gives just as its format would write `before`
/// now (`carried`) takes `before`'s value, which the format could not hold or holds coarser
/// (a todo.txt line has no description; an iCalendar file's times have no fractions).
fn keep_what_is_unsaid(record: &mut Task, before: &Task, carried: &Task) {
    macro_rules! keep {
        ($($field:ident),*) => {
            $(if record.$field == carried.$field {
                record.$field = before.$field.clone();
            })*
        };
    }
    keep!(
        title,
        description,
        category,
        tags,
        status,
        priority,
        created,
        modified,
        started,
        completed,
        tracking_since,
        due,
        scheduled,
        wait,
        until,
        estimate,
        spent,
        annotations,
        task_type,
        attrs
    );
    if let (Some(RecurrenceLink::Template { .. }), true) =
        (&before.recurrence, record.recurrence == carried.recurrence)
    {
        record.recurrence = before.recurrence.clone();
    }
}

/// Whether an imported task says nothing new (the time it was last changed aside).
fn same(a: &Task, b: &Task) -> bool {
    let mut b = b.clone();
    b.modified = a.modified;
    b.depends = a.depends.clone();
    *a == b
}
