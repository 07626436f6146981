//! Writing an iCalendar file of open tasks: a VTODO for each task with a due date, and one
//! with an RRULE for each recurring series.

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::domain::{Priority, RecurrenceLink, Series, Status, Task, When};
use crate::interop::taskwarrior::stamp;

/// Escapes text for a property value.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, as RFC 5545 §3.1 asks, never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

fn date_property(name: &str, when: When) -> String {
    match when {
        When::Day(day) => format!("{name};VALUE=DATE:{}", day.format("%Y%m%d")),
        When::At(at) => format!("{name}:{}", stamp(at)),
    }
}

/// The calendar of `tasks` (open ones with a due date, and recurring series), at `now`: what
/// a calendar app subscribes to.
///
/// ```
/// use tme_core::domain::{Task, TaskId, When};
/// let now = chrono::Utc::now();
/// let mut task = Task::new(TaskId(1), uuid::Uuid::nil(), "Pay rent, finally", now);
/// task.due = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).map(When::Day);
/// let ics = tme_core::interop::ics::calendar(&[task], now, chrono_tz::UTC);
/// assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
/// assert!(ics.contains("SUMMARY:Pay rent\\, finally\r\n"));
/// assert!(ics.contains("DUE;VALUE=DATE:20261130\r\n"));
/// ```
pub fn calendar(tasks: &[Task], now: DateTime<Utc>, tz: Tz) -> String {
    write(tasks, now, tz, Scope::Subscribed)
}

/// Every one of `tasks` as a VTODO (undated and closed ones too), for `tme export`: what
/// [`read`](super::read) brings back. An open occurrence of a series is left to the series'
/// RRULE.
pub fn export(tasks: &[Task], now: DateTime<Utc>, tz: Tz) -> String {
    write(tasks, now, tz, Scope::Everything)
}

/// Which tasks a calendar holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Open tasks with a date, and open series: what a calendar app shows.
    Subscribed,
    /// Every task.
    Everything,
}

/// A series' end as it comes back from `UNTIL`: to the second, and the last second of a
/// local day as that whole day.
pub fn until_carried(until: When, tz: Tz) -> When {
    match until {
        When::At(at) => {
            let local = at.with_timezone(&tz);
            let last_second = chrono::NaiveTime::from_hms_opt(23, 59, 59);
            if Some(local.time().with_nanosecond(0).unwrap_or_default()) == last_second {
                When::Day(local.date_naive())
            } else {
                When::At(chrono::SubsecRound::trunc_subsecs(at, 0))
            }
        }
        day => day,
    }
}

fn write(tasks: &[Task], now: DateTime<Utc>, tz: Tz, scope: Scope) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TME//Task Management Engine//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:TME tasks",
    ] {
        out.push_str(&fold(line));
    }
    // An open instance is one of its template's RRULE occurrences: calendars show it from there.
    let series: std::collections::HashSet<_> = tasks
        .iter()
        .filter(|t| t.is_template() && t.status.is_open())
        .map(|t| t.id)
        .collect();
    // (An export leaves every open occurrence to its series, so that what it leaves out does
    // not depend on which other tasks it holds.)
    let left_to_series = |t: &Task| {
        t.status.is_open()
            && t.template()
                .is_some_and(|s| scope == Scope::Everything || series.contains(&s))
    };
    let shown = |t: &&Task| {
        !left_to_series(t)
            && match scope {
                Scope::Subscribed => t.status.is_open(),
                Scope::Everything => true,
            }
    };
    for task in tasks.iter().filter(shown) {
        let rule = match &task.recurrence {
            Some(RecurrenceLink::Template { rule }) => Some(rule),
            _ => None,
        };
        let start = match rule {
            Some(_) => Some(Series::anchor_of(task, tz)),
            None => task.scheduled,
        };
        let due = match scope {
            Scope::Subscribed => task.due.or(start),
            Scope::Everything => task.due,
        };
        if scope == Scope::Subscribed && due.is_none() {
            continue;
        }
        let status = match task.status {
            Status::Started => "IN-PROCESS",
            Status::Completed => "COMPLETED",
            Status::Deleted => "CANCELLED",
            _ => "NEEDS-ACTION",
        };
        let mut lines = vec![
            "BEGIN:VTODO".to_string(),
            format!("UID:{}@tme", task.uuid),
            format!("DTSTAMP:{}", stamp(now)),
            format!("CREATED:{}", stamp(task.created)),
            format!("LAST-MODIFIED:{}", stamp(task.modified)),
            format!("SUMMARY:{}", escape(&task.title)),
            format!("STATUS:{status}"),
        ];
        if let Some(due) = due {
            lines.push(date_property("DUE", due));
        }
        if let Some(start) = start {
            lines.push(date_property("DTSTART", start));
        }
        if let Some(completed) = task.completed.filter(|_| !task.status.is_open()) {
            lines.push(format!("COMPLETED:{}", stamp(completed)));
        }
        if let Some(rrule) = rule.and_then(|r| r.rrule_text()) {
            let until = task
                .until
                .map(|u| match (u, start) {
                    // UNTIL takes the form of DTSTART: a date, or else a UTC time (the last
                    // second of a day that ends the series).
                    (When::Day(day), Some(When::Day(_))) => {
                        format!(";UNTIL={}", day.format("%Y%m%d"))
                    }
                    (When::Day(_), _) => format!(
                        ";UNTIL={}",
                        stamp(u.deadline(tz) - chrono::Duration::seconds(1))
                    ),
                    (When::At(at), _) => format!(";UNTIL={}", stamp(at)),
                })
                .unwrap_or_default();
            lines.push(format!("RRULE:{rrule}{until}"));
        }
        if !task.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&task.description)));
        }
        // Calendars know labels, not a category apart from tags: the category comes first,
        // and TME says which it is, so tags without a category stay tags.
        let names: Vec<String> = task
            .category
            .iter()
            .map(|c| escape(c.as_str()))
            .chain(task.tags.iter().map(|t| escape(t.as_str())))
            .collect();
        if !names.is_empty() {
            lines.push(format!("CATEGORIES:{}", names.join(",")));
            let category = task
                .category
                .as_ref()
                .map(|c| c.as_str())
                .unwrap_or_default();
            lines.push(format!("X-TME-CATEGORY:{}", escape(category)));
        }
        if let Some(p) = task.priority {
            let level = match p {
                Priority::High => 1,
                Priority::Medium => 5,
                Priority::Low => 9,
            };
            lines.push(format!("PRIORITY:{level}"));
        }
        lines.push("END:VTODO".to_string());
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RecurrenceRule, TaskId};

    #[test]
    fn long_lines_fold_and_series_carry_their_rule() {
        let now = DateTime::UNIX_EPOCH;
        let mut long = Task::new(TaskId(1), uuid::Uuid::nil(), "ü".repeat(60), now);
        long.due = Some(When::At(now));
        let mut rent = Task::new(TaskId(2), uuid::Uuid::nil(), "Rent", now);
        rent.due = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).map(When::Day);
        rent.recurrence = RecurrenceRule::parse("eom")
            .ok()
            .map(|rule| RecurrenceLink::Template { rule });
        let mut done = Task::new(TaskId(3), uuid::Uuid::nil(), "Done", now);
        done.status = Status::Completed;
        done.due = Some(When::At(now));
        let ics = calendar(&[long, rent, done], now, chrono_tz::UTC);
        assert!(ics.split("\r\n").all(|l| l.len() <= 75), "{ics}");
        assert_eq!(
            ics.matches("BEGIN:VTODO").count(),
            2,
            "closed tasks are left out"
        );
        assert!(ics.contains("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1"), "{ics}");
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", "ü".repeat(60))));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }
}
