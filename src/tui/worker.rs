//! Work off the input thread: loading tasks and making changes through the engine. The TUI
//! stays responsive while it runs.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use crate::app::App;
use crate::domain::{Status, Task, TaskId};
use crate::engine::{Applied, Completion, EngineError, TaskManager, spawned_words};
use crate::report::Dashboard;

use super::data::{Data, Scope, sort_orders};
use super::msg::{Cmd, Details, Feedback, Insist, Msg};

/// Runs commands against the engine.
pub struct Worker<'a> {
    /// The engine.
    pub engine: &'a TaskManager,
    /// What every change sets off (reminders, the calendar file), and what was said.
    pub app: &'a App,
    /// Runs a `:` command line.
    pub commands: &'a super::CommandRunner,
    /// The conflicts last worked out, and the sync cursor they were worked out at.
    conflicts: Mutex<Option<(u64, Arc<HashSet<TaskId>>)>>,
}

impl<'a> Worker<'a> {
    /// A worker on `engine`, with nothing worked out yet.
    pub fn new(
        engine: &'a TaskManager,
        app: &'a App,
        commands: &'a super::CommandRunner,
    ) -> Worker<'a> {
        Worker {
            engine,
            app,
            commands,
            conflicts: Mutex::new(None),
        }
    }
}

/// When completing or starting was refused for something the user may push past (a
/// dependency, open subtasks), the question to ask and the command to run on yes.
fn insist_after(asked: &Cmd, error: &EngineError) -> Option<(String, Cmd)> {
    let (ids, mut insist) = match asked {
        Cmd::Complete(ids) => (ids.clone(), Insist::default()),
        Cmd::StartStop(ids) => (
            ids.clone(),
            Insist {
                start: true,
                ..Insist::default()
            },
        ),
        Cmd::Insist(ids, insist) => (ids.clone(), *insist),
        _ => return None,
    };
    let question = match error {
        EngineError::Blocked {
            task,
            step,
            blockers,
        } => {
            insist.force = true;
            let what: Vec<String> = blockers
                .iter()
                .map(|b| format!("task {} '{}' ({})", b.id, b.title, b.kind.words()))
                .collect();
            format!(
                "Task {task} waits on {}. {} it anyway? (A note on the task will say so.)",
                what.join(" and "),
                if *step == crate::domain::Step::Start {
                    "Start"
                } else {
                    "Complete"
                }
            )
        }
        EngineError::OpenSubtasks { task, open } if !insist.start => {
            insist.subtasks = true;
            let open: Vec<String> = open.iter().map(ToString::to_string).collect();
            format!(
                "Task {task} has open subtasks ({}). Complete them too?",
                open.join(", ")
            )
        }
        _ => return None,
    };
    Some((question, Cmd::Insist(ids, insist)))
}

fn titles(tasks: &[Task]) -> String {
    match tasks {
        [one] => format!("task {} '{}'", one.id, one.title),
        many => format!("{} tasks", many.len()),
    }
}

impl Worker<'_> {
    /// The question a `:delete …` line needs before it runs (none when it says --yes, or is
    /// not a delete): the tasks by id and title when it names ids.
    fn deletion_question(&self, args: &[String]) -> Option<String> {
        let (verb, rest) = args.split_first()?;
        if verb != "delete" || rest.iter().any(|a| a == "--yes" || a == "-y") {
            return None;
        }
        let named: Option<Vec<String>> = rest
            .iter()
            .map(|word| {
                let id = TaskId(word.parse().ok()?);
                let task = self.engine.task(id).ok()?;
                Some(format!("{id} '{}'", task.title))
            })
            .collect();
        Some(match named.as_deref() {
            Some([one]) => format!("Delete task {one}?"),
            Some(many) if !many.is_empty() => format!("Delete tasks {}?", many.join(", ")),
            _ => format!("Delete every task '{}' matches?", rest.join(" ")),
        })
    }

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
            conflicted: self.conflicted(),
        })
    }

    /// The tasks with an open conflict of this person's, worked out again (a scan of the
    /// journal) only when a sync has brought more of the server's log.
    fn conflicted(&self) -> Arc<HashSet<TaskId>> {
        if self.app.config().sync_server.value.is_none() {
            return Arc::default();
        }
        let Ok(cursor) = self.engine.sync_cursor() else {
            return Arc::default();
        };
        let Ok(mut kept) = self.conflicts.lock() else {
            return Arc::default();
        };
        if let Some((at, ids)) = kept.as_ref()
            && *at == cursor
        {
            return ids.clone();
        }
        let ids: Arc<HashSet<TaskId>> = Arc::new(
            self.engine
                .conflicts(false)
                .unwrap_or_default()
                .iter()
                .map(|c| c.task)
                .collect(),
        );
        *kept = Some((cursor, ids.clone()));
        ids
    }

    /// The tasks `id` depends on and its parent, named as the detail pane names them.
    fn links(&self, id: TaskId) -> Vec<(TaskId, String)> {
        let Ok(view) = self.engine.view(id) else {
            return Vec::new();
        };
        view.task
            .depends
            .iter()
            .map(|d| d.on)
            .chain(view.task.parent)
            .filter_map(|other| {
                let linked = self.engine.view(other).ok()?;
                Some((other, crate::engine::link_name(&linked)))
            })
            .collect()
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

    /// What a change did, with the recurring instances it brought.
    fn with_next(&self, said: String, applied: &Applied) -> String {
        match spawned_words(&applied.spawned, &self.engine.time()) {
            Some(next) => format!("{said}; next: {next}"),
            None => said,
        }
    }

    /// Completes tasks, with their subtasks and past their dependencies if the user said so.
    fn complete(&self, ids: &[TaskId], insist: Insist) -> Result<String, EngineError> {
        let how = Completion {
            force: insist.force,
            with_subtasks: insist.subtasks,
        };
        let applied = self
            .engine
            .change_each("tui: done", ids, |s, id| s.complete_as(id, how))?;
        let mut said = format!("Completed {}", titles(&applied.tasks));
        if let Some(first) = applied.unblocked.first() {
            said.push_str(&format!(
                "; task {} '{}' can start now",
                first.id, first.title
            ));
        }
        Ok(self.with_next(said, &applied))
    }

    /// Starts the tasks not started and stops the others, past their dependencies if `force`.
    fn start_stop(&self, ids: &[TaskId], force: bool) -> Result<String, EngineError> {
        let applied = self
            .engine
            .change_each("tui: start/stop", ids, |s, id| s.start_or_stop(id, force))?;
        Ok(match applied.tasks.as_slice() {
            [one] if one.status == Status::Started => {
                format!("Started task {} '{}'", one.id, one.title)
            }
            [one] => format!(
                "Stopped task {} '{}' ({} tracked in all)",
                one.id, one.title, one.spent
            ),
            many => format!("Started or stopped {} tasks", many.len()),
        })
    }

    /// Makes a change as one command; says what happened.
    fn change(&self, cmd: Cmd) -> Result<String, EngineError> {
        let tm = self.engine;
        Ok(match cmd {
            Cmd::Create(new, _) => {
                let applied = tm.transaction(&format!("tui: add '{}'", new.title), |s| {
                    Ok(Applied {
                        tasks: vec![s.create(new.clone())?],
                        spawned: s.spawned(),
                        unblocked: Vec::new(),
                    })
                })?;
                self.with_next(format!("Added {}", titles(&applied.tasks)), &applied)
            }
            Cmd::Complete(ids) => self.complete(&ids, Insist::default())?,
            Cmd::Insist(ids, insist) if insist.start => self.start_stop(&ids, true)?,
            Cmd::Insist(ids, insist) => self.complete(&ids, insist)?,
            Cmd::Delete(ids) => {
                let applied = tm.change_each("tui: delete", &ids, |s, id| s.delete(id))?;
                self.with_next(
                    format!("Deleted {} (u undoes)", titles(&applied.tasks)),
                    &applied,
                )
            }
            Cmd::StartStop(ids) => self.start_stop(&ids, false)?,
            Cmd::Update(ids, changes) => {
                let applied =
                    tm.change_each("tui: modify", &ids, |s, id| s.update(id, &changes))?;
                let said = format!("Modified {}", titles(&applied.tasks));
                let template = applied.tasks.iter().find_map(Task::template);
                match template {
                    // The TUI changes the instance only; the series is changed on its template.
                    Some(template) => format!(
                        "{said} (this instance only: edit task {template} to change the series)"
                    ),
                    None => self.with_next(said, &applied),
                }
            }
            Cmd::Annotate(id, text) => {
                let task = tm.transaction("tui: annotate", |s| s.annotate(id, &text))?;
                format!("Added a note to task {} '{}'", task.id, task.title)
            }
            Cmd::Duplicate(id) => {
                let copy = tm.transaction(&format!("tui: duplicate {id}"), |s| s.duplicate(id))?;
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

    /// Spawns the recurring instances that came due.
    fn catch_up(&self) -> Vec<Msg> {
        match self.engine.catch_up() {
            Ok(spawned) if spawned.is_empty() => Vec::new(),
            Ok(spawned) => {
                self.app.after_command(self.engine);
                vec![
                    Msg::Feedback(Feedback::ok(format!(
                        "Recurring: {} came due",
                        titles(&spawned)
                    ))),
                    Msg::StoreChanged,
                ]
            }
            Err(e) => vec![Msg::Feedback(Feedback {
                background: true,
                ..Feedback::error(format!("Recurring instances were not spawned: {e}"))
            })],
        }
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
            Cmd::LoadDashboard(asked, range, filter) => {
                let started = std::time::Instant::now();
                match self.engine.report_tasks(&filter) {
                    Ok(tasks) => {
                        let board = Dashboard::build(&tasks, range, &self.engine.time());
                        tracing::debug!(
                            tasks = tasks.len(),
                            ms = started.elapsed().as_millis(),
                            "dashboard"
                        );
                        vec![Msg::Dashboard(asked, Box::new(board))]
                    }
                    Err(e) => vec![Msg::Feedback(Feedback::error(format!(
                        "Could not work the reports out: {e}"
                    )))],
                }
            }
            Cmd::LoadUpcoming(from, to) => match self.engine.upcoming(from, to) {
                Ok(upcoming) => vec![Msg::Upcoming(from, to, upcoming)],
                Err(e) => vec![Msg::Feedback(Feedback::error(format!(
                    "Could not work out the recurring tasks to come: {e}"
                )))],
            },
            Cmd::LoadDetails(id) => {
                let links = self.links(id);
                let details = match (self.engine.series_facts(id), self.history(id)) {
                    (Ok(series), Ok(history)) => Details {
                        series,
                        history,
                        links,
                    },
                    (Err(e), _) | (_, Err(e)) => Details {
                        series: Vec::new(),
                        history: vec![format!("history unavailable: {e}")],
                        links,
                    },
                };
                vec![Msg::Details(id, details)]
            }
            Cmd::RunCli(args) => {
                if let Some(question) = self.deletion_question(&args) {
                    // Asked here as `x` asks; the answer runs it with --yes (before the tasks,
                    // which take every word after them).
                    let mut sure = args.clone();
                    sure.insert(1, "--yes".into());
                    return vec![Msg::Ask(question, Box::new(Cmd::RunCli(sure)))];
                }
                let (ok, output) = (self.commands)(&args, self.app, self.engine);
                self.app.after_command(self.engine);
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
            Cmd::CatchUp => {
                let mut out = self.catch_up();
                if let Some(lines) = self.app.sync_now_and_then(self.engine) {
                    if !lines.is_empty() {
                        out.push(Msg::Feedback(Feedback {
                            background: true,
                            ..Feedback::ok(format!("Sync: {}", lines.join(" · ")))
                        }));
                    }
                    out.push(Msg::StoreChanged);
                }
                out
            }
            Cmd::Editor(_) | Cmd::Quit => Vec::new(),
            change => {
                let asked = change.clone();
                let done = self.change(change);
                self.app.after_command(self.engine);
                match done {
                    Ok(text) => {
                        let mut text = text;
                        for said in self.app.take_feedback(self.engine) {
                            text.push_str(" · ");
                            text.push_str(&said);
                        }
                        vec![Msg::Feedback(Feedback::ok(text)), Msg::StoreChanged]
                    }
                    Err(e) => match (insist_after(&asked, &e), asked) {
                        (Some((question, cmd)), _) => vec![Msg::Ask(question, Box::new(cmd))],
                        (None, Cmd::Create(_, text)) => vec![Msg::NotAdded(text, e.to_string())],
                        (None, _) => vec![Msg::Feedback(Feedback::error(e.to_string()))],
                    },
                }
            }
        }
    }
}
