//! `import tme`: the TME engine as a Python library, on the same database files (and
//! PostgreSQL URLs) as the `tme` command line and TUI, opened through the same application
//! layer so that a change made from Python sets off what it would from the CLI.
//!
//! - [`manager`]: `tme.TaskManager`, the methods;
//! - [`task`]: `tme.Task` and `tme.Event`, the values they give;
//! - [`fields`], [`refs`], [`values`], [`data`]: what Python gives them, and back;
//! - [`errors`]: the exception hierarchy;
//! - [`events`]: changes heard for the `on` callbacks.

pub mod data;
pub mod errors;
pub mod events;
pub mod fields;
pub mod manager;
pub mod refs;
pub mod task;
pub mod values;

use pyo3::prelude::*;

/// TME, the task engine: tasks with dependencies, recurrence, a journal with undo, and
/// reports, in one file shared with the `tme` command line and TUI.
#[pymodule]
#[pyo3(name = "_tme")]
fn python_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<manager::Manager>()?;
    m.add_class::<task::Task>()?;
    m.add_class::<task::Event>()?;
    for (kind, class) in errors::Kind::ALL.iter().zip(errors::classes(m.py())?) {
        m.add(kind.name(), class.bind(m.py()))?;
    }
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
