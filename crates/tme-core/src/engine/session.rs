//! A write session: the changes of one command, checked and applied in one transaction.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::declared::declared_key;
use super::error::EngineError;
use super::graph;
use super::recurring::Schedule;
use crate::domain::{
    Annotation, CommandId, CommandKind, DepKind, Dependency, Duration, NewTask, Op, RecurrenceLink,
    Status, Step, Task, TaskChanges, TaskId, When, check_note, check_title,
};
use crate::store::StoreWrite;

/// One change made in a session, as reported back to the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What kind of change.
    pub op: Op,
    /// The task after the change.
    pub task: Task,
}

/// The changes of one command. Obtained from [`super::TaskManager::transaction`]; everything
/// done through it commits together, is journaled as one command, and is undone as one.
pub struct Session<'a> {
    pub(super) tx: Box<dyn StoreWrite + 'a>,
    pub(super) now: DateTime<Utc>,
    pub(super) command: CommandId,
    pub(super) kind: CommandKind,
    pub(super) changes: Vec<Change>,
    pub(super) tz: Tz,
    pub(super) schedule: Schedule,
    pub(super) force: bool,
    pub(super) types: std::sync::Arc<crate::domain::types::TaskTypes>,
    pub(super) hooks: super::hook_pass::HookPass,
    /// How many changes hooks have been shown so far in this run.
    pub(super) hooked: usize,
    pub(super) uuids: super::hook_pass::FreshUuids,
    /// The uuid the rule action being run gives a task it adds, when it must be the same on
    /// every replica.
    pub(super) made_as: Option<Uuid>,
}

fn not_allowed(message: String) -> EngineError {
    EngineError::NotAllowed(message)
}

impl Session<'_> {
    /// The instant this command runs at.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The command these changes belong to.
    pub fn command(&self) -> CommandId {
        self.command
    }

    /// Reads a task as this transaction sees it.
    pub fn task(&self, id: TaskId) -> Result<Task, EngineError> {
        self.tx.task(id)?.ok_or(EngineError::NotFound(id))
    }

    /// Begins another command in the same transaction (a push applies many): what follows
    /// belongs to it.
    pub(super) fn next_command(
        &mut self,
        at: DateTime<Utc>,
        actor: &str,
        summary: &str,
        kind: CommandKind,
    ) -> Result<(), EngineError> {
        self.command = self.tx.begin_command(crate::store::CommandStart {
            at,
            actor: actor.to_string(),
            summary: summary.to_string(),
            kind,
        })?;
        self.kind = kind;
        Ok(())
    }

    /// Every change made so far in this session.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The recurring instances spawned so far in this session.
    pub fn spawned(&self) -> Vec<Task> {
        self.changes
            .iter()
            .filter(|c| c.op == Op::Spawn)
            .map(|c| c.task.clone())
            .collect()
    }

    pub(super) fn save(&mut self, op: Op, mut task: Task) -> Result<Task, EngineError> {
        task.modified = self.now;
        self.save_imported(op, task)
    }

    /// Saves `task` as [`Session::save`] does, but keeps the time it says it last changed (an
    /// import brings that from elsewhere).
    pub(super) fn save_imported(&mut self, op: Op, mut task: Task) -> Result<Task, EngineError> {
        if self.kind == CommandKind::User
            && op != Op::Spawn
            && !matches!(self.hooks, super::hook_pass::HookPass::Off)
        {
            let before = match op {
                Op::Add => None,
                _ => self.tx.task(task.id)?,
            };
            let n = self.hooked;
            self.hooked += 1;
            let shown = super::hook_pass::Shown {
                before,
                after: task.clone(),
            };
            let seen = self.hooks.judge(n, shown).map_err(EngineError::Vetoed)?;
            // A hook may change what the task says, not which task it is.
            task = Task {
                id: task.id,
                uuid: task.uuid,
                ..seen
            };
            self.check_values(&task)?;
            self.check_type(&task)?;
        }
        self.tx.put_task(op, &task, self.now)?;
        tracing::info!(command = self.command.0, op = op.as_str(), task = task.id.0, title = %task.title, "change");
        self.changes.push(Change {
            op,
            task: task.clone(),
        });
        Ok(task)
    }

    /// Checks the dependencies and parent that `task` has and `before` did not.
    pub(super) fn check_links(
        &self,
        task: &Task,
        before: Option<&Task>,
    ) -> Result<(), EngineError> {
        let is_new = |dep: &&Dependency| before.is_none_or(|b| !b.depends.contains(dep));
        for dep in task.depends.iter().filter(is_new) {
            // The store keeps one dependency per pair of tasks.
            if task.depends.iter().filter(|d| d.on == dep.on).count() > 1 {
                return Err(not_allowed(format!(
                    "task {} would depend on task {} in two ways; a task depends on another in one way (fs, ss, ff or relates)",
                    task.id, dep.on
                )));
            }
            if dep.on == task.id {
                return Err(not_allowed(format!(
                    "task {} cannot depend on itself",
                    task.id
                )));
            }
            match self.tx.task(dep.on)? {
                None => {
                    return Err(not_allowed(format!("dependency {} does not exist", dep.on)));
                }
                Some(on) if on.is_template() => {
                    return Err(not_allowed(format!(
                        "task {} is a recurring task, which is never done itself; depend on one of its instances",
                        dep.on
                    )));
                }
                Some(_) => {}
            }
            if let Some(cycle) = graph::dependency_cycle(&*self.tx, task.id, *dep)? {
                return Err(EngineError::Cycle(cycle));
            }
        }
        if let Some(parent) = task
            .parent
            .filter(|p| before.is_none_or(|b| b.parent != Some(*p)))
        {
            if parent == task.id {
                return Err(not_allowed(format!(
                    "task {} cannot be its own parent",
                    task.id
                )));
            }
            match self.tx.task(parent)? {
                None => return Err(not_allowed(format!("parent task {parent} does not exist"))),
                Some(p) if p.is_template() => {
                    return Err(not_allowed(format!(
                        "task {parent} is a recurring task; make the subtask part of one of its instances"
                    )));
                }
                Some(_) => {}
            }
            if let Some(cycle) = graph::parent_cycle(&*self.tx, task.id, parent)? {
                return Err(EngineError::Cycle(cycle));
            }
        }
        Ok(())
    }

    /// Checks a task's attributes against its type, when the type is declared.
    pub(super) fn check_type(&self, task: &Task) -> Result<(), EngineError> {
        self.types
            .check(task)
            .map_err(|e| EngineError::Invalid(e.to_string()))
    }

    /// Refuses what no task may hold, whatever front end or file it came from: a title or
    /// notes `check_text` refuses, a date outside the calendar TME keeps (years 1 to 9999),
    /// which no file format can write and no series reaches, and an estimate or time spent
    /// past `Duration::MOST`.
    pub(super) fn check_values(&self, task: &Task) -> Result<(), EngineError> {
        Self::check_text(task)?;
        for (name, length) in [("estimate", task.estimate), ("spent", Some(task.spent))] {
            if let Some(length) = length.filter(|l| *l > Duration::MOST) {
                return Err(EngineError::Invalid(format!(
                    "{name}: {length} is longer than TME keeps (at most {})",
                    Duration::MOST
                )));
            }
        }
        let dates = [
            ("due", task.due),
            ("scheduled", task.scheduled),
            ("wait", task.wait),
            ("until", task.until),
        ];
        let attrs = task.attrs.iter().filter_map(|(name, value)| match value {
            crate::domain::AttrValue::Date(when) => Some((name.as_str(), Some(*when))),
            _ => None,
        });
        let moments = [
            ("created", Some(task.created)),
            ("modified", Some(task.modified)),
            ("started", task.started),
            ("completed", task.completed),
            ("tracking since", task.tracking_since),
        ]
        .into_iter()
        .map(|(name, at)| (name, at.map(When::At)));
        for (name, when) in dates.into_iter().chain(attrs).chain(moments) {
            if let Some(when) = when.filter(|w| !w.in_calendar(self.tz)) {
                return Err(EngineError::Invalid(format!(
                    "{name}: {} is outside the calendar TME keeps (years 1 to 9999)",
                    when.display(self.tz)
                )));
            }
        }
        Ok(())
    }

    fn check_text(task: &Task) -> Result<(), EngineError> {
        if task.title.trim().is_empty() {
            return Err(crate::domain::MissingTitle.into());
        }
        let invalid = |e: crate::domain::TextError| EngineError::Invalid(e.to_string());
        check_title(&task.title).map_err(invalid)?;
        check_note(&task.description, "description").map_err(invalid)
    }

    fn new_task(&mut self, new: NewTask, uuid: Uuid) -> Result<Task, EngineError> {
        let id = self.tx.next_task_id()?;
        let mut task = new.into_task(id, uuid, self.now);
        self.types.fill_defaults(&mut task);
        self.check_values(&task)?;
        self.check_type(&task)?;
        self.check_links(&task, None)?;
        Ok(task)
    }

    /// Refuses a user's change to a template the config file declares: the file is where it
    /// is changed, or the next sync would undo the change.
    fn check_not_declared(&self, task: &Task) -> Result<(), EngineError> {
        match declared_key(task) {
            Some(key) if self.kind == CommandKind::User => Err(not_allowed(format!(
                "task {} is declared in the config file (recurring: '{key}'); change or remove it there",
                task.id
            ))),
            _ => Ok(()),
        }
    }

    /// Creates a task. A recurring one is a template: its first instance is spawned at once.
    pub fn create(&mut self, new: NewTask) -> Result<Task, EngineError> {
        let uuid = self.uuids.next();
        self.create_as(new, uuid)
    }

    /// Creates a task with a given UUID.
    pub(super) fn create_as(&mut self, new: NewTask, uuid: Uuid) -> Result<Task, EngineError> {
        let task = self.new_task(new, uuid)?;
        self.check_series(&task)?;
        let task = self.save(Op::Add, task)?;
        if task.is_template() {
            self.advance_series(task.id)?;
        }
        Ok(task)
    }

    /// Records a task that is already done (`tme log`).
    pub fn log(&mut self, new: NewTask) -> Result<Task, EngineError> {
        if new.recurrence.is_some() {
            return Err(not_allowed(
                "a task logged as done cannot recur; add it with every: instead".into(),
            ));
        }
        let uuid = self.uuids.next();
        let mut task = self.new_task(new, uuid)?;
        task.status = Status::Completed;
        task.completed = Some(self.now);
        self.save(Op::Add, task)
    }

    /// Applies changes to a task's fields. Changing a template carries its fields to its
    /// pending instances and re-plans the series; giving a plain task a rule makes it a
    /// template.
    pub fn update(&mut self, id: TaskId, changes: &TaskChanges) -> Result<Task, EngineError> {
        let before = self.task(id)?;
        self.check_not_declared(&before)?;
        match (&before.recurrence, &changes.recurrence) {
            (Some(RecurrenceLink::Instance { template, .. }), Some(_)) => {
                return Err(EngineError::InstanceRule {
                    task: id,
                    template: *template,
                });
            }
            (Some(RecurrenceLink::Template { .. }), Some(None)) => {
                return Err(not_allowed(format!(
                    "task {id} is a recurring task; to end the series, delete it (its pending instances go with it)"
                )));
            }
            _ => {}
        }
        let mut task = before.clone();
        changes.apply(&mut task);
        if task.task_type != before.task_type {
            self.types.fill_defaults(&mut task);
        }
        self.check_values(&task)?;
        if task.task_type != before.task_type || task.attrs != before.attrs {
            self.check_type(&task)?;
        }
        self.check_links(&task, Some(&before))?;
        self.check_series(&task)?;
        let task = self.save(Op::Modify, task)?;
        if task.is_template() && task.status.is_open() {
            if before.is_template() {
                self.follow_template(&before)?;
            }
            self.advance_series(id)?;
        }
        Ok(task)
    }

    /// Adds (or changes the kind of) a dependency: `task` depends on `on`.
    pub fn add_dependency(
        &mut self,
        task: TaskId,
        on: TaskId,
        kind: DepKind,
    ) -> Result<Task, EngineError> {
        let changes = TaskChanges {
            add_depends: vec![Dependency { on, kind }],
            ..TaskChanges::default()
        };
        self.update(task, &changes)
    }

    /// Ends a running time-tracking session, adding its time to the task.
    fn stop_tracking(&self, task: &mut Task) {
        if let Some(since) = task.tracking_since.take() {
            task.spent = task
                .spent
                .saturating_add(Duration::between(since, self.now))
                .min(Duration::MOST);
        }
    }

    /// Completes or deletes a task, stopping its time tracking. Closing an instance lets its
    /// series move on (the next one of an `every:+2w` rule is spawned now).
    pub(super) fn close(&mut self, mut task: Task, status: Status) -> Result<Task, EngineError> {
        self.stop_tracking(&mut task);
        task.status = status;
        task.completed = Some(self.now);
        let op = match status {
            Status::Deleted => Op::Delete,
            _ => Op::Complete,
        };
        let task = self.save(op, task)?;
        if let Some(RecurrenceLink::Instance { template, .. }) = task.recurrence
            && self.tx.is_open(template)?
        {
            self.advance_series(template)?;
        }
        Ok(task)
    }

    /// Marks a task completed, stopping its time tracking.
    pub fn complete(&mut self, id: TaskId) -> Result<Task, EngineError> {
        let task = self.task(id)?;
        if !task.status.is_open() {
            return Err(not_allowed(format!("task {id} is already {}", task.status)));
        }
        if task.is_template() {
            return Err(not_allowed(format!(
                "task {id} is a recurring task; complete its instances, or delete it to end the series"
            )));
        }
        let open = self.open_subtasks(id)?;
        if !open.is_empty() {
            let mut open = open;
            open.sort();
            return Err(EngineError::OpenSubtasks { task: id, open });
        }
        let mut task = task;
        self.pass_gate(&mut task, Step::Complete)?;
        self.close(task, Status::Completed)
    }

    /// Deletes a task (it stays in the journal and can be undone). Deleting a template ends
    /// its series and deletes its pending instances too.
    pub fn delete(&mut self, id: TaskId) -> Result<Task, EngineError> {
        let task = self.task(id)?;
        if task.status == Status::Deleted {
            return Err(not_allowed(format!("task {id} is already deleted")));
        }
        self.check_not_declared(&task)?;
        let template = task.is_template();
        let task = self.close(task, Status::Deleted)?;
        if template {
            // After the template, so that closing its instances spawns no replacement.
            self.delete_pending_instances(id)?;
        }
        Ok(task)
    }

    /// Starts time tracking on a task.
    pub fn start(&mut self, id: TaskId) -> Result<Task, EngineError> {
        let mut task = self.task(id)?;
        if task.is_template() && task.status.is_open() {
            return Err(not_allowed(format!(
                "task {id} is a recurring task; start one of its instances instead"
            )));
        }
        match task.status {
            Status::Started => return Err(not_allowed(format!("task {id} is already started"))),
            Status::Completed | Status::Deleted | Status::Recurring => {
                return Err(not_allowed(format!(
                    "task {id} is {}; it cannot be started",
                    task.status
                )));
            }
            Status::Pending | Status::Waiting => {}
        }
        self.pass_gate(&mut task, Step::Start)?;
        task.status = Status::Started;
        task.started.get_or_insert(self.now);
        task.tracking_since = Some(self.now);
        self.save(Op::Start, task)
    }

    /// Stops time tracking on a task, adding the session to its time spent.
    pub fn stop(&mut self, id: TaskId) -> Result<Task, EngineError> {
        let mut task = self.task(id)?;
        if task.status != Status::Started {
            return Err(not_allowed(format!("task {id} is not started")));
        }
        self.stop_tracking(&mut task);
        task.status = Status::Pending;
        self.save(Op::Stop, task)
    }

    /// Adds a note to a task.
    pub fn annotate(&mut self, id: TaskId, text: &str) -> Result<Task, EngineError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EngineError::Invalid("an annotation needs some text".into()));
        }
        check_note(text, "annotation").map_err(|e| EngineError::Invalid(e.to_string()))?;
        let mut task = self.task(id)?;
        task.annotations.push(Annotation {
            at: self.now,
            text: text.to_string(),
        });
        self.save(Op::Annotate, task)
    }
}
