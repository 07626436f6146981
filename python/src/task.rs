//! `tme.Task`, one task as it was when it was read, with typed attributes; and `tme.Event`,
//! one committed change as a callback hears it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use tme_core::domain::{self, RecurrenceLink, Status};

use crate::values::{attr, duration, moment, when};

/// One task as it was when it was read (a snapshot: change it through the `TaskManager`).
///
/// Moments (`created`, `started`, a due time) are aware `datetime`s in the configured zone, whole
/// days are `date`s, lengths of time `timedelta`s. Two `Task`s are equal when they are the same
/// task (the same uuid), whatever changed between the reads.
#[pyclass(module = "tme", name = "Task", frozen)]
pub struct Task {
    task: domain::Task,
    status: Status,
    spent: domain::Duration,
    tz: Tz,
}

impl Task {
    /// The task as read at `now`, shown in zone `tz`.
    pub fn new(task: domain::Task, now: DateTime<Utc>, tz: Tz) -> Task {
        Task {
            status: task.status_at(now, tz),
            spent: task.spent_at(now),
            task,
            tz,
        }
    }

    /// Its id.
    pub fn id(&self) -> u64 {
        self.task.id.0
    }

    /// The task itself.
    pub fn inner(&self) -> &domain::Task {
        &self.task
    }

    fn optional_when<'py>(
        &self,
        py: Python<'py>,
        point: Option<domain::When>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        point.map(|p| when(py, p, self.tz)).transpose()
    }

    fn optional_moment<'py>(
        &self,
        py: Python<'py>,
        at: Option<DateTime<Utc>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        at.map(|a| moment(py, a, self.tz)).transpose()
    }
}

/// The attributes `to_dict` gives, in order.
const FIELDS: [&str; 25] = [
    "id",
    "uuid",
    "title",
    "description",
    "category",
    "tags",
    "status",
    "priority",
    "created",
    "modified",
    "started",
    "completed",
    "due",
    "scheduled",
    "wait",
    "until",
    "estimate",
    "spent",
    "depends",
    "parent",
    "recurrence",
    "template",
    "annotations",
    "type",
    "attrs",
];

#[pymethods]
impl Task {
    /// The id `tme list` shows (stable, never reused).
    #[getter(id)]
    fn task_id(&self) -> u64 {
        self.id()
    }

    /// The task's uuid, the same on every machine and in every export.
    #[getter]
    fn uuid(&self) -> uuid::Uuid {
        self.task.uuid
    }

    /// The one-line title.
    #[getter]
    fn title(&self) -> &str {
        &self.task.title
    }

    /// The description; empty when there is none.
    #[getter]
    fn description(&self) -> &str {
        &self.task.description
    }

    /// The category (`Work.Backend`), or None.
    #[getter]
    fn category(&self) -> Option<&str> {
        self.task.category.as_ref().map(|c| c.as_str())
    }

    /// The tags, sorted.
    #[getter]
    fn tags(&self) -> Vec<&str> {
        self.task.tags.iter().map(|t| t.as_str()).collect()
    }

    /// `pending`, `started`, `waiting`, `recurring` (a series' template), `completed` or
    /// `deleted`, as of the read.
    #[getter]
    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    /// `H`, `M`, `L` or None.
    #[getter]
    fn priority(&self) -> Option<&'static str> {
        self.task.priority.map(|p| p.letter())
    }

    /// When the task was made.
    #[getter]
    fn created<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        moment(py, self.task.created, self.tz)
    }

    /// When it last changed.
    #[getter]
    fn modified<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        moment(py, self.task.modified, self.tz)
    }

    /// When work on it first started, or None.
    #[getter]
    fn started<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.optional_moment(py, self.task.started)
    }

    /// When it was completed or deleted, or None.
    #[getter]
    fn completed<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.optional_moment(py, self.task.completed)
    }

    /// When it is due: a `date`, a `datetime`, or None.
    #[getter]
    fn due<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.optional_when(py, self.task.due)
    }

    /// When work is planned to begin: a `date`, a `datetime`, or None.
    #[getter]
    fn scheduled<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.optional_when(py, self.task.scheduled)
    }

    /// Hidden until then: a `date`, a `datetime`, or None.
    #[getter]
    fn wait<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.optional_when(py, self.task.wait)
    }

    /// For a series: when it ends, or None.
    #[getter]
    fn until<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.optional_when(py, self.task.until)
    }

    /// The expected effort as a `timedelta`, or None.
    #[getter]
    fn estimate<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.task.estimate.map(|e| duration(py, e)).transpose()
    }

    /// Time tracked so far (a running session included, as of the read), as a `timedelta`.
    #[getter]
    fn spent<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        duration(py, self.spent)
    }

    /// What it depends on: `(id, kind)` pairs, kind `fs`, `ss`, `ff` or `relates`.
    #[getter]
    fn depends(&self) -> Vec<(u64, &'static str)> {
        self.task
            .depends
            .iter()
            .map(|d| (d.on.0, d.kind.as_str()))
            .collect()
    }

    /// The id of the task this is a subtask of, or None.
    #[getter]
    fn parent(&self) -> Option<u64> {
        self.task.parent.map(|p| p.0)
    }

    /// For a series' template: its rule (`monthly`, `+3d`, an RRULE), else None.
    #[getter]
    fn recurrence(&self) -> Option<String> {
        match &self.task.recurrence {
            Some(RecurrenceLink::Template { rule }) => Some(rule.to_string()),
            _ => None,
        }
    }

    /// For one occurrence of a series: the template's id, else None.
    #[getter]
    fn template(&self) -> Option<u64> {
        self.task.template().map(|t| t.0)
    }

    /// Notes, oldest first: `(datetime, text)` pairs.
    #[getter]
    fn annotations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let pairs = self
            .task
            .annotations
            .iter()
            .map(|a| {
                PyTuple::new(
                    py,
                    [
                        moment(py, a.at, self.tz)?,
                        a.text.clone().into_pyobject(py)?.into_any(),
                    ],
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, pairs)
    }

    /// The task type (`experiment`), or None.
    #[getter(r#type)]
    fn task_type(&self) -> Option<&str> {
        self.task.task_type.as_deref()
    }

    /// The typed attributes of its type, by name (`{"samples": 30.0}`).
    #[getter]
    fn attrs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.task.attrs {
            dict.set_item(name, attr(py, value, self.tz)?)?;
        }
        Ok(dict)
    }

    /// Every attribute in a `dict` of Python values (the same types as the attributes).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(slf.py());
        for name in FIELDS {
            dict.set_item(name, slf.getattr(name)?)?;
        }
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // Text as Python itself quotes it.
        let quoted =
            |text: &str| -> PyResult<String> { Ok(PyString::new(py, text).repr()?.to_string()) };
        let mut text = format!(
            "Task(id={}, title={}, status='{}'",
            self.task.id,
            quoted(&self.task.title)?,
            self.status.as_str()
        );
        if let Some(category) = &self.task.category {
            text.push_str(&format!(", category={}", quoted(category.as_str())?));
        }
        if let Some(due) = self.task.due {
            text.push_str(&format!(", due='{}'", due.display(self.tz)));
        }
        text.push(')');
        Ok(text)
    }

    fn __str__(&self) -> String {
        let mut text = format!("{} {}", self.task.id, self.task.title);
        if let Some(category) = &self.task.category {
            text.push_str(&format!(" #{}", category.as_str()));
        }
        if let Some(due) = self.task.due {
            text.push_str(&format!(" due:{}", due.capture_form(self.tz)));
        }
        if self.status != Status::Pending {
            text.push_str(&format!(" ({})", self.status.as_str()));
        }
        text
    }

    /// The same task (the same uuid); anything that is not a `Task` is left to compare
    /// itself.
    fn __eq__(&self, other: PyRef<'_, Task>) -> bool {
        self.task.uuid == other.task.uuid
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.task.uuid.hash(&mut hasher);
        hasher.finish()
    }
}

/// One committed change, as an `on` callback hears it.
#[pyclass(module = "tme", name = "Event", frozen)]
pub struct Event {
    kind: &'static str,
    task: Py<Task>,
}

impl Event {
    /// The change `kind` (`complete`) of `task` (as the change left it).
    pub fn new(kind: &'static str, task: Py<Task>) -> Event {
        Event { kind, task }
    }
}

#[pymethods]
impl Event {
    /// What happened: `add`, `modify`, `start`, `stop`, `complete`, `delete`, `annotate`,
    /// `spawn` (a series made its next occurrence) or `revert` (undo).
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }

    /// The task as the change left it.
    #[getter]
    fn task(&self, py: Python<'_>) -> Py<Task> {
        self.task.clone_ref(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Event(kind='{}', task={})",
            self.kind,
            self.task.get().__repr__(py)?
        ))
    }
}
