//! Work off the input thread: loading tasks and making changes through the engine. The TUI
//! stays responsive while it runs.

use crate::cli::run_captured;
use crate::config::Config;
use crate::domain::{NewTask, Status, Task, TaskId};
use crate::engine::{EngineError, TaskManager};

use super::data::{Data, Scope, sort_orders};
use super::msg::{Cmd, Feedback, Msg};

/// Runs commands against the engine.
pub struct Worker<'a> {
    /// The engine.
    pub engine: &'a TaskManager,
    /// Settings, for `:` command lines.
    pub config: &'a Config,
}

fn titles(tasks: &[Task]) -> String {
    match tasks {
        [one] => format!("task {} '{}'", one.id, one.title),
        many => format!("{} tasks", many.len()),
    }
}

fn copy_of(task: &Task) -> NewTask {
    NewTask {
        title: task.title.clone(),
        description: task.description.clone(),
        category: task.category.clone(),
        tags: task.tags.iter().cloned().collect(),
        priority: task.priority,
        due: task.due,
        scheduled: task.scheduled,
        wait: task.wait,
        until: task.until,
        recurrence: None,
        estimate: task.estimate,
        depends: task.depends.clone(),
        parent: task.parent,
        task_type: task.task_type.clone(),
        attrs: task.attrs.clone(),
    }
}

impl Worker<'_> {
    /// Loads the tasks a scope needs, with the counts.
    fn load(&self, scope: Scope) -> Result<Data, EngineError> {
        let started = std::time::Instant::now();
        let stamp = self.engine.change_stamp()?;
        let (views, summary) = match &scope {
            Scope::Open => {
                let snapshot = self.engine.snapshot()?;
                (snapshot.views, snapshot.summary)
            }
            Scope::Query(filter) => (self.engine.query(filter)?, self.engine.summary()?),
        };
        tracing::debug!(
            tasks = views.len(),
            ms = started.elapsed().as_millis(),
            "loaded"
        );
        Ok(Data {
            views: views.into(),
            summary,
            stamp,
            scope: Some(scope),
            orders: Default::default(),
        })
    }

    /// A task's history as lines: when, what, who, and which fields changed.
    fn history(&self, id: TaskId) -> Result<Vec<String>, EngineError> {
        let tz = self.engine.time().tz;
        let mut lines = Vec::new();
        for item in self.engine.history_items(id)? {
            lines.push(format!(
                "{} {} · {}",
                item.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                item.op.as_str(),
                item.actor
            ));
            lines.extend(item.changes.iter().map(|c| format!("  {}", c.line())));
        }
        Ok(lines)
    }

    /// Makes a change as one command; says what happened.
    fn change(&self, cmd: Cmd) -> Result<String, EngineError> {
        let tm = self.engine;
        Ok(match cmd {
            Cmd::Create(new) => {
                let task =
                    tm.transaction(&format!("tui: add '{}'", new.title), |s| s.create(new))?;
                format!("Added task {} '{}'", task.id, task.title)
            }
            Cmd::Complete(ids) => {
                let tasks = tm.change_each("tui: done", &ids, |s, id| s.complete(id))?;
                format!("Completed {}", titles(&tasks))
            }
            Cmd::Delete(ids) => {
                let tasks = tm.change_each("tui: delete", &ids, |s, id| s.delete(id))?;
                format!("Deleted {} (u undoes)", titles(&tasks))
            }
            Cmd::StartStop(ids) => {
                let tasks = tm.change_each("tui: start/stop", &ids, |s, id| {
                    if s.task(id)?.status == Status::Started {
                        s.stop(id)
                    } else {
                        s.start(id)
                    }
                })?;
                match tasks.as_slice() {
                    [one] if one.status == Status::Started => {
                        format!("Started task {} '{}'", one.id, one.title)
                    }
                    [one] => format!(
                        "Stopped task {} '{}' ({} tracked in all)",
                        one.id, one.title, one.spent
                    ),
                    many => format!("Started or stopped {} tasks", many.len()),
                }
            }
            Cmd::Update(ids, changes) => {
                let tasks = tm.change_each("tui: modify", &ids, |s, id| s.update(id, &changes))?;
                format!("Modified {}", titles(&tasks))
            }
            Cmd::Annotate(id, text) => {
                let task = tm.transaction("tui: annotate", |s| s.annotate(id, &text))?;
                format!("Added a note to task {} '{}'", task.id, task.title)
            }
            Cmd::Duplicate(id) => {
                let copy = tm.transaction(&format!("tui: duplicate {id}"), |s| {
                    let original = s.task(id)?;
                    s.create(copy_of(&original))
                })?;
                format!("Duplicated task {id} as {}", copy.id)
            }
            Cmd::Undo => {
                let report = tm.undo()?;
                format!(
                    "Undid: {} ({} tasks)",
                    report.command.summary,
                    report.tasks.len()
                )
            }
            other => format!("cannot run {other:?} here"),
        })
    }

    /// Runs one command, sending each result as soon as it is ready: loaded tasks first, then
    /// their sort orders. Stops early when `send` says nobody is listening.
    pub fn run(&self, cmd: Cmd, send: &mut dyn FnMut(Msg) -> bool) {
        if let Cmd::Load(scope) = cmd {
            match self.load(scope) {
                Ok(data) => {
                    let (views, stamp) = (data.views.clone(), data.stamp);
                    if send(Msg::Loaded(Box::new(data))) {
                        send(Msg::Sorted(stamp, sort_orders(&views)));
                    }
                }
                Err(e) => {
                    send(Msg::Feedback(Feedback::error(format!(
                        "Could not load tasks: {e}"
                    ))));
                }
            }
            return;
        }
        for msg in self.respond(cmd) {
            if !send(msg) {
                return;
            }
        }
    }

    /// The messages for every command but loading.
    fn respond(&self, cmd: Cmd) -> Vec<Msg> {
        match cmd {
            Cmd::Load(_) => Vec::new(),
            Cmd::LoadHistory(id) => match self.history(id) {
                Ok(lines) => vec![Msg::History(id, lines)],
                Err(e) => vec![Msg::History(id, vec![format!("history unavailable: {e}")])],
            },
            Cmd::RunCli(args) => {
                let (ok, output) = run_captured(&args, self.config, self.engine);
                let line = format!("tme {}", args.join(" "));
                let mut feedback = if ok {
                    Feedback::ok(line)
                } else {
                    Feedback::error(format!("{line}: {}", output.trim()))
                };
                if ok && output.trim().lines().count() > 1 {
                    feedback.output = Some(output);
                } else if ok && !output.trim().is_empty() {
                    feedback.text = output.trim().to_string();
                }
                vec![Msg::Feedback(feedback), Msg::StoreChanged]
            }
            Cmd::Dispose(views) => {
                drop(views);
                Vec::new()
            }
            Cmd::Editor(_) | Cmd::Quit => Vec::new(),
            change => match self.change(change) {
                Ok(text) => vec![Msg::Feedback(Feedback::ok(text)), Msg::StoreChanged],
                Err(e) => vec![Msg::Feedback(Feedback::error(e.to_string()))],
            },
        }
    }
}
