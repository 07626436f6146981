//! The quick-capture grammar (DESIGN §5), shared by `tme add`, `tme modify`, filters and the
//! TUI's quick-add line.
//!
//! Words form the title; recognised tokens set fields: `#Category`, `+tag`, `-tag`, `due:`,
//! `sched:`, `wait:`, `until:`, `every:`, `pri:`, `dep:`, `est:`, `type:`, `parent:`, `cat:` and
//! `desc:`. Filters also take `status:`, `due.before:`, `due.after:` and ids (`12`, `3,4`,
//! `10-15`). A token that is not recognised stays in the title; a recognised key with a bad
//! value is an error that names the token.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use tme_core::domain::{capture, TimeContext};
//! let ctx = TimeContext::new(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(), chrono_tz::UTC);
//! let task = capture::parse_new_task(&capture::lex("Pay rent #Finance due:eom every:monthly"), &ctx).unwrap();
//! assert_eq!(task.title, "Pay rent");
//! assert_eq!(task.category.unwrap().as_str(), "Finance");
//! assert_eq!(task.due.unwrap().to_string(), "2026-11-30");
//! // Due at the end of the month, every month: the end of every month, February too.
//! assert_eq!(task.recurrence.unwrap().to_string(), "eom");
//! ```

mod format;
mod lexer;
mod words;

pub use format::format_changes;
pub use lexer::{Token, is_bare, lex, quote};
pub use words::{Key, Word, classify};

use super::changes::{MissingTitle, NewTask, TaskChanges};
use super::dates::{parse_when, try_parse_when};
use super::duration::Duration;
use super::filter::{Filter, StatusFilter};
use super::names::Tag;
use super::recurrence::{Pattern, RecurrenceRule, Unit};
use super::task::{DepKind, Dependency, Priority, Status, TaskId};
use super::text::{TextError, check_note, check_title};
use super::when::{TimeContext, When};

/// The most ids one range (`1-500`) may name.
pub const MAX_ID_RANGE: u64 = 10_000;

/// Why capture text was refused. Every message names the offending token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// A recognised key with a value that does not fit.
    #[error("{token}: {reason}")]
    BadValue {
        /// The token as typed (`due:fryday`).
        token: String,
        /// What is wrong and what would be right.
        reason: String,
    },
    /// A key that does not apply here (`status:` when adding, `every:` in a filter).
    #[error("{token}: '{key}:' {why}")]
    NotHere {
        /// The token as typed.
        token: String,
        /// The key's name.
        key: &'static str,
        /// Where it does apply.
        why: &'static str,
    },
    /// A new task without title words.
    #[error(transparent)]
    MissingTitle(#[from] MissingTitle),
    /// A title or description that is too long or has control characters.
    #[error(transparent)]
    Text(#[from] TextError),
}

/// Turns command-line arguments into tokens: each argument is lexed, so both
/// `tme add Pay rent due:eom` and `tme add "Pay rent due:eom"` mean the same.
pub fn tokens_from_args<S: AsRef<str>>(args: &[S]) -> Vec<Token> {
    args.iter().flat_map(|a| lex(a.as_ref())).collect()
}

/// Parses the text of `tme add` into a new task.
pub fn parse_new_task(tokens: &[Token], ctx: &TimeContext) -> Result<NewTask, CaptureError> {
    let changes = parse_fields(tokens, ctx, Mode::Add)?;
    Ok(NewTask::try_from(changes)?)
}

/// Parses the modifications of `tme modify`: title words replace the title, `-tag` removes a
/// tag, and an empty value (`due:`) clears a field.
pub fn parse_changes(tokens: &[Token], ctx: &TimeContext) -> Result<TaskChanges, CaptureError> {
    parse_fields(tokens, ctx, Mode::Modify)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Add,
    Modify,
}

fn bad(key: Key, value: &str, reason: impl Into<String>) -> CaptureError {
    CaptureError::BadValue {
        token: format!("{}:{value}", key.name()),
        reason: reason.into(),
    }
}

/// The longest phrase of `value` and up to `most` following plain words that `parse` accepts,
/// with how many words it took (`due:next monday`, `every:last fri`, when the shell or the
/// typist split the phrase).
fn longer_phrase<T>(
    value: &str,
    rest: &[Token],
    most: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<(T, usize)> {
    let extra: Vec<&str> = rest
        .iter()
        .take(most)
        .take_while(|t| matches!(classify(t), Word::Text(_)) && !t.literal)
        .map(|t| t.text.as_str())
        .collect();
    (1..=extra.len()).rev().find_map(|n| {
        let phrase = format!("{value} {}", extra[..n].join(" "));
        parse(&phrase).map(|found| (found, n))
    })
}

/// Reads a date value, taking up to three following plain words when they extend the phrase
/// (`due:next monday`, `due:fri 14:00`, `due:in 2 weeks`). Returns the date and how many extra
/// tokens were used.
fn date_value(
    key: Key,
    value: &str,
    rest: &[Token],
    ctx: &TimeContext,
) -> Result<(When, usize), CaptureError> {
    if let Some(found) = longer_phrase(value, rest, 3, |p| try_parse_when(p, ctx)) {
        return Ok(found);
    }
    let what = match key {
        Key::Due => "due date",
        Key::Scheduled => "scheduled date",
        Key::Wait => "wait date",
        Key::Until => "end date",
        _ => "date",
    };
    parse_when(value, ctx)
        .map(|when| (when, 0))
        .map_err(|e| bad(key, value, format!("the {what} {e}")))
}

fn parse_ids(key: Key, value: &str) -> Result<Vec<TaskId>, CaptureError> {
    value
        .split(',')
        .map(|part| match part.trim().parse::<u64>() {
            Ok(id) if id > 0 => Ok(TaskId(id)),
            _ => Err(bad(
                key,
                value,
                format!("'{part}' is not a task id; ids are whole numbers like 12"),
            )),
        })
        .collect()
}

fn parse_dependencies(value: &str) -> Result<Vec<Dependency>, CaptureError> {
    let (kind, ids) = match value.split_once(':') {
        Some((kind, ids)) => {
            let kind = DepKind::parse(kind).ok_or_else(|| {
                bad(
                    Key::Depends,
                    value,
                    format!("'{kind}' is not a dependency kind; use fs, ss, ff or rel (dep:ss:12)"),
                )
            })?;
            (kind, ids)
        }
        None => (DepKind::FinishToStart, value),
    };
    Ok(parse_ids(Key::Depends, ids)
        .map_err(|_| {
            bad(
                Key::Depends,
                value,
                "give task ids, e.g. dep:12 or dep:12,13 or dep:ss:12",
            )
        })?
        .into_iter()
        .map(|on| Dependency { on, kind })
        .collect())
}

fn parse_priority(value: &str) -> Result<Option<Priority>, CaptureError> {
    if value.is_empty() || value.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    Priority::parse(value).map(Some).ok_or_else(|| {
        bad(
            Key::Priority,
            value,
            format!("'{value}' is not a priority; use pri:H, pri:M or pri:L"),
        )
    })
}

fn parse_fields(
    tokens: &[Token],
    ctx: &TimeContext,
    mode: Mode,
) -> Result<TaskChanges, CaptureError> {
    let mut changes = TaskChanges::default();
    let mut title: Vec<String> = Vec::new();
    let mut end_of_month = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        i += 1;
        match classify(token) {
            Word::Category(c) => changes.category = Some(Some(c)),
            Word::AddTag(t) => changes.add_tags.push(t),
            Word::RemoveTag(t) if mode == Mode::Modify => changes.remove_tags.push(t),
            Word::RemoveTag(_) | Word::Text(_) => title.push(token.text.clone()),
            Word::Field { key, value } => {
                if value.eq_ignore_ascii_case("eom") {
                    end_of_month.push(key);
                }
                i += set_field(&mut changes, key, &value, &tokens[i..], ctx)?;
            }
        }
    }
    keep_month_ends(&mut changes, &end_of_month);
    let joined = title.join(" ");
    let normalized: String = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    if !normalized.is_empty() {
        check_title(&normalized)?;
        changes.title = Some(normalized);
    }
    Ok(changes)
}

/// `due:eom every:monthly` means the end of every month, not the 30th (which February lacks):
/// a monthly rule anchored on `eom` becomes [`Pattern::LastDayOfMonth`].
fn keep_month_ends(changes: &mut TaskChanges, end_of_month: &[Key]) {
    let anchor = match (&changes.scheduled, &changes.due) {
        (Some(Some(_)), _) => Key::Scheduled,
        (_, Some(Some(_))) => Key::Due,
        _ => return,
    };
    if let Some(Some(rule)) = &mut changes.recurrence
        && end_of_month.contains(&anchor)
        && !rule.after_completion
        && rule.pattern
            == (Pattern::Every {
                n: 1,
                unit: Unit::Month,
            })
    {
        rule.pattern = Pattern::LastDayOfMonth;
    }
}

/// Applies one `key:value` field; returns how many following tokens it used.
fn set_field(
    changes: &mut TaskChanges,
    key: Key,
    value: &str,
    rest: &[Token],
    ctx: &TimeContext,
) -> Result<usize, CaptureError> {
    let clear = value.is_empty();
    let date = |c: &mut Option<Option<When>>| -> Result<usize, CaptureError> {
        if clear {
            *c = Some(None);
            return Ok(0);
        }
        let (when, used) = date_value(key, value, rest, ctx)?;
        *c = Some(Some(when));
        Ok(used)
    };
    match key {
        Key::Due => return date(&mut changes.due),
        Key::Scheduled => return date(&mut changes.scheduled),
        Key::Wait => return date(&mut changes.wait),
        Key::Until => return date(&mut changes.until),
        Key::Every => {
            if clear {
                changes.recurrence = Some(None);
                return Ok(0);
            }
            if let Some((rule, used)) =
                longer_phrase(value, rest, 2, |p| RecurrenceRule::parse(p).ok())
            {
                changes.recurrence = Some(Some(rule));
                return Ok(used);
            }
            let rule = RecurrenceRule::parse(value).map_err(|e| bad(key, value, e.to_string()))?;
            changes.recurrence = Some(Some(rule));
        }
        Key::Priority => changes.priority = Some(parse_priority(value)?),
        Key::Depends => changes.add_depends.extend(parse_dependencies(value)?),
        Key::Estimate => {
            changes.estimate = Some(if clear {
                None
            } else {
                Some(Duration::parse(value).ok_or_else(|| {
                    bad(
                        key,
                        value,
                        format!("'{value}' is not a duration of at most 36525d; try est:90m, est:1h30m or est:2d"),
                    )
                })?)
            });
        }
        Key::Type => {
            changes.task_type = Some(if clear {
                None
            } else {
                let name =
                    Tag::parse(value).map_err(|e| bad(key, value, format!("task type {e}")))?;
                Some(name.as_str().to_string())
            });
        }
        Key::Parent => {
            changes.parent = Some(if clear {
                None
            } else {
                parse_ids(key, value)?
                    .first()
                    .copied()
                    .filter(|_| !value.contains(','))
                    .map(Some)
                    .ok_or_else(|| bad(key, value, "a task has one parent: parent:12"))?
            });
        }
        Key::Category => {
            changes.category = Some(if clear {
                None
            } else {
                Some(
                    crate::domain::Category::parse(value)
                        .map_err(|e| bad(key, value, format!("category {e}")))?,
                )
            });
        }
        Key::Description => {
            check_note(value, "description")?;
            changes.description = Some(value.to_string());
        }
        Key::Status | Key::DueBefore | Key::DueAfter => {
            return Err(CaptureError::NotHere {
                token: format!("{}:{value}", key.name()),
                key: key.name(),
                why: "only works in filters; use tme done, tme start or tme delete to change a status",
            });
        }
    }
    Ok(0)
}

fn parse_statuses(value: &str) -> Result<StatusFilter, CaptureError> {
    let mut list = Vec::new();
    for part in value.split(',') {
        match part.trim().to_ascii_lowercase().as_str() {
            "all" | "any" => return Ok(StatusFilter::Any),
            "open" => list.extend([Status::Pending, Status::Started, Status::Waiting]),
            "done" => list.push(Status::Completed),
            other => list.push(Status::parse(other).ok_or_else(|| {
                bad(
                    Key::Status,
                    value,
                    format!("'{part}' is not a status; use pending, started, waiting, recurring, completed, deleted, open or all"),
                )
            })?),
        }
    }
    Ok(StatusFilter::Only(list))
}

/// Reads `12`, `3,4` or `10-15` as ids; `None` if the word is not an id list.
fn parse_id_word(word: &str) -> Option<Result<Vec<TaskId>, CaptureError>> {
    if word.is_empty()
        || !word
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
    {
        return None;
    }
    let mut ids = Vec::new();
    for part in word.split(',') {
        let (low, high) = match part.split_once('-') {
            Some((a, b)) => (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?),
            None => {
                let id = part.parse::<u64>().ok()?;
                (id, id)
            }
        };
        if low == 0 || high < low {
            return None;
        }
        if high - low >= MAX_ID_RANGE {
            return Some(Err(CaptureError::BadValue {
                token: word.to_string(),
                reason: format!("a range may name at most {MAX_ID_RANGE} ids"),
            }));
        }
        ids.extend((low..=high).map(TaskId));
    }
    Some(Ok(ids))
}

/// Parses a filter: fields narrow the set, numbers name ids, other words must appear in the
/// title or description.
pub fn parse_filter(tokens: &[Token], ctx: &TimeContext) -> Result<Filter, CaptureError> {
    let mut filter = Filter::default();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        i += 1;
        match classify(token) {
            Word::Category(c) => filter.category = Some(Some(c)),
            Word::AddTag(t) if !virtual_tag(&mut filter, &t, true, ctx)? => filter.tags.push(t),
            Word::RemoveTag(t) if !virtual_tag(&mut filter, &t, false, ctx)? => {
                filter.without_tags.push(t)
            }
            Word::AddTag(_) | Word::RemoveTag(_) => {}
            Word::Text(text) => match (token.literal, parse_id_word(&text)) {
                (false, Some(ids)) => filter.ids.extend(ids?),
                _ => filter.words.push(text),
            },
            Word::Field { key, value } => {
                i += filter_field(&mut filter, key, &value, &tokens[i..], ctx)?;
            }
        }
    }
    // Asking for ids means those tasks, whatever their status, unless a status is also given.
    if !filter.ids.is_empty() && filter.status == StatusFilter::Actionable {
        filter.status = StatusFilter::Any;
    }
    Ok(filter)
}

/// Taskwarrior's virtual tags that TME has no filter for, with what to type instead.
const OTHER_VIRTUAL_TAGS: [(&str, &str); 24] = [
    (
        "BLOCKED",
        "tme list marks blocked tasks with ⊘; tme blocked lists them",
    ),
    ("UNBLOCKED", "tme next lists what can be done now"),
    ("BLOCKING", "tme tree ID shows what waits on a task"),
    ("READY", "tme next lists what can be done now"),
    ("DUE", "due.before:+7d"),
    ("YESTERDAY", "due:yesterday"),
    ("WEEK", "due.before:sonw"),
    ("MONTH", "due.before:sonm"),
    ("QUARTER", "due.before:sonq"),
    ("YEAR", "due.before:sony"),
    ("SCHEDULED", "tme agenda"),
    ("UNTIL", "tme show ID"),
    ("TAGGED", "+NAME for a tag"),
    ("ANNOTATED", "tme show ID"),
    ("PROJECT", "project:NAME"),
    ("PRIORITY", "pri:H, pri:M or pri:L"),
    ("PARENT", "status:recurring for series"),
    ("TEMPLATE", "status:recurring"),
    ("RECURRING", "status:recurring for series"),
    ("CHILD", "parent:ID"),
    ("INSTANCE", "tme show ID of the series"),
    ("ORPHAN", "tme check"),
    ("UDA", "type:NAME"),
    ("LATEST", "tme list --sort created"),
];

/// Taskwarrior's virtual tags in a filter (`+OVERDUE`, `+TODAY`, `+ACTIVE`, `+WAITING`…):
/// the ones TME can say are turned into the filter they mean, the rest are refused with what
/// to type instead, so that a switching user never gets a silent empty list. Whether the tag
/// was one (`false`: an ordinary tag).
fn virtual_tag(
    filter: &mut Filter,
    tag: &crate::domain::Tag,
    wanted: bool,
    ctx: &TimeContext,
) -> Result<bool, CaptureError> {
    let name = tag.as_str();
    let sign = if wanted { '+' } else { '-' };
    let today = ctx.today();
    let means = match name {
        "OVERDUE" => Some(Virtual::Overdue),
        "TODAY" => Some(Virtual::DueOn(When::Day(today))),
        "TOMORROW" => today.succ_opt().map(|d| Virtual::DueOn(When::Day(d))),
        "ACTIVE" => Some(Virtual::Status(Status::Started)),
        "WAITING" => Some(Virtual::Status(Status::Waiting)),
        "PENDING" => Some(Virtual::Status(Status::Pending)),
        "COMPLETED" => Some(Virtual::Status(Status::Completed)),
        "DELETED" => Some(Virtual::Status(Status::Deleted)),
        _ => None,
    };
    let refuse = |instead: &str| CaptureError::BadValue {
        token: format!("{sign}{name}"),
        reason: format!(
            "Taskwarrior's virtual tag {sign}{name} has no counterpart here{}; use {instead}",
            if wanted { "" } else { " when negated" }
        ),
    };
    match (means, wanted) {
        (Some(Virtual::Overdue), true) => filter.overdue = true,
        (Some(Virtual::DueOn(when)), true) => filter.due = Some(Some(when)),
        (Some(Virtual::Status(s)), true) => filter.status = StatusFilter::Only(vec![s]),
        (Some(_), false) => {
            return Err(refuse("the positive form, or a status: or due. filter"));
        }
        (None, _) => match OTHER_VIRTUAL_TAGS.iter().find(|(n, _)| *n == name) {
            Some((_, instead)) => return Err(refuse(instead)),
            None => return Ok(false),
        },
    }
    Ok(true)
}

/// What a virtual tag TME understands stands for.
enum Virtual {
    Overdue,
    DueOn(When),
    Status(Status),
}

fn filter_field(
    filter: &mut Filter,
    key: Key,
    value: &str,
    rest: &[Token],
    ctx: &TimeContext,
) -> Result<usize, CaptureError> {
    let none = value.is_empty() || value.eq_ignore_ascii_case("none");
    match key {
        Key::Status => filter.status = parse_statuses(value)?,
        Key::Priority => filter.priority = Some(parse_priority(value)?),
        Key::Category if none => filter.category = Some(None),
        Key::Category => {
            filter.category = Some(Some(
                crate::domain::Category::parse(value)
                    .map_err(|e| bad(key, value, format!("category {e}")))?,
            ));
        }
        Key::Type => filter.task_type = Some(value.to_string()),
        Key::Parent => filter.parent = parse_ids(key, value)?.first().copied(),
        Key::Due if none => filter.due = Some(None),
        Key::Due | Key::DueBefore | Key::DueAfter => {
            let (when, used) = date_value(key, value, rest, ctx)?;
            match key {
                Key::Due => filter.due = Some(Some(when)),
                Key::DueBefore => filter.due_before = Some(when),
                _ => filter.due_after = Some(when),
            }
            return Ok(used);
        }
        Key::Scheduled
        | Key::Wait
        | Key::Until
        | Key::Every
        | Key::Depends
        | Key::Estimate
        | Key::Description => {
            return Err(CaptureError::NotHere {
                token: format!("{}:{value}", key.name()),
                key: key.name(),
                why: "cannot be used in a filter; filter by status:, #category, +tag, -tag, pri:, due:, due.before:, due.after:, type:, parent:, ids or words",
            });
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests;
