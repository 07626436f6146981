//! Holding tasks to their dependencies and subtasks: what may start or complete, what a
//! forced change leaves on record, and what a change sets free.

use std::collections::BTreeSet;

use super::TaskManager;
use super::blocking::held_back_by;
use super::error::{Blocker, EngineError};
use super::session::Session;
use crate::domain::{Annotation, Op, Status, Step, Task, TaskId};
use crate::store::StoreRead;

/// Open subtasks of `id` at any depth, deepest first (so completing them in this order never
/// completes a parent before its own subtasks).
fn open_subtasks(read: &dyn StoreRead, id: TaskId) -> Result<Vec<TaskId>, EngineError> {
    let mut order = Vec::new();
    let mut seen = BTreeSet::from([id]);
    let mut stack = vec![(id, false)];
    while let Some((at, expanded)) = stack.pop() {
        if expanded {
            if at != id && read.is_open(at)? {
                order.push(at);
            }
            continue;
        }
        stack.push((at, true));
        for child in read.children(at)? {
            if seen.insert(child) {
                stack.push((child, false));
            }
        }
    }
    Ok(order)
}

/// How a completion treats what would hold it back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completion {
    /// Go past unfinished dependencies (noted on the task).
    pub force: bool,
    /// Complete its open subtasks too.
    pub with_subtasks: bool,
}

impl TaskManager {
    /// Open subtasks of a task at any depth, deepest first: what completing it with its
    /// subtasks would complete too.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::TaskChanges;
    /// let release = tm.add_task("Release", None).unwrap();
    /// let notes = tm.add_task("Release notes", None).unwrap();
    /// tm.update(notes.id, &TaskChanges { parent: Some(Some(release.id)), ..TaskChanges::default() }).unwrap();
    /// assert_eq!(tm.open_subtasks(release.id).unwrap(), [notes.id]);
    /// assert!(tm.mark_completed(release.id).is_err(), "its subtask is open");
    /// tm.transaction("done", |s| s.complete_with_subtasks(release.id)).unwrap();
    /// assert!(tm.open_subtasks(release.id).unwrap().is_empty());
    /// ```
    pub fn open_subtasks(&self, id: TaskId) -> Result<Vec<TaskId>, EngineError> {
        open_subtasks(&*self.store.read()?, id)
    }
}

impl Session<'_> {
    /// Lets the rest of this command start or complete tasks that dependencies hold back.
    /// Each time it happens, a note on the task says what it went past.
    pub fn force(&mut self) {
        self.force = true;
    }

    /// Completes a task as `how` says: past its dependencies, with its open subtasks.
    pub fn complete_as(&mut self, id: TaskId, how: Completion) -> Result<Task, EngineError> {
        if how.force {
            self.force();
        }
        if how.with_subtasks {
            self.complete_with_subtasks(id)
        } else {
            self.complete(id)
        }
    }

    /// Starts a task, past its dependencies when `force`.
    pub fn start_as(&mut self, id: TaskId, force: bool) -> Result<Task, EngineError> {
        if force {
            self.force();
        }
        self.start(id)
    }

    /// Stops a started task, and starts any other (past its dependencies when `force`).
    pub fn start_or_stop(&mut self, id: TaskId, force: bool) -> Result<Task, EngineError> {
        if self.task(id)?.status == Status::Started {
            self.stop(id)
        } else {
            self.start_as(id, force)
        }
    }

    /// Adds a copy of a task: the same fields, links and attributes, not its history, time
    /// spent or series (a copy of an instance is a task of its own).
    pub fn duplicate(&mut self, id: TaskId) -> Result<Task, EngineError> {
        let task = self.task(id)?;
        self.create(crate::domain::NewTask {
            title: task.title,
            description: task.description,
            category: task.category,
            tags: task.tags.into_iter().collect(),
            priority: task.priority,
            due: task.due,
            scheduled: task.scheduled,
            wait: task.wait,
            until: task.until,
            recurrence: None,
            estimate: task.estimate,
            depends: task.depends,
            parent: task.parent,
            task_type: task.task_type,
            attrs: task.attrs,
        })
    }

    /// Refuses `step` on a task its dependencies hold back, unless the session is forced; a
    /// forced step is noted on the task (and so in the journal).
    pub(super) fn pass_gate(&self, task: &mut Task, step: Step) -> Result<(), EngineError> {
        let held = held_back_by(&*self.tx, task, step)?;
        if held.is_empty() {
            return Ok(());
        }
        let mut blockers = Vec::with_capacity(held.len());
        for dep in held {
            let title = self.tx.task(dep.on)?.map(|t| t.title).unwrap_or_default();
            blockers.push(Blocker {
                id: dep.on,
                title,
                kind: dep.kind,
            });
        }
        if !self.force {
            return Err(EngineError::Blocked {
                task: task.id,
                step,
                blockers,
            });
        }
        let what: Vec<String> = blockers
            .iter()
            .map(|b| format!("task {} '{}' ({})", b.id, b.title, b.kind.words()))
            .collect();
        let verb = match step {
            Step::Start => "Started",
            Step::Complete => "Completed",
        };
        task.annotations.push(Annotation {
            at: self.now,
            text: format!("{verb} while waiting on {} (forced)", what.join(" and ")),
        });
        Ok(())
    }

    /// Open subtasks of `id` at any depth, deepest first.
    pub(super) fn open_subtasks(&self, id: TaskId) -> Result<Vec<TaskId>, EngineError> {
        open_subtasks(&*self.tx, id)
    }

    /// Completes a task and every open subtask under it, deepest first. Subtasks that wait on
    /// each other are completed in whatever order lets each pass; if a round completes none,
    /// the refusal is returned and nothing is written.
    pub fn complete_with_subtasks(&mut self, id: TaskId) -> Result<Task, EngineError> {
        let mut waiting = self.open_subtasks(id)?;
        while !waiting.is_empty() {
            let mut left = Vec::new();
            let mut refusal = None;
            let mut progressed = false;
            for sub in waiting {
                if !self.tx.is_open(sub)? {
                    continue;
                }
                match self.complete(sub) {
                    Ok(_) => progressed = true,
                    Err(e @ (EngineError::Blocked { .. } | EngineError::OpenSubtasks { .. })) => {
                        left.push(sub);
                        refusal = Some(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            match refusal {
                Some(e) if !progressed => return Err(e),
                _ => waiting = left,
            }
        }
        self.complete(id)
    }

    /// Tasks that a dependency on something closed in this session held back from starting,
    /// and that nothing holds back any more.
    pub fn unblocked(&self) -> Result<Vec<Task>, EngineError> {
        let closed: BTreeSet<TaskId> = self
            .changes
            .iter()
            .filter(|c| matches!(c.op, Op::Complete | Op::Delete))
            .map(|c| c.task.id)
            .collect();
        let mut candidates = BTreeSet::new();
        for id in &closed {
            for (dependent, _) in self.tx.dependents(*id)? {
                if !closed.contains(&dependent) {
                    candidates.insert(dependent);
                }
            }
        }
        let mut out = Vec::new();
        for id in candidates {
            let Some(task) = self.tx.task(id)? else {
                continue;
            };
            let was_held = task
                .depends
                .iter()
                .any(|d| closed.contains(&d.on) && d.kind != crate::domain::DepKind::Relates);
            if was_held
                && matches!(task.status, Status::Pending | Status::Waiting)
                && held_back_by(&*self.tx, &task, Step::Start)?.is_empty()
            {
                out.push(task);
            }
        }
        Ok(out)
    }
}
