//! The exception hierarchy: `tme.Error` and what derives from it, each also a subclass of the
//! built-in exception a Python programmer would catch (`InputError` is a `ValueError`,
//! `NotFound` a `LookupError`), and how every engine, capture and store error maps onto it.

use pyo3::exceptions::{PyException, PyLookupError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use tme_app::app::AppError;
use tme_app::config::ConfigError;
use tme_core::domain::capture::CaptureError;
use tme_core::engine::EngineError;
use tme_core::store::StoreError;

/// The kinds of `tme` exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `tme.Error`: the base of all.
    Error,
    /// `tme.InputError`: a value that does not fit (its token named).
    Input,
    /// `tme.NotFound`: no such task.
    NotFound,
    /// `tme.Blocked`: dependencies or open subtasks hold the task back.
    Blocked,
    /// `tme.Conflict`: the change conflicts with the task's state, a hook or a later change.
    Conflict,
    /// `tme.StoreError`: the database failed.
    Store,
}

impl Kind {
    /// Every kind, the base first.
    pub const ALL: [Kind; 6] = [
        Kind::Error,
        Kind::Input,
        Kind::NotFound,
        Kind::Blocked,
        Kind::Conflict,
        Kind::Store,
    ];

    /// The class's name in the module.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Error => "Error",
            Kind::Input => "InputError",
            Kind::NotFound => "NotFound",
            Kind::Blocked => "Blocked",
            Kind::Conflict => "Conflict",
            Kind::Store => "StoreError",
        }
    }

    fn doc(self) -> &'static str {
        match self {
            Kind::Error => "The base of every error TME raises.",
            Kind::Input => {
                "A value that does not fit: a bad date, priority, category or filter. `token` \
                 is the capture token that was refused (`due:fryday`), when there is one."
            }
            Kind::NotFound => "No task has that id or title.",
            Kind::Blocked => {
                "Dependencies or open subtasks hold the task back from this step; finish them \
                 first."
            }
            Kind::Conflict => {
                "The change conflicts with the task's state (done already, a cycle), a hook \
                 refused it, or undo would overwrite a later change."
            }
            Kind::Store => "The database could not be read or written.",
        }
    }

    /// The built-in exception this one also is.
    fn builtin(self, py: Python<'_>) -> Bound<'_, PyType> {
        match self {
            Kind::Error | Kind::Blocked | Kind::Conflict => py.get_type::<PyException>(),
            Kind::Input => py.get_type::<PyValueError>(),
            Kind::NotFound => py.get_type::<PyLookupError>(),
            Kind::Store => py.get_type::<PyRuntimeError>(),
        }
    }
}

static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

/// The exception classes, made once per interpreter (`Error` first, then the others on it).
pub fn classes(py: Python<'_>) -> PyResult<&Vec<Py<PyType>>> {
    CLASSES.get_or_try_init(py, || {
        let make = py.get_type::<PyType>();
        let mut made: Vec<Py<PyType>> = Vec::new();
        for kind in Kind::ALL {
            let builtin = kind.builtin(py);
            let bases = match made.first() {
                Some(base) if builtin.is(py.get_type::<PyException>()) => {
                    PyTuple::new(py, [base.bind(py).clone()])?
                }
                Some(base) => PyTuple::new(py, [base.bind(py).clone(), builtin])?,
                None => PyTuple::new(py, [builtin])?,
            };
            let namespace = PyDict::new(py);
            namespace.set_item("__module__", "tme")?;
            namespace.set_item("__doc__", kind.doc())?;
            let class = make.call1((kind.name(), bases, namespace))?;
            made.push(class.cast_into::<PyType>()?.unbind());
        }
        Ok(made)
    })
}

/// An exception of `kind` saying `message`, with `token` set (for every kind, so that
/// `except tme.Error as e: e.token` always works).
pub fn raise(py: Python<'_>, kind: Kind, message: String, token: Option<String>) -> PyErr {
    let made = classes(py).and_then(|all| {
        let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        let class = all[index].bind(py);
        let error = class.call1((message.clone(),))?;
        error.setattr("token", token)?;
        Ok(PyErr::from_value(error))
    });
    made.unwrap_or_else(|e| e)
}

/// A `tme.InputError` without a token.
pub fn input(message: impl Into<String>) -> PyErr {
    Python::attach(|py| raise(py, Kind::Input, message.into(), None))
}

/// What went wrong, as the exception a Python caller sees.
#[derive(Debug)]
pub enum Failure {
    /// The engine refused or failed.
    Engine(EngineError),
    /// Capture text or a field value did not parse.
    Capture(CaptureError),
    /// Settings or the database could not be opened.
    App(AppError),
    /// The configuration is wrong.
    Config(ConfigError),
    /// Raised already (from Python, or made here).
    Python(PyErr),
    /// Said here, to be raised as an exception of this kind once the interpreter is held.
    Said(Kind, String),
    /// A field's value refused: the message, and the capture token it was read as.
    Token(String, String),
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Failure {
        Failure::Engine(e)
    }
}

impl From<CaptureError> for Failure {
    fn from(e: CaptureError) -> Failure {
        Failure::Capture(e)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure::App(e)
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::Config(e)
    }
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Failure {
        Failure::Python(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Engine(EngineError::Store(e))
    }
}

fn capture_token(error: &CaptureError) -> Option<String> {
    match error {
        CaptureError::BadValue { token, .. } | CaptureError::NotHere { token, .. } => {
            Some(token.clone())
        }
        CaptureError::MissingTitle(_) | CaptureError::Text(_) => None,
    }
}

fn engine_kind(error: &EngineError) -> Kind {
    match error {
        EngineError::NotFound(_) => Kind::NotFound,
        EngineError::MissingTitle(_)
        | EngineError::Invalid(_)
        | EngineError::BadRecords { .. }
        | EngineError::InstanceRule { .. } => Kind::Input,
        EngineError::Blocked { .. } | EngineError::OpenSubtasks { .. } => Kind::Blocked,
        EngineError::NotAllowed(_)
        | EngineError::Cycle(_)
        | EngineError::Vetoed(_)
        | EngineError::NothingToUndo
        | EngineError::UndoConflict { .. } => Kind::Conflict,
        EngineError::Store(_) | EngineError::Sync(_) => Kind::Store,
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        Python::attach(|py| match failure {
            Failure::Python(e) => e,
            Failure::Said(kind, message) => raise(py, kind, message, None),
            Failure::Token(message, token) => raise(py, Kind::Input, message, Some(token)),
            Failure::Engine(e) => raise(py, engine_kind(&e), e.to_string(), None),
            Failure::Capture(e) => raise(py, Kind::Input, e.to_string(), capture_token(&e)),
            Failure::Config(e) => raise(py, Kind::Input, e.to_string(), None),
            Failure::App(AppError::Engine(e)) => raise(py, engine_kind(&e), e.to_string(), None),
            Failure::App(AppError::Refused(why)) => raise(py, Kind::Conflict, why, None),
            Failure::App(e @ AppError::NoDatabaseDir { .. }) => {
                raise(py, Kind::Store, e.to_string(), None)
            }
            Failure::App(AppError::Store(e)) => raise(py, Kind::Store, e.to_string(), None),
        })
    }
}

/// What the module's functions return.
pub type Outcome<T> = Result<T, Failure>;
