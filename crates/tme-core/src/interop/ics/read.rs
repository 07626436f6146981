//! Reading an iCalendar file: each VTODO becomes a task, each VEVENT a task due when the event
//! starts (a timed event's length becomes the estimate); an RRULE makes a recurring series.
//!
//! | iCalendar | TME |
//! |---|---|
//! | `UID` | uuid (its own when TME wrote it, else one derived from the UID, so a re-import updates) |
//! | `SUMMARY`, `DESCRIPTION` | title, description |
//! | `CATEGORIES` | the first is the category, the others tags (TME's own `X-TME-CATEGORY` says which is the category) |
//! | `PRIORITY` 1–4, 5, 6–9 | H, M, L |
//! | `STATUS` | NEEDS-ACTION pending, IN-PROCESS started, COMPLETED, CANCELLED deleted |
//! | `DUE` (VTODO), `DTSTART` (VEVENT) | due |
//! | `DTSTART` (VTODO, when not the due date) | scheduled |
//! | `DTEND` or `DURATION` (timed VEVENT) | estimate |
//! | `RRULE` (its `UNTIL` apart) | the series' rule and end |
//! | `CREATED`, `LAST-MODIFIED`, `COMPLETED` | created, modified, completed |
//! | `LOCATION`, `URL` | the attributes `location`, `url` |
//!
//! What TME has no place for is named in the record's notes: alarms, excluded and extra dates
//! of a series (`EXDATE`, `RDATE`), links to other entries, attendees and attachments.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::{
    AttrValue, Category, Duration, Priority, RecurrenceLink, RecurrenceRule, Status, Tag, Task,
    TaskId, When,
};
use crate::engine::Incoming;

/// The namespace of the UUIDs given to calendar entries whose UID is not a UUID.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5f1d_0e3c_8a7b_4c2e_9d11_7e57_0d07_0002);

/// What an iCalendar file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsFile {
    /// One record per VTODO or VEVENT, in file order.
    pub records: Vec<Result<Incoming, String>>,
    /// Entries passed over, and why.
    pub skipped: Vec<String>,
}

/// One content line: its name (upper case), parameters (names upper case) and raw value.
#[derive(Debug)]
struct Line {
    number: usize,
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Line {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        unescape(&self.value)
    }

    fn fail(&self, why: impl std::fmt::Display) -> String {
        format!("line {}: {}: {why}", self.number, self.name)
    }
}

/// Joins folded lines (a line that begins with a space or tab goes on from the one before),
/// keeping the number of each content line's first physical line.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ => lines.push((i + 1, raw.to_string())),
        }
    }
    lines.retain(|(_, l)| !l.trim().is_empty());
    lines
}

/// Splits `NAME;PARAM=value;PARAM="quoted:value":VALUE`.
fn parse_line(number: usize, text: &str) -> Result<Line, String> {
    let fail = |why: &str| format!("line {number}: {why}");
    let end = text
        .find([';', ':'])
        .ok_or_else(|| fail("no ':' before the value"))?;
    let name = &text[..end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(fail(&format!("'{name}' is not a property name")));
    }
    let mut params = Vec::new();
    let mut rest = &text[end..];
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after
            .find('=')
            .ok_or_else(|| fail("a parameter has no '='"))?;
        let key = after[..eq].to_ascii_uppercase();
        let after = &after[eq + 1..];
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => {
                let close = quoted
                    .find('"')
                    .ok_or_else(|| fail("a quoted parameter does not end"))?;
                (&quoted[..close], &quoted[close + 1..])
            }
            None => {
                let stop = after
                    .find([';', ':'])
                    .ok_or_else(|| fail("no ':' before the value"))?;
                (&after[..stop], &after[stop..])
            }
        };
        params.push((key, value.to_string()));
        rest = next;
    }
    let value = rest
        .strip_prefix(':')
        .ok_or_else(|| fail("no ':' before the value"))?;
    Ok(Line {
        number,
        name: name.to_ascii_uppercase(),
        params,
        value: value.to_string(),
    })
}

/// Undoes the escapes of a text value (`\n`, `\,`, `\;`, `\\`).
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// The items of a comma-separated text value, unescaped.
fn list(value: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut escaped = false;
    for c in value.chars() {
        match c {
            ',' if !escaped => items.push(String::new()),
            _ => {
                escaped = c == '\\' && !escaped;
                if let Some(last) = items.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    items
        .iter()
        .map(|i| unescape(i).trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

/// A local time in `zone`; in a gap left by a clock change, the time an hour on.
fn local(zone: Tz, at: NaiveDateTime) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&at)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(at + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.to_utc())
}

/// Reads a DATE (`20261201`) or DATE-TIME (`20261201T090000Z`, or local in the line's TZID or
/// else in `tz`).
fn moment(line: &Line, tz: Tz) -> Result<When, String> {
    let value = line.value.trim();
    moment_text(value, line.param("TZID"), tz).ok_or_else(|| {
        line.fail(format!(
            "'{value}' is not a date (20261201) or date-time (20261201T090000Z)"
        ))
    })
}

fn moment_text(value: &str, tzid: Option<&str>, tz: Tz) -> Option<When> {
    if value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .ok()
            .map(When::Day);
    }
    if value.ends_with('Z') {
        return crate::interop::taskwarrior::parse_stamp(value).map(When::At);
    }
    let naive = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()?;
    let zone = tzid
        .and_then(|id| id.trim_start_matches('/').parse::<Tz>().ok())
        .unwrap_or(tz);
    local(zone, naive).map(When::At)
}

/// A name for a category or tag: what the calendar wrote, with spaces as dashes.
fn name(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("-")
}

/// Reads an iCalendar file. A broken structure (an END that closes nothing, a file that ends
/// inside an entry) fails the whole file; an entry that cannot be a task fails on its own.
///
/// ```
/// let ics = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:a1\r\nSUMMARY:Call the bank\\, again\r\n\
///            DUE;VALUE=DATE:20261201\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
/// let file = tme_core::interop::ics::read(ics, chrono::Utc::now(), chrono_tz::UTC).unwrap();
/// let task = &file.records[0].as_ref().unwrap().task;
/// assert_eq!(task.title, "Call the bank, again");
/// assert_eq!(task.due.unwrap().to_string(), "2026-12-01");
/// ```
pub fn read(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<IcsFile, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = unfold(text);
    match lines.first() {
        Some((_, first)) if first.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR") => {}
        _ => return Err("not an iCalendar file: it does not begin with BEGIN:VCALENDAR".into()),
    }
    let mut file = IcsFile {
        records: Vec::new(),
        skipped: Vec::new(),
    };
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut entry: Vec<Result<Line, String>> = Vec::new();
    let mut alarms = 0;
    for (number, text) in lines {
        let line = parse_line(number, &text);
        let (name, value) = match &line {
            Ok(l) => (l.name.as_str(), l.value.trim().to_ascii_uppercase()),
            Err(_) => ("", String::new()),
        };
        let in_entry = open.len() == 2 && matches!(open[1].0.as_str(), "VTODO" | "VEVENT");
        match name {
            "BEGIN" => {
                alarms += usize::from(in_entry && value == "VALARM");
                open.push((value, number));
            }
            "END" => match open.pop() {
                Some((begun, _)) if begun == value => {
                    if open.len() == 1 && matches!(begun.as_str(), "VTODO" | "VEVENT") {
                        let lines = std::mem::take(&mut entry);
                        let found = component(&begun, lines, now, tz, &mut file.skipped);
                        if let Some(mut record) = found {
                            if let (Ok(incoming), true) = (&mut record, alarms > 0) {
                                incoming
                                    .left_out
                                    .push("TME has no place for alarms (VALARM)".into());
                            }
                            file.records.push(record);
                        }
                        alarms = 0;
                    }
                }
                Some((begun, at)) => {
                    return Err(format!(
                        "line {number}: END:{value} does not close BEGIN:{begun} (line {at})"
                    ));
                }
                None => return Err(format!("line {number}: END:{value} closes nothing")),
            },
            // Lines of an entry, not of an alarm or other part inside it.
            _ if in_entry => {
                entry.push(line);
            }
            _ if line.is_err() && open.len() <= 1 => {
                return Err(line.err().unwrap_or_default());
            }
            _ => {}
        }
    }
    if let Some((begun, at)) = open.last() {
        return Err(format!("the file ends inside BEGIN:{begun} (line {at})"));
    }
    Ok(file)
}

/// One VTODO or VEVENT as a task, or `None` when it is passed over (a changed occurrence of a
/// series, noted in `skipped`).
fn component(
    kind: &str,
    lines: Vec<Result<Line, String>>,
    now: DateTime<Utc>,
    tz: Tz,
    skipped: &mut Vec<String>,
) -> Option<Result<Incoming, String>> {
    let lines = match lines.into_iter().collect::<Result<Vec<Line>, String>>() {
        Ok(lines) => lines,
        Err(why) => return Some(Err(why)),
    };
    let get = |name: &str| lines.iter().find(|l| l.name == name);
    if let Some(changed) = get("RECURRENCE-ID") {
        let title = get("SUMMARY").map(Line::text).unwrap_or_default();
        skipped.push(format!(
            "{kind} '{title}' (line {}): a changed occurrence of a series, which TME does not keep apart",
            changed.number
        ));
        return None;
    }
    Some(task(kind, &lines, now, tz))
}

fn task(kind: &str, lines: &[Line], now: DateTime<Utc>, tz: Tz) -> Result<Incoming, String> {
    let get = |name: &str| lines.iter().find(|l| l.name == name);
    let instant = |name: &str| -> Result<Option<DateTime<Utc>>, String> {
        get(name)
            .map(|l| moment(l, tz).map(|w| w.start(tz)))
            .transpose()
    };
    let title = get("SUMMARY")
        .map(Line::text)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| format!("the {kind} has no SUMMARY"))?;
    let uid = get("UID").map(|l| l.text()).unwrap_or_default();
    let uuid = uuid::Uuid::parse_str(uid.strip_suffix("@tme").unwrap_or(&uid))
        .unwrap_or_else(|_| uuid::Uuid::new_v5(&NAMESPACE, format!("{uid}|{title}").as_bytes()));
    let created = instant("CREATED")?.or(instant("DTSTAMP")?).unwrap_or(now);
    let mut task = Task::new(TaskId(0), uuid, title.trim(), created);
    task.modified = instant("LAST-MODIFIED")?.unwrap_or(created);
    task.description = get("DESCRIPTION").map(Line::text).unwrap_or_default();
    let mut names = lines
        .iter()
        .filter(|l| l.name == "CATEGORIES")
        .flat_map(|l| list(&l.value))
        .peekable();
    let category = match get("X-TME-CATEGORY").map(Line::text) {
        // TME wrote it: the category is named (or there is none), and comes first.
        Some(named) => names.next_if(|first| *first == named && !named.is_empty()),
        None => names.next(),
    };
    if let Some(first) = category {
        task.category =
            Some(Category::parse(&name(&first)).map_err(|e| format!("CATEGORIES: {e}"))?);
    }
    for other in names {
        task.tags
            .insert(Tag::parse(&name(&other)).map_err(|e| format!("CATEGORIES: tag {e}"))?);
    }
    if let Some(line) = get("PRIORITY") {
        task.priority = match line.value.trim().parse::<u8>() {
            Ok(0) => None,
            Ok(1..=4) => Some(Priority::High),
            Ok(5) => Some(Priority::Medium),
            Ok(6..=9) => Some(Priority::Low),
            _ => return Err(line.fail("not a number from 0 to 9")),
        };
    }
    let start = get("DTSTART").map(|l| moment(l, tz)).transpose()?;
    if kind == "VEVENT" {
        task.due = start;
        let end = match (get("DTEND"), get("DURATION")) {
            (Some(end), _) => Some(moment(end, tz)?),
            (None, Some(line)) => {
                let length = Duration::parse(line.value.trim())
                    .ok_or_else(|| line.fail("not a duration like PT1H30M (at most 36525 days)"))?;
                let end = |s: When| {
                    length
                        .delta()
                        .and_then(|d| s.start(tz).checked_add_signed(d))
                };
                match start.map(end) {
                    Some(None) => return Err(line.fail("the event would end past the calendar")),
                    end => end.flatten().map(When::At),
                }
            }
            (None, None) => None,
        };
        if let (Some(When::At(from)), Some(When::At(to))) = (start, end) {
            task.estimate = Some(Duration::between(from, to)).filter(|d| *d > Duration::ZERO);
        }
    } else {
        task.due = get("DUE").map(|l| moment(l, tz)).transpose()?;
        task.scheduled = start.filter(|s| Some(*s) != task.due);
    }
    if let Some(line) = get("RRULE") {
        let mut parts = Vec::new();
        for part in line.value.trim().split(';') {
            match part.split_once('=') {
                Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                    let until = moment_text(value, None, tz)
                        .ok_or_else(|| line.fail(format!("UNTIL '{value}' is not a date")))?;
                    // The last second of a local day is that whole day.
                    let local = until.start(tz).with_timezone(&tz);
                    let last_second = local.time()
                        == chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
                    task.until = Some(match until {
                        When::At(_) if last_second => When::Day(local.date_naive()),
                        other => other,
                    });
                }
                _ => parts.push(part),
            }
        }
        let rule = RecurrenceRule::parse(&parts.join(";")).map_err(|e| line.fail(e))?;
        task.recurrence = Some(RecurrenceLink::Template { rule });
    }
    let status = get("STATUS").map(|l| l.value.trim().to_ascii_uppercase());
    task.status = match status.as_deref() {
        Some("COMPLETED") => Status::Completed,
        Some("CANCELLED") => Status::Deleted,
        Some("IN-PROCESS") => Status::Started,
        _ => Status::Pending,
    };
    if !task.status.is_open() {
        task.completed = Some(instant("COMPLETED")?.unwrap_or(task.modified));
    }
    if task.status == Status::Started {
        task.started = Some(task.modified);
    }
    for (property, attr) in [("LOCATION", "location"), ("URL", "url")] {
        if let Some(value) = get(property).map(Line::text).filter(|v| !v.is_empty()) {
            task.attrs.insert(attr.to_string(), AttrValue::Text(value));
        }
    }
    let mut incoming = Incoming::new(task);
    for (property, what) in [
        ("EXDATE", "dates left out of a series (EXDATE)"),
        ("RDATE", "extra dates of a series (RDATE)"),
        ("RELATED-TO", "links to other entries (RELATED-TO)"),
        ("ATTENDEE", "attendees"),
        ("ATTACH", "attachments"),
    ] {
        if let Some(line) = get(property) {
            incoming
                .left_out
                .push(format!("line {}: TME has no place for {what}", line.number));
        }
    }
    Ok(incoming)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_one(body: &str) -> Result<Incoming, String> {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n");
        let file = read(&text, DateTime::UNIX_EPOCH, chrono_tz::Europe::Berlin)?;
        file.records
            .into_iter()
            .next()
            .unwrap_or_else(|| Err("no record".into()))
    }

    #[test]
    fn an_event_is_due_when_it_starts_and_lasts_its_estimate() -> Result<(), String> {
        let record = read_one(
            "BEGIN:VEVENT\r\nUID:standup-42@example.com\r\nSUMMARY:Stand-up\r\n\
             DTSTART;TZID=Europe/Berlin:20261201T093000\r\nDTEND;TZID=Europe/Berlin:20261201T094500\r\n\
             RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270331T235959Z\r\nLOCATION:Room 2\\, east\r\n\
             BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        )?;
        let task = record.task;
        assert_eq!(task.title, "Stand-up");
        assert_eq!(
            task.description, "",
            "the alarm's description is not the event's"
        );
        assert_eq!(
            task.due.map(|d| d.start(chrono_tz::UTC).to_rfc3339()),
            Some("2026-12-01T08:30:00+00:00".to_string())
        );
        assert_eq!(task.estimate, Some(Duration::from_secs(15 * 60)));
        assert!(task.is_template());
        assert_eq!(
            task.until.map(|u| u.start(chrono_tz::UTC).to_rfc3339()),
            Some("2027-03-31T23:59:59+00:00".to_string()),
            "23:59:59 in UTC is not the last second of a Berlin day"
        );
        assert_eq!(
            task.attrs.get("location"),
            Some(&AttrValue::Text("Room 2, east".into()))
        );
        Ok(())
    }

    #[test]
    fn a_todo_keeps_folded_text_categories_and_status() -> Result<(), String> {
        let record = read_one(
            "BEGIN:VTODO\r\nUID:x\r\nSUMMARY:A long title that was\r\n  folded\r\n\
             CATEGORIES:Home office,urgent\r\nPRIORITY:2\r\nSTATUS:COMPLETED\r\n\
             COMPLETED:20261120T100000Z\r\nDUE;VALUE=DATE:20261121\r\nEND:VTODO\r\n",
        )?;
        let task = record.task;
        assert_eq!(task.title, "A long title that was folded");
        assert_eq!(
            task.category.map(|c| c.to_string()),
            Some("Home-office".into())
        );
        assert_eq!(
            task.tags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["urgent"]
        );
        assert_eq!(task.priority, Some(Priority::High));
        assert_eq!(task.status, Status::Completed);
        assert_eq!(
            task.completed.map(|c| c.to_rfc3339()),
            Some("2026-11-20T10:00:00+00:00".to_string())
        );
        Ok(())
    }

    #[test]
    fn broken_files_and_entries_are_named() {
        let fails = |body: &str| read_one(body).err().unwrap_or_default();
        assert!(fails("BEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\n").contains("has no SUMMARY"));
        assert!(
            fails("BEGIN:VTODO\r\nSUMMARY:x\r\nDUE:tomorrow\r\nEND:VTODO\r\n")
                .contains("DUE: 'tomorrow' is not a date")
        );
        assert!(
            fails("BEGIN:VTODO\r\nSUMMARY:x\r\nRRULE:FREQ=SECONDLY\r\nEND:VTODO\r\n")
                .contains("more often than hourly")
        );
        assert!(fails("BEGIN:VTODO\r\nSUMMARY:x\r\nEND:VEVENT\r\n").contains("does not close"));
        assert!(
            fails("BEGIN:VTODO\r\nSUMMARY:x\r\n")
                .contains("END:VCALENDAR does not close BEGIN:VTODO (line 3)")
        );
        let cut = read(
            "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\n",
            DateTime::UNIX_EPOCH,
            chrono_tz::UTC,
        );
        assert!(cut.is_err_and(|e| e.contains("ends inside BEGIN:VTODO (line 2)")));
        let not_ics = read("SUMMARY:x", DateTime::UNIX_EPOCH, chrono_tz::UTC);
        assert!(not_ics.is_err_and(|e| e.contains("not an iCalendar file")));
    }

    #[test]
    fn a_changed_occurrence_is_skipped_with_a_note() -> Result<(), String> {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Yoga\r\n\
                    DTSTART:20261201T180000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n\
                    BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Yoga\r\nRECURRENCE-ID:20261208T180000Z\r\n\
                    DTSTART:20261208T190000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let file = read(text, DateTime::UNIX_EPOCH, chrono_tz::UTC)?;
        assert_eq!(file.records.len(), 1);
        assert!(
            file.skipped[0].contains("changed occurrence"),
            "{:?}",
            file.skipped
        );
        Ok(())
    }
}
