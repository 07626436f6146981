//! The four formats as one choice: by name or by the look of a file, read whole, written from
//! tasks, and what of a task each keeps ([`Format::carried`]), so that an export can say what it
//! left out and the round-trip test can hold every format to its word.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use uuid::Uuid;

use super::{ics, json, taskwarrior, todotxt};
use crate::domain::types::TaskTypes;
use crate::domain::{RecurrenceLink, RecurrenceRule, Series, Status, Task, TaskId, When};
use crate::engine::{Incoming, TaskView};

/// A format tasks are read from and written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// TME's own JSON, as `tme export` writes it: every field.
    Json,
    /// Taskwarrior's JSON, as `task export` writes and `task import` reads it.
    Taskwarrior,
    /// todo.txt, one task per line.
    TodoTxt,
    /// iCalendar (VTODOs and VEVENTs).
    Ics,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [
        Format::Json,
        Format::Taskwarrior,
        Format::TodoTxt,
        Format::Ics,
    ];

    /// The format a name means (`json`, `taskwarrior`, `todotxt`, `ics` and their short forms).
    ///
    /// ```
    /// use tme_core::interop::format::Format;
    /// assert_eq!(Format::named("tw"), Ok(Format::Taskwarrior));
    /// assert!(Format::named("csv").unwrap_err().contains("'csv' is not a format"));
    /// ```
    pub fn named(name: &str) -> Result<Format, String> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "taskwarrior" | "tw" => Format::Taskwarrior,
            "json" | "tme" => Format::Json,
            "todotxt" | "todo.txt" => Format::TodoTxt,
            "ics" | "ical" | "icalendar" => Format::Ics,
            _ => {
                return Err(format!(
                    "'{name}' is not a format; use taskwarrior, json, todotxt or ics"
                ));
            }
        })
    }

    /// The format's name, as [`Format::named`] takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Taskwarrior => "taskwarrior",
            Format::TodoTxt => "todotxt",
            Format::Ics => "ics",
        }
    }

    /// The format of a file that does not say: iCalendar begins with BEGIN:VCALENDAR; JSON with
    /// `[` or `{` is TME's own when its first record has a `title` (description or not: TME's
    /// records may have one too, Taskwarrior's never have a title), Taskwarrior's otherwise;
    /// other text is todo.txt, unless it is plainly something else (binary, markup, a table of
    /// comma-separated values), which is no format TME reads.
    fn guess(text: &str, first: Option<&str>) -> Result<Format, String> {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if start
            .get(..15)
            .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
        {
            return Ok(Format::Ics);
        }
        let first = first.and_then(|r| serde_json::from_str::<Value>(r).ok());
        match first {
            Some(first) if first.get("title").is_some() => Ok(Format::Json),
            _ if start.starts_with(['[', '{']) => Ok(Format::Taskwarrior),
            _ => match not_todo_txt(start) {
                Some(what) => Err(format!(
                    "the file looks like {what}, which is no format TME reads (TME's or Taskwarrior's JSON, todo.txt, iCalendar); --format todotxt reads it as todo.txt lines all the same"
                )),
                None => Ok(Format::TodoTxt),
            },
        }
    }

    /// What of `task` comes back when it is written in this format and read again: the task
    /// with what the format cannot hold cleared or coarsened, or `None` when the format leaves
    /// the whole task out (todo.txt has no deleted tasks or series; iCalendar leaves an open
    /// occurrence to its series' rule).
    pub fn carried(self, task: &Task, tz: Tz) -> Option<Task> {
        match self {
            Format::Json => Some(task.clone()),
            Format::Taskwarrior => Some(taskwarrior_carried(task, tz)),
            Format::TodoTxt => todotxt_carried(task, tz),
            Format::Ics => ics_carried(task, tz),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A moment to the second, as Taskwarrior and iCalendar write it.
fn second(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(0)
}

fn when_second(when: When) -> When {
    match when {
        When::At(at) => When::At(second(at)),
        day => day,
    }
}

fn taskwarrior_carried(task: &Task, tz: Tz) -> Task {
    let mut kept = task.clone();
    kept.created = second(task.created);
    kept.modified = second(task.modified);
    kept.started = task.started.map(second);
    kept.completed = task.completed.map(second);
    // Taskwarrior's `start` means the clock runs: a started task is tracked from it.
    kept.tracking_since = match task.status {
        Status::Started => task.tracking_since.or(task.started).map(second),
        _ => None,
    };
    if task.status == Status::Waiting {
        kept.status = Status::Pending;
    }
    for when in [
        &mut kept.due,
        &mut kept.scheduled,
        &mut kept.wait,
        &mut kept.until,
    ] {
        *when = when.map(|w| taskwarrior::when_carried(w, tz));
    }
    if let Some(RecurrenceLink::Instance {
        template,
        occurrence,
    }) = &task.recurrence
    {
        kept.recurrence = Some(RecurrenceLink::Instance {
            template: *template,
            occurrence: second(*occurrence),
        });
    }
    for note in &mut kept.annotations {
        note.at = second(note.at);
    }
    kept.attrs = taskwarrior::attrs_carried(&task.attrs, tz);
    kept
}

fn todotxt_carried(task: &Task, tz: Tz) -> Option<Task> {
    if task.status == Status::Deleted || task.is_template() {
        return None;
    }
    // The words of the line decide the title, category, tags and attributes as the reader
    // finds them (a title word like +Home or key:value is read as what it looks like).
    let line = todotxt::from_line(&todotxt::to_line(task, tz), task.created, tz)
        .ok()?
        .task;
    let day = |at: DateTime<Utc>| todotxt::midnight(at.with_timezone(&tz).date_naive(), tz);
    let created = day(task.created).unwrap_or(DateTime::UNIX_EPOCH);
    let mut kept = Task::new(task.id, task.uuid, line.title, created);
    kept.category = line.category;
    kept.tags = line.tags;
    kept.attrs = line.attrs;
    if task.status == Status::Completed {
        kept.status = Status::Completed;
        kept.completed = Some(task.completed.and_then(day).unwrap_or(created));
    } else {
        kept.priority = task.priority;
    }
    kept.modified = kept.completed.unwrap_or(created);
    kept.due = task.due.map(|d| When::Day(d.local_date(tz)));
    Some(kept)
}

fn ics_carried(task: &Task, tz: Tz) -> Option<Task> {
    let rule = match &task.recurrence {
        Some(RecurrenceLink::Template { rule }) => Some(rule),
        Some(RecurrenceLink::Instance { .. }) if task.status.is_open() => return None,
        _ => None,
    };
    let rrule = rule.and_then(|r| r.rrule_text());
    let mut kept = Task::new(task.id, task.uuid, task.title.trim(), second(task.created));
    kept.modified = second(task.modified);
    kept.description = task.description.clone();
    kept.category = task.category.clone();
    kept.tags = task.tags.clone();
    kept.priority = task.priority;
    kept.due = task.due.map(when_second);
    let start = match rule {
        Some(_) => Some(Series::anchor_of(task, tz)),
        None => task.scheduled,
    };
    kept.scheduled = start.map(when_second).filter(|s| Some(*s) != kept.due);
    kept.status = match task.status {
        Status::Waiting | Status::Recurring => Status::Pending,
        other => other,
    };
    if !kept.status.is_open() {
        kept.completed = task.completed.map(second).or(Some(kept.modified));
    }
    if kept.status == Status::Started {
        kept.started = Some(kept.modified);
    }
    if let Some(rrule) = rrule {
        kept.recurrence = RecurrenceRule::parse(&rrule)
            .ok()
            .map(|rule| RecurrenceLink::Template { rule });
        kept.until = task.until.map(|u| ics::until_carried(u, tz));
    }
    Some(kept)
}

/// What a text that is not JSON or iCalendar plainly is instead of todo.txt, if anything:
/// binary data (control characters), markup (`<`), or comma-separated values (every one of the
/// first lines with the same two or more commas, as a spreadsheet or Todoist writes them, and
/// none begun as a todo.txt task is: titles have commas too).
fn not_todo_txt(text: &str) -> Option<&'static str> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Some("binary data");
    }
    if text.starts_with('<') {
        return Some("markup (XML or HTML)");
    }
    let first: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .collect();
    let commas: Vec<usize> = first.iter().map(|l| l.matches(',').count()).collect();
    let table = commas.len() >= 2
        && commas[0] >= 2
        && commas.iter().all(|c| *c == commas[0])
        && !first.iter().any(|l| super::todotxt::starts_like_a_task(l));
    table.then_some("comma-separated values")
}

/// A file's tasks as read: the format it was read as, a record per task (or why it could not
/// be read), and entries passed over on purpose.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The format the file was read as.
    pub format: Format,
    /// One record per task, in file order.
    pub records: Vec<Result<Incoming, String>>,
    /// Entries passed over, and why (changed occurrences of an iCalendar series).
    pub skipped: Vec<String>,
}

/// The text of each record of a JSON file (or why it is not JSON).
type Records<'a> = Vec<Result<&'a str, String>>;

/// The records of a JSON file: an array, or one object per line (Taskwarrior's 2.x form).
fn json_records(text: &str) -> Option<Result<Records<'_>, String>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('[') {
        return Some(
            serde_json::from_str::<Vec<&serde_json::value::RawValue>>(trimmed)
                .map(|list| list.into_iter().map(|r| Ok(r.get())).collect())
                .map_err(|e| format!("not a JSON array of tasks: {e}")),
        );
    }
    trimmed.starts_with('{').then(|| {
        Ok(trimmed
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<&serde_json::value::RawValue>(l)
                    .map(|r| r.get())
                    .map_err(|e| format!("not JSON: {e}"))
            })
            .collect())
    })
}

/// Reads a whole file in `format`, or in the format it looks like when `None`. A file that
/// cannot be read at all (JSON that is not JSON, an iCalendar file broken in its structure) is
/// an error; a record that cannot be a task is an error of its own in `records`.
///
/// ```
/// use tme_core::interop::format::{Format, read};
/// let text = "(A) 2026-11-10 Call the bank +Finance due:2026-11-30\n";
/// let reading = read(text, None, &Default::default(), chrono::Utc::now(), chrono_tz::UTC).unwrap();
/// assert_eq!(reading.format, Format::TodoTxt);
/// assert_eq!(reading.records[0].as_ref().unwrap().task.title, "Call the bank");
/// ```
pub fn read(
    text: &str,
    format: Option<Format>,
    types: &TaskTypes,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Reading, String> {
    // JSON is split into records only when it may be JSON: a todo.txt line may begin with [.
    let records = match format {
        Some(Format::TodoTxt | Format::Ics) => None,
        _ => json_records(text),
    };
    let format = match format {
        Some(format) => format,
        None => {
            let first = records
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|r| r.iter().flatten().next().copied());
            Format::guess(text, first)?
        }
    };
    let records = || match records {
        Some(records) => records,
        None => Err("the file is not JSON: it begins with neither [ nor {".into()),
    };
    let mut skipped = Vec::new();
    let records = match format {
        Format::TodoTxt => text
            .lines()
            .map(|l| l.trim_start_matches('\u{feff}'))
            .filter(|l| !l.trim().is_empty())
            .map(|l| todotxt::from_line(l, now, tz))
            .collect(),
        Format::Taskwarrior => records()?
            .into_iter()
            .map(|r| {
                let value: Value = serde_json::from_str(r?).map_err(|e| e.to_string())?;
                let mut record =
                    taskwarrior::from_taskwarrior(&value, now, tz).map_err(|e| e.to_string())?;
                taskwarrior::typed_attrs(&mut record.task, types, tz);
                Ok(record)
            })
            .collect(),
        Format::Json => json::read(records()?, types, now),
        Format::Ics => {
            let file = ics::read(text, now, tz)?;
            skipped = file.skipped;
            file.records
        }
    };
    let carried = crate::engine::Carried {
        format: format.name(),
        keeps: match format {
            Format::Json => |t, tz| Format::Json.carried(t, tz),
            Format::Taskwarrior => |t, tz| Format::Taskwarrior.carried(t, tz),
            Format::TodoTxt => |t, tz| Format::TodoTxt.carried(t, tz),
            Format::Ics => |t, tz| Format::Ics.carried(t, tz),
        },
    };
    let records = records
        .into_iter()
        .map(|r| {
            r.map(|mut r: Incoming| {
                r.carried = Some(carried);
                r
            })
        })
        .collect();
    Ok(Reading {
        format,
        records,
        skipped,
    })
}

/// Tasks written in a format, and what the format could not hold of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file's text.
    pub text: String,
    /// Each field some tasks lost, with how many (`description`, 3); `tasks` for tasks left
    /// out whole. Empty when the format kept everything.
    pub left_out: Vec<(&'static str, usize)>,
}

impl Written {
    /// What was left out in one line, or `None` when nothing was: `todo.txt has no place for:
    /// description (3 tasks), depends (1 task)`.
    pub fn note(&self, format: Format) -> Option<String> {
        if self.left_out.is_empty() {
            return None;
        }
        let count = |n: usize| {
            if n == 1 {
                "1 task".into()
            } else {
                format!("{n} tasks")
            }
        };
        let parts: Vec<String> = self
            .left_out
            .iter()
            .map(|(field, n)| match *field {
                "tasks" => format!("{} (left out whole)", count(*n)),
                field => format!("{field} ({})", count(*n)),
            })
            .collect();
        Some(format!(
            "{format} has no place for: {}; --format json keeps everything",
            parts.join(", ")
        ))
    }
}

/// Writes `views` in `format`. `uuid_of` gives the uuid of a task one of them links to.
pub fn write(
    format: Format,
    views: &[TaskView],
    uuid_of: &dyn Fn(TaskId) -> Option<Uuid>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Written, String> {
    let tasks = || views.iter().map(|v| &*v.task);
    let text = match format {
        Format::Json => json_text(views, uuid_of, now, tz)?,
        Format::Taskwarrior => {
            let lines: Vec<Value> = tasks()
                .map(|t| taskwarrior::to_taskwarrior(t, tz, uuid_of))
                .collect();
            let mut text = serde_json::to_string_pretty(&lines).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        }
        Format::TodoTxt => tasks()
            .filter(|t| format.carried(t, tz).is_some())
            .map(|t| format!("{}\n", todotxt::to_line(t, tz)))
            .collect(),
        Format::Ics => {
            let tasks: Vec<Task> = tasks().cloned().collect();
            ics::export(&tasks, now, tz)
        }
    };
    let mut left_out: BTreeMap<&'static str, usize> = BTreeMap::new();
    for task in tasks() {
        match format.carried(task, tz) {
            None => *left_out.entry("tasks").or_default() += 1,
            Some(kept) => {
                for change in crate::domain::changed_fields(task, &kept, tz) {
                    *left_out.entry(change.field).or_default() += 1;
                }
                if kept.recurrence != task.recurrence && kept.recurrence.is_none() {
                    *left_out.entry("recurrence").or_default() += 1;
                }
            }
        }
    }
    Ok(Written {
        text,
        left_out: left_out.into_iter().collect(),
    })
}

/// Tasks as TME JSON, one pretty array (what `--json` prints and `tme export` writes).
pub fn json_text(
    views: &[TaskView],
    uuid_of: &dyn Fn(TaskId) -> Option<Uuid>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<String, String> {
    let items: Vec<_> = views
        .iter()
        .map(|v| json::task_json(v, now, tz, |id| uuid_of(id).unwrap_or_default()))
        .collect();
    let mut text = serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}
