//! Wherever a task is expected, a `Task`, an id or a unique title: read from Python while the
//! interpreter is held, found in the engine after it is let go.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};
use tme_core::TaskManager;
use tme_core::domain::{Filter, Status, StatusFilter, TaskId};

/// The statuses of an open task.
const OPEN: [Status; 4] = [
    Status::Pending,
    Status::Started,
    Status::Waiting,
    Status::Recurring,
];

use crate::errors::{Failure, Kind};
use crate::task::Task;

/// A task as a caller named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskRef {
    /// By id (from an `int` or a `Task`).
    Id(TaskId),
    /// By its title.
    Title(String),
}

impl TaskRef {
    /// Reads a `Task`, an `int` id or a `str` title.
    pub fn read(value: &Bound<'_, PyAny>) -> PyResult<TaskRef> {
        if let Ok(task) = value.cast::<Task>() {
            return Ok(TaskRef::Id(TaskId(task.get().id())));
        }
        if let Ok(title) = value.cast::<PyString>() {
            return Ok(TaskRef::Title(title.to_str()?.to_string()));
        }
        if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
            let number: i128 = value.extract()?;
            return u64::try_from(number)
                .ok()
                .filter(|n| (1..=TaskId::MOST).contains(n))
                .map(|n| TaskRef::Id(TaskId(n)))
                .ok_or_else(|| {
                    crate::errors::input(format!(
                        "{number} is not a task id: ids go from 1 to {}",
                        TaskId::MOST
                    ))
                });
        }
        Err(PyTypeError::new_err(format!(
            "expected a Task, a task id or a title, not {}",
            value.get_type().name()?
        )))
    }

    /// The id of the task meant: a title must be the exact title of one task, an open one if
    /// any open task has it.
    pub fn find(&self, tm: &TaskManager) -> Result<TaskId, Failure> {
        let title = match self {
            TaskRef::Id(id) => return Ok(*id),
            TaskRef::Title(title) => title,
        };
        // Open tasks first: the closed ones are read only when no open task has the title.
        let titled = |status: StatusFilter| -> Result<Vec<TaskId>, Failure> {
            let filter = Filter {
                words: vec![title.clone()],
                status,
                ..Filter::default()
            };
            Ok(tm
                .get_tasks(&filter)?
                .into_iter()
                .filter(|t| t.title == *title)
                .map(|t| t.id)
                .collect())
        };
        let mut chosen = titled(StatusFilter::Only(OPEN.to_vec()))?;
        if chosen.is_empty() {
            chosen = titled(StatusFilter::Any)?;
        }
        match chosen.as_slice() {
            [one] => Ok(*one),
            [] => Err(Failure::Said(
                Kind::NotFound,
                format!("no task has the title '{title}'"),
            )),
            many => {
                let ids: Vec<String> = many.iter().map(|id| id.to_string()).collect();
                Err(Failure::Said(
                    Kind::Input,
                    format!(
                        "'{title}' is the title of tasks {}; give the id of the one you mean",
                        ids.join(", ")
                    ),
                ))
            }
        }
    }
}
