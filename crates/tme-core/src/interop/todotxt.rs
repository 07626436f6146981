//! todo.txt (one task per line): `x 2026-11-20 2026-11-10 (A) Call the bank +Finance @phone
//! due:2026-11-30`. Priority (A) is high, (B) medium, (C) and below low; `+project` is the
//! category, `@context` a tag, `due:` the due date, `uuid:` the task's uuid (so a file TME wrote
//! finds its tasks again when it comes back), other `key:value` pairs attributes (a key begins
//! with a letter, so `10:30` stays in the title).

use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::domain::{AttrValue, Category, Priority, Status, Tag, Task, TaskId, When};
use crate::engine::Incoming;

/// The namespace of the UUIDs given to todo.txt lines (which have none), so that importing the
/// same line twice finds the same task.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5f1d_0e3c_8a7b_4c2e_9d11_7e57_0d07_0001);

/// A task as one todo.txt line.
///
/// ```
/// use tme_core::domain::{Category, Priority, Task, TaskId, When};
/// let now = chrono::DateTime::parse_from_rfc3339("2026-11-10T09:00:00Z").unwrap().to_utc();
/// let mut task = Task::new(TaskId(1), uuid::Uuid::nil(), "Call the bank", now);
/// task.category = Category::parse("Finance").ok();
/// task.priority = Some(Priority::High);
/// task.due = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).map(When::Day);
/// let line = tme_core::interop::todotxt::to_line(&task, chrono_tz::UTC);
/// assert_eq!(line, "(A) 2026-11-10 Call the bank +Finance due:2026-11-30");
/// ```
pub fn to_line(task: &Task, tz: Tz) -> String {
    let mut parts: Vec<String> = Vec::new();
    let day =
        |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).format("%Y-%m-%d").to_string();
    if task.status == Status::Completed {
        parts.push("x".into());
        if let Some(done) = task.completed {
            parts.push(day(done));
        }
    } else if let Some(p) = task.priority {
        parts.push(
            match p {
                Priority::High => "(A)",
                Priority::Medium => "(B)",
                Priority::Low => "(C)",
            }
            .into(),
        );
    }
    parts.push(day(task.created));
    parts.push(task.title.clone());
    if let Some(c) = &task.category {
        parts.push(format!("+{c}"));
    }
    for tag in &task.tags {
        parts.push(format!("@{tag}"));
    }
    if let Some(due) = task.due {
        parts.push(format!("due:{}", due.local_date(tz).format("%Y-%m-%d")));
    }
    for (key, value) in &task.attrs {
        let text = value.text(tz);
        let own = ["due", "uuid"].contains(&key.as_str());
        if is_key(key) && !own && !text.is_empty() && !text.contains(char::is_whitespace) {
            parts.push(format!("{key}:{text}"));
        }
    }
    if !task.uuid.is_nil() {
        parts.push(format!("uuid:{}", task.uuid));
    }
    parts.join(" ")
}

/// Whether `key` may begin a `key:value` word: a letter, then no colon or space.
fn is_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_alphabetic()) && !key.contains([':', ' '])
}

/// The first moment of `day` where the tasks are kept.
pub fn midnight(day: NaiveDate, tz: Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    tz.from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.to_utc())
}

fn date(word: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(word, "%Y-%m-%d").ok()
}

/// Whether a line begins as a todo.txt task does: its first word a completion mark (`x`), a
/// priority (`(A)`) or a date (`2026-12-01`, as TME writes every task's creation day).
///
/// ```
/// use tme_core::interop::todotxt::starts_like_a_task;
/// assert!(starts_like_a_task("2026-12-01 Pay rent, bills, and tax"));
/// assert!(starts_like_a_task("x 2026-12-02 2026-12-01 Done"));
/// assert!(!starts_like_a_task("2026-12-01,Pay rent,Finance"));
/// ```
pub fn starts_like_a_task(line: &str) -> bool {
    match line.split_whitespace().next() {
        Some("x") => true,
        Some(word) => {
            date(word).is_some()
                || (word.len() == 3 && word.starts_with('(') && word.ends_with(')'))
        }
        None => false,
    }
}

/// Reads one todo.txt line; a line without a creation date was made `now` (the import).
pub fn from_line(
    line: &str,
    now: chrono::DateTime<chrono::Utc>,
    tz: Tz,
) -> Result<Incoming, String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let mut done = false;
    let mut completed = None;
    if words.first() == Some(&"x") {
        done = true;
        words.remove(0);
        if let Some(d) = words.first().and_then(|w| date(w)) {
            completed = Some(d);
            words.remove(0);
        }
    }
    let mut priority = None;
    if let Some(p) = words
        .first()
        .filter(|w| w.len() == 3 && w.starts_with('(') && w.ends_with(')'))
    {
        let letter = p.chars().nth(1).unwrap_or(' ');
        if letter.is_ascii_uppercase() {
            priority = Some(match letter {
                'A' => Priority::High,
                'B' => Priority::Medium,
                _ => Priority::Low,
            });
            words.remove(0);
        }
    }
    let created_day = words.first().and_then(|w| date(w));
    if created_day.is_some() {
        words.remove(0);
    }
    let midnight = |d: NaiveDate| midnight(d, tz);
    let created = created_day.and_then(midnight).unwrap_or(now);
    let mut title = Vec::new();
    let mut uuid = None;
    let mut task = Task::new(TaskId(0), uuid::Uuid::nil(), "", created);
    for word in words {
        if let Some(project) = word.strip_prefix('+').filter(|p| !p.is_empty()) {
            task.category = Some(Category::parse(project).map_err(|e| format!("+{project}: {e}"))?);
        } else if let Some(context) = word.strip_prefix('@').filter(|c| !c.is_empty()) {
            task.tags
                .insert(Tag::parse(context).map_err(|e| format!("@{context}: tag {e}"))?);
        } else if let Some((key, value)) = word
            .split_once(':')
            .filter(|(k, v)| is_key(k) && !v.is_empty() && !v.starts_with('/'))
        {
            if key == "due" {
                let day = date(value)
                    .ok_or_else(|| format!("due:{value}: not a date like 2026-12-01"))?;
                task.due = Some(When::Day(day));
            } else if key == "uuid" {
                uuid = Some(
                    uuid::Uuid::parse_str(value)
                        .map_err(|_| format!("uuid:{value}: not a uuid"))?,
                );
            } else {
                task.attrs
                    .insert(key.to_string(), AttrValue::Text(value.to_string()));
            }
        } else {
            title.push(word);
        }
    }
    task.title = title.join(" ");
    if task.title.is_empty() {
        return Err("the line has no description".into());
    }
    task.priority = priority;
    if done {
        task.status = Status::Completed;
        task.completed = Some(completed.and_then(midnight).unwrap_or(created));
    }
    task.modified = task.completed.unwrap_or(created);
    let name = format!(
        "{}|{}",
        created_day.map(|d| d.to_string()).unwrap_or_default(),
        task.title
    );
    task.uuid = uuid.unwrap_or_else(|| uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()));
    let mut incoming = Incoming::new(task);
    incoming.undated = created_day.is_none();
    Ok(incoming)
}
