//! `tme.TaskManager`: the engine opened through the application layer, exactly as the CLI
//! and the TUI open it (settings, hooks, plugins, rules, the webhook, the calendar file, the
//! daily backup, the recurrence ticker), with the interpreter let go during engine work.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyRuntimeWarning, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use tme_app::app::{App, FrontEnd, clock_for, user_name};
use tme_app::config::{Environment, Flags, load};
use tme_core::TaskManager;
use tme_core::domain::capture::{Token, lex};
use tme_core::domain::{Filter, Op, TaskId, TimeContext, When, parse_when};
use tme_core::report::Range;

use crate::data::to_python;
use crate::errors::{Failure, Kind, Outcome};
use crate::events::Heard;
use crate::fields::Fields;
use crate::refs::TaskRef;
use crate::task::{Event, Task};
use crate::values::moment;

/// An engine opened, with the run it belongs to.
struct Opened {
    app: App,
    tm: TaskManager,
}

/// A task list: a TME database (the CLI's own, a file, or a PostgreSQL URL) with everything a
/// change sets off, as `tme` has it.
///
/// ```python
/// import tme
/// with tme.TaskManager() as tm:
///     tm.add_task("Pay rent", "Finance")
/// ```
///
/// Threads may share one TaskManager: engine work runs without the interpreter's lock. Close
/// it (or use `with`) so that `on-exit` hooks run and plugins hear goodbye.
#[pyclass(module = "tme", name = "TaskManager", frozen)]
pub struct Manager {
    opened: Mutex<Option<Arc<Opened>>>,
    database: String,
    heard: Arc<Heard>,
    callbacks: Mutex<Vec<(Op, Py<PyAny>)>>,
}

/// One end of a range as text (`None` for an open end), read once the time is known.
fn range_end(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    crate::values::field_text("date_range", value).map(Some)
}

/// A range end read at `time`.
fn range_point(text: Option<&String>, time: &TimeContext) -> Outcome<Option<When>> {
    text.map(|t| parse_when(t, time))
        .transpose()
        .map_err(|e| Failure::Said(Kind::Input, format!("date_range: {e}")))
}

impl Manager {
    fn opened(&self) -> PyResult<Arc<Opened>> {
        let opened = self.opened.lock().map_err(|_| closed())?;
        opened.clone().ok_or_else(closed)
    }

    /// Runs `work` on the engine with the interpreter let go: first the recurrence ticker (as
    /// every CLI command does), last the work that follows a command (reminders, the calendar
    /// file). Then, holding the interpreter again, what hooks and rules said goes to
    /// `sys.stderr` and the callbacks hear the changes.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&Opened) -> Outcome<T> + Send,
    ) -> PyResult<T> {
        let opened = self.opened()?;
        let heard = self.heard.clone();
        let (result, ticked, changes) = py.detach(|| {
            heard.begin();
            let ticked = opened.tm.catch_up().err();
            let result = work(&opened);
            opened.app.after_command(&opened.tm);
            (result, ticked, heard.take())
        });
        let mut said: Vec<String> = ticked
            .map(|e| format!("tme: warning: recurring instances were not spawned: {e}"))
            .into_iter()
            .collect();
        said.extend(opened.app.take_feedback(&opened.tm));
        said.extend(
            opened
                .tm
                .take_notes()
                .into_iter()
                .map(|n| format!("tme: rule: {n}")),
        );
        self.tell(py, &opened, said, changes)?;
        result.map_err(PyErr::from)
    }

    /// [`Manager::run`] for work that gives one task, as a `Task` read at the engine's now.
    fn run_task(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&Opened) -> Outcome<tme_core::domain::Task> + Send,
    ) -> PyResult<Py<Task>> {
        let (task, time) = self.run(py, |o| Ok((work(o)?, o.tm.time())))?;
        Py::new(py, Task::new(task, time.now, time.tz))
    }

    /// Says what was said on `sys.stderr` and calls the callbacks for each change.
    fn tell(
        &self,
        py: Python<'_>,
        opened: &Opened,
        said: Vec<String>,
        changes: Vec<(Op, tme_core::domain::Task)>,
    ) -> PyResult<()> {
        if !said.is_empty() {
            let stderr = py.import("sys")?.getattr("stderr")?;
            for line in said {
                stderr.call_method1("write", (format!("{line}\n"),))?;
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        let listening: Vec<(Op, Py<PyAny>)> = match self.callbacks.lock() {
            Ok(list) => list.iter().map(|(op, f)| (*op, f.clone_ref(py))).collect(),
            Err(_) => Vec::new(),
        };
        let time = opened.tm.time();
        for (op, task) in changes {
            let hearing: Vec<&Py<PyAny>> = listening
                .iter()
                .filter(|(wanted, _)| *wanted == op)
                .map(|(_, f)| f)
                .collect();
            if hearing.is_empty() {
                continue;
            }
            let task = Py::new(py, Task::new(task, time.now, time.tz))?;
            let event = Py::new(py, Event::new(op.as_str(), task))?;
            for callback in hearing {
                if let Err(e) = callback.call1(py, (event.clone_ref(py),)) {
                    e.write_unraisable(py, Some(callback.bind(py)));
                }
            }
        }
        Ok(())
    }

    fn tasks_list<'py>(
        py: Python<'py>,
        time: TimeContext,
        tasks: Vec<tme_core::domain::Task>,
    ) -> PyResult<Bound<'py, PyList>> {
        let objects = tasks
            .into_iter()
            .map(|t| Py::new(py, Task::new(t, time.now, time.tz)))
            .collect::<PyResult<Vec<Py<Task>>>>()?;
        PyList::new(py, objects)
    }

    /// One change to one task as one command.
    fn change_one(
        &self,
        py: Python<'_>,
        task: &Bound<'_, PyAny>,
        summary: &'static str,
        change: impl Fn(
            &mut tme_core::engine::Session<'_>,
            TaskId,
        ) -> Result<tme_core::domain::Task, tme_core::engine::EngineError>
        + Send
        + Sync,
    ) -> PyResult<Py<Task>> {
        let task = TaskRef::read(task)?;
        self.run_task(py, |o| {
            let id = task.find(&o.tm)?;
            Ok(o.tm.transaction(&format!("{summary} {id}"), |s| change(s, id))?)
        })
    }
}

fn closed() -> PyErr {
    Python::attach(|py| {
        crate::errors::raise(py, Kind::Error, "this TaskManager is closed".into(), None)
    })
}

fn keyword_pairs<'py>(
    changes: Option<&Bound<'py, PyDict>>,
    more: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
    let mut pairs = Vec::new();
    for dict in [changes, more].into_iter().flatten() {
        for (key, value) in dict.iter() {
            let key: String = key
                .extract()
                .map_err(|_| PyTypeError::new_err("field names must be text"))?;
            pairs.push((key, value));
        }
    }
    Ok(pairs)
}

#[pymethods]
impl Manager {
    /// Opens a task list: `database` is a file path or a `postgres://` URL; without it, the one
    /// `tme` uses (`TME_DB`, the config file, else the data directory). `config` is a config
    /// file to read instead of the usual one.
    #[new]
    #[pyo3(signature = (database=None, *, config=None))]
    fn open(
        py: Python<'_>,
        database: Option<PathBuf>,
        config: Option<PathBuf>,
    ) -> PyResult<Manager> {
        let env = Environment::from_process();
        let flags = Flags {
            config,
            db: database,
            verbose: false,
        };
        let heard = Arc::new(Heard::default());
        let observer = heard.clone();
        let (opened, problems, warnings) = py
            .detach(move || -> Outcome<(Opened, Vec<String>, Vec<String>)> {
                let config = load(&env, &flags)?;
                let user = user_name(&env, &config);
                let warnings = config.warnings.clone();
                let front = FrontEnd {
                    args: "python".into(),
                    command: "python".into(),
                    keep_feedback: true,
                };
                let app = App::new(config, &front);
                app.launch()?;
                let (mut tm, problems) =
                    app.open(clock_for(app.config()), &format!("{user} via python"))?;
                tm.add_observer(observer);
                Ok((Opened { app, tm }, problems, warnings))
            })
            .map_err(PyErr::from)?;
        let warn = py.import("warnings")?;
        for text in warnings.iter().chain(&problems) {
            warn.call_method1("warn", (text, py.get_type::<PyRuntimeWarning>(), 2))?;
        }
        Ok(Manager {
            database: opened.app.config().database.value.to_string(),
            opened: Mutex::new(Some(Arc::new(opened))),
            heard,
            callbacks: Mutex::new(Vec::new()),
        })
    }

    /// Where the tasks are: a file path or a PostgreSQL URL (its password hidden).
    #[getter]
    fn database(&self) -> &str {
        &self.database
    }

    /// Whether `close` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.opened.lock().map(|o| o.is_none()).unwrap_or(true)
    }

    /// Ends the run: `on-exit` hooks hear what changed, plugins hear goodbye, the database is
    /// let go. Calling it again does nothing.
    fn close(&self, py: Python<'_>) {
        let taken = self.opened.lock().ok().and_then(|mut o| o.take());
        if let Some(opened) = taken {
            py.detach(move || opened.app.finish());
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        format!("TaskManager(database='{}')", self.database)
    }

    /// Adds a task with a title and, optionally, a category (`Work.Backend`).
    #[pyo3(signature = (title, category=None))]
    fn add_task(
        &self,
        py: Python<'_>,
        title: String,
        category: Option<String>,
    ) -> PyResult<Py<Task>> {
        self.run_task(py, |o| Ok(o.tm.add_task(&title, category.as_deref())?))
    }

    /// Adds a task with any of its fields: `recurrence` in the forms `every:` takes
    /// (`"monthly"`, `"+2w"`, an RRULE), `due_date` a `date`, a `datetime` or a phrase
    /// (`"eom"`, `"friday 17:00"`), and as keywords `priority`, `tags`, `scheduled`, `wait`,
    /// `until`, `estimate` (a `timedelta` or `"1h30m"`), `depends`, `parent`, `type` and the
    /// attributes of the task's type.
    #[pyo3(signature = (title, category=None, description=None, recurrence=None, due_date=None, **fields))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        &self,
        py: Python<'_>,
        title: String,
        category: Option<Bound<'_, PyAny>>,
        description: Option<Bound<'_, PyAny>>,
        recurrence: Option<Bound<'_, PyAny>>,
        due_date: Option<Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<Task>> {
        let mut given: Vec<(String, Bound<'_, PyAny>)> = Vec::new();
        for (name, value) in [
            ("category", category),
            ("description", description),
            ("recurrence", recurrence),
            ("due_date", due_date),
        ] {
            if let Some(value) = value {
                given.push((name.to_string(), value));
            }
        }
        given.extend(keyword_pairs(fields, None)?);
        let fields = Fields::read(&given, false)?;
        self.run_task(py, |o| {
            let new = fields.new_task(&title, &o.tm, &o.app.config().types.value)?;
            Ok(o.tm.create(new)?)
        })
    }

    /// Adds a task from capture text, as `tme add` reads it: `"Pay rent #Finance due:eom
    /// every:monthly"`.
    fn capture(&self, py: Python<'_>, text: String) -> PyResult<Py<Task>> {
        self.run_task(py, |o| {
            let types = &o.app.config().types.value;
            let new = types.parse_new_task(&lex(&text), &o.tm.time())?;
            Ok(o.tm.create(new)?)
        })
    }

    /// Changes a task's fields, given as keywords or as one dict (`update(3, {"priority":
    /// "H"})`): the fields of `create` and `title`; `None` clears a field; `tags` sets the
    /// whole set, `add_tags` and `remove_tags` change it.
    #[pyo3(signature = (task, changes=None, **more))]
    fn update(
        &self,
        py: Python<'_>,
        task: &Bound<'_, PyAny>,
        changes: Option<&Bound<'_, PyDict>>,
        more: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<Task>> {
        let task = TaskRef::read(task)?;
        let given = keyword_pairs(changes, more)?;
        if given.is_empty() {
            return Err(crate::errors::input("update(): say what to change"));
        }
        let fields = Fields::read(&given, true)?;
        self.run_task(py, |o| {
            let id = task.find(&o.tm)?;
            let change = fields.changes(&o.tm.task(id)?, &o.tm, &o.app.config().types.value)?;
            Ok(o.tm.transaction(&format!("modify {id}"), |s| {
                let mut change = change.clone();
                fields.set_tags(&s.task(id)?, &mut change);
                s.update(id, &change)
            })?)
        })
    }

    /// Deletes a task (kept for undo, history and reports, as `tme delete`).
    fn delete(&self, py: Python<'_>, task: &Bound<'_, PyAny>) -> PyResult<Py<Task>> {
        self.change_one(py, task, "delete", |s, id| s.delete(id))
    }

    /// Completes a task; `tme.Blocked` when what it depends on is not done.
    fn mark_completed(&self, py: Python<'_>, task: &Bound<'_, PyAny>) -> PyResult<Py<Task>> {
        self.change_one(py, task, "done", |s, id| s.complete(id))
    }

    /// Starts work on a task (time tracking runs).
    fn start(&self, py: Python<'_>, task: &Bound<'_, PyAny>) -> PyResult<Py<Task>> {
        self.change_one(py, task, "start", |s, id| s.start(id))
    }

    /// Stops work on a task.
    fn stop(&self, py: Python<'_>, task: &Bound<'_, PyAny>) -> PyResult<Py<Task>> {
        self.change_one(py, task, "stop", |s, id| s.stop(id))
    }

    /// Adds a timestamped note to a task.
    fn annotate(
        &self,
        py: Python<'_>,
        task: &Bound<'_, PyAny>,
        text: String,
    ) -> PyResult<Py<Task>> {
        self.change_one(py, task, "annotate", move |s, id| s.annotate(id, &text))
    }

    /// Makes `task` depend on `depends_on`: `kind` is `fs` (finish-to-start, the default),
    /// `ss`, `ff` or `relates`. A cycle is refused with `tme.Conflict`.
    #[pyo3(signature = (task, depends_on, kind="fs"))]
    fn assign_dependency(
        &self,
        py: Python<'_>,
        task: &Bound<'_, PyAny>,
        depends_on: &Bound<'_, PyAny>,
        kind: &str,
    ) -> PyResult<Py<Task>> {
        let kind = crate::fields::dep_kind("kind", kind)?;
        let task = TaskRef::read(task)?;
        let on = TaskRef::read(depends_on)?;
        self.run_task(py, |o| {
            let id = task.find(&o.tm)?;
            let on = on.find(&o.tm)?;
            Ok(o.tm.transaction(&format!("dep add {id} {on}"), |s| {
                s.add_dependency(id, on, kind)
            })?)
        })
    }

    /// One task, by `Task`, id or title.
    fn get_task(&self, py: Python<'_>, task: &Bound<'_, PyAny>) -> PyResult<Py<Task>> {
        let task = TaskRef::read(task)?;
        self.run_task(py, |o| Ok(o.tm.task(task.find(&o.tm)?)?))
    }

    /// The tasks that match every condition given, by id. Without `status`, what `tme list`
    /// shows (pending and started); `status` is a status, a list of them, `"open"` or
    /// `"all"`. `date_range` is `(start, end)`, tasks due on or between them (each a `date`,
    /// a `datetime`, a phrase or None); `tags` must all be there; `text` must appear in the
    /// title or description; `filter` is the `tme list` filter grammar (`"+home due.before:fri"`).
    #[pyo3(signature = (category=None, date_range=None, status=None, tags=None, text=None, filter=None))]
    #[allow(clippy::too_many_arguments)]
    fn get_tasks<'py>(
        &self,
        py: Python<'py>,
        category: Option<String>,
        date_range: Option<Bound<'py, PyAny>>,
        status: Option<Bound<'py, PyAny>>,
        tags: Option<Bound<'py, PyAny>>,
        text: Option<String>,
        filter: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let mut tokens = filter.as_deref().map(lex).unwrap_or_default();
        if let Some(category) = category {
            tokens.push(Token::plain(format!("category:{category}")));
        }
        if let Some(status) = &status {
            let names = crate::fields::words("status", status)?;
            tokens.push(Token::plain(format!("status:{}", names.join(","))));
        }
        if let Some(tags) = &tags {
            for tag in crate::fields::tag_list("tags", tags)? {
                tokens.push(Token::plain(format!("+{}", tag.as_str())));
            }
        }
        if let Some(text) = text {
            tokens.push(Token {
                text,
                literal: true,
            });
        }
        let bounds = match &date_range {
            None => None,
            Some(range) => {
                let (start, end): (Bound<'py, PyAny>, Bound<'py, PyAny>) = range
                    .extract()
                    .map_err(|_| PyTypeError::new_err("date_range: expected (start, end)"))?;
                Some((range_end(&start)?, range_end(&end)?))
            }
        };
        let (tasks, time) = self.run(py, |o| {
            let time = o.tm.time();
            let mut filter = o.app.config().types.value.parse_filter(&tokens, &time)?;
            if let Some((start, end)) = &bounds {
                if filter.due_after.is_some() || filter.due_before.is_some() {
                    return Err(Failure::Said(
                        Kind::Input,
                        "give the due dates once: in date_range or in the filter".into(),
                    ));
                }
                filter.due_after = range_point(start.as_ref(), &time)?.map(|s| step(s, -1));
                filter.due_before = range_point(end.as_ref(), &time)?.map(|e| step(e, 1));
            }
            Ok((o.tm.get_tasks(&filter)?, time))
        })?;
        Manager::tasks_list(py, time, tasks)
    }

    /// Every task in a category or its subcategories, whatever its status.
    fn get_tasks_by_category<'py>(
        &self,
        py: Python<'py>,
        category: String,
    ) -> PyResult<Bound<'py, PyList>> {
        let (tasks, time) = self.run(py, |o| {
            Ok((o.tm.get_tasks_by_category(&category)?, o.tm.time()))
        })?;
        Manager::tasks_list(py, time, tasks)
    }

    /// Every task of a task type (`experiment`), whatever its status.
    fn get_tasks_by_type<'py>(
        &self,
        py: Python<'py>,
        task_type: String,
    ) -> PyResult<Bound<'py, PyList>> {
        let (tasks, time) = self.run(py, |o| {
            let filter = Filter {
                task_type: Some(task_type.clone()),
                ..Filter::all()
            };
            Ok((o.tm.get_tasks(&filter)?, o.tm.time()))
        })?;
        Manager::tasks_list(py, time, tasks)
    }

    /// Takes back the newest command not yet undone, as `tme undo`: a dict with `undid` (its
    /// summary), `command` (its number) and `tasks` (the ids it touched).
    fn undo<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let report = self.run(py, |o| Ok(o.tm.undo()?))?;
        let dict = PyDict::new(py);
        dict.set_item("undid", report.command.summary)?;
        dict.set_item("command", report.command.id.0)?;
        dict.set_item(
            "tasks",
            report.tasks.iter().map(|t| t.0).collect::<Vec<u64>>(),
        )?;
        Ok(dict)
    }

    /// Every change to a task, oldest first: dicts with `at` (a `datetime`), `op` (`add`,
    /// `modify`, `complete`…), `actor` (`ann via cli`) and `changes` (one line per field).
    fn history<'py>(
        &self,
        py: Python<'py>,
        task: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let task = TaskRef::read(task)?;
        let (items, time) = self.run(py, |o| {
            let id = task.find(&o.tm)?;
            Ok((o.tm.history_items(id)?, o.tm.time()))
        })?;
        let list = PyList::empty(py);
        for item in items {
            let dict = PyDict::new(py);
            dict.set_item("at", moment(py, item.at, time.tz)?)?;
            dict.set_item("op", item.op.as_str())?;
            dict.set_item("actor", item.actor)?;
            dict.set_item(
                "changes",
                item.changes
                    .iter()
                    .map(|c| c.line())
                    .collect::<Vec<String>>(),
            )?;
            list.append(dict)?;
        }
        Ok(list)
    }

    /// A report's numbers as plain Python data, as `tme report NAME --json` gives them:
    /// `summary`, `throughput`, `leadtime`, `cycletime`, `burndown`, `flow`, `overdue`,
    /// `recurring`, `estimates` or `oldest`, over `range` (`"7d"`, `"30d"`, `"1y"`, `"all"`),
    /// of the tasks `filter` picks (every status unless it names one).
    #[pyo3(signature = (name, range="30d", filter=None))]
    fn report<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        range: &str,
        filter: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let range = Range::parse(range).map_err(|e| crate::errors::input(format!("range: {e}")))?;
        let name = name.to_lowercase();
        let value = self.run(py, |o| {
            let time = o.tm.time();
            let tokens = filter.as_deref().map(lex).unwrap_or_default();
            let filter = o
                .app
                .config()
                .types
                .value
                .parse_filter(&tokens, &time)?
                .any_status_unless_named();
            let (report, window) = o.tm.report(&name, range, &filter)?;
            Ok(report.json(&window))
        })?;
        to_python(py, &value)
    }

    /// Calls `callback(event)` after each change of this kind made through this TaskManager
    /// is committed: `add`, `modify`, `start`, `stop`, `complete`, `delete`, `annotate`,
    /// `spawn` or `revert`. An exception in a callback is reported (`sys.unraisablehook`)
    /// and the others still run; the change stays made. Returns the callback.
    fn on(&self, kind: &str, callback: Py<PyAny>, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let op = op_named(kind)?;
        if !callback.bind(py).is_callable() {
            return Err(PyTypeError::new_err("on(): the callback must be callable"));
        }
        if let Ok(mut list) = self.callbacks.lock() {
            list.push((op, callback.clone_ref(py)));
        }
        Ok(callback)
    }

    /// Stops calling `callback` (or what equals it, as a bound method does) for changes of
    /// this kind; whether it was listening.
    fn off(&self, kind: &str, callback: &Bound<'_, PyAny>) -> PyResult<bool> {
        let op = op_named(kind)?;
        let Ok(mut list) = self.callbacks.lock() else {
            return Ok(false);
        };
        let before = list.len();
        let mut kept = Vec::with_capacity(before);
        for (o, f) in list.drain(..) {
            if !(o == op && f.bind(callback.py()).eq(callback)?) {
                kept.push((o, f));
            }
        }
        *list = kept;
        Ok(list.len() != before)
    }
}

/// The change kind called `name`.
fn op_named(name: &str) -> PyResult<Op> {
    Op::ALL
        .into_iter()
        .find(|op| op.as_str() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Op::ALL.iter().map(|op| op.as_str()).collect();
            crate::errors::input(format!(
                "'{name}' is not a kind of change; the kinds are {}",
                names.join(", ")
            ))
        })
}

/// The point one step (a day for a day, a second for a moment) before or after `point`, so
/// that a range's ends are in it.
fn step(point: When, by: i64) -> When {
    match point {
        When::Day(day) => When::Day(day + chrono::Duration::days(by)),
        When::At(at) => When::At(at + chrono::Duration::seconds(by)),
    }
}
