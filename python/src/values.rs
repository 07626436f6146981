//! Values between Python and the engine: moments, days and durations both ways, and a Python
//! value given for a field as the capture text that says it (so that `due_date="eom"`,
//! `due_date=date(2026, 12, 24)` and `due:eom` in `tme add` are read by the same grammar).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDelta, PyFloat, PyInt, PyString};
use tme_core::domain::{AttrValue, Duration, When};

use crate::task::Task;

/// A moment as an aware `datetime` in the user's zone (a fixed offset where the zone is not
/// known to Python).
pub fn moment<'py>(py: Python<'py>, at: DateTime<Utc>, tz: Tz) -> PyResult<Bound<'py, PyAny>> {
    match at.with_timezone(&tz).into_pyobject(py) {
        Ok(zoned) => Ok(zoned.into_any()),
        Err(_) => Ok(at
            .with_timezone(&tz)
            .fixed_offset()
            .into_pyobject(py)?
            .into_any()),
    }
}

/// A due, scheduled, wait or until point: a `date` for a whole day, an aware `datetime` for a
/// moment.
pub fn when<'py>(py: Python<'py>, point: When, tz: Tz) -> PyResult<Bound<'py, PyAny>> {
    match point {
        When::Day(day) => Ok(day.into_pyobject(py)?.into_any()),
        When::At(at) => moment(py, at, tz),
    }
}

/// A length of time as a `timedelta`.
pub fn duration<'py>(py: Python<'py>, length: Duration) -> PyResult<Bound<'py, PyAny>> {
    let secs = i64::try_from(length.as_secs()).unwrap_or(i64::MAX);
    Ok(TimeDelta::try_seconds(secs)
        .unwrap_or(TimeDelta::MAX)
        .into_pyobject(py)?
        .into_any())
}

/// A typed attribute's value: `str`, `float`, `date`/`datetime`, `timedelta` or `bool`.
pub fn attr<'py>(py: Python<'py>, value: &AttrValue, tz: Tz) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        AttrValue::Text(text) => text.into_pyobject(py)?.into_any(),
        AttrValue::Number(n) => n.into_pyobject(py)?.into_any(),
        AttrValue::Date(point) => when(py, *point, tz)?,
        AttrValue::Duration(length) => duration(py, *length)?,
        AttrValue::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
    })
}

/// The capture text of a Python value given for field `name`: text as it is, numbers in
/// digits, `True`/`False` as yes/no, a `date` as `2026-12-24`, a `datetime` to the second
/// (with its offset when it has one, else in the user's zone), a `timedelta` in seconds, a
/// task as its id.
pub fn field_text(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_str()?.to_string());
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(if flag.is_true() { "yes" } else { "no" }.to_string());
    }
    if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        return Ok(value.str()?.to_str()?.to_string());
    }
    if value.is_instance_of::<PyDateTime>() {
        let has_zone = !value.getattr("tzinfo")?.is_none();
        return Ok(if has_zone {
            value.extract::<DateTime<FixedOffset>>()?.to_rfc3339()
        } else {
            value
                .extract::<NaiveDateTime>()?
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        });
    }
    if value.is_instance_of::<PyDate>() {
        return Ok(value.extract::<NaiveDate>()?.format("%Y-%m-%d").to_string());
    }
    if value.is_instance_of::<PyDelta>() {
        let length: TimeDelta = value.extract()?;
        if length < TimeDelta::zero() {
            return Err(crate::errors::input(format!(
                "{name}: a length of time cannot be negative"
            )));
        }
        return Ok(format!("{}s", length.num_seconds()));
    }
    if let Ok(task) = value.cast::<Task>() {
        return Ok(task.get().id().to_string());
    }
    Err(PyTypeError::new_err(format!(
        "{name}: expected text, a number, a date, a datetime, a timedelta or a Task, not {}",
        value.get_type().name()?
    )))
}
