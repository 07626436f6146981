//! The `schedule:` and `recurring:` sections: how the ticker spawns instances, and recurring
//! tasks declared in the file.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use crate::domain::{Category, Duration, MissedPolicy, Priority, RecurrenceRule, Tag};
use crate::engine::{DeclaredSeries, DeclaredStart};

/// The `schedule:` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSection {
    /// `schedule.enabled`: spawn recurring instances at all.
    pub enabled: Option<bool>,
    /// `schedule.horizon`: how long before its day an instance is spawned (`0`, `3d`).
    pub horizon: Option<String>,
    /// `schedule.missed`: `skip`, `latest` or `all`.
    pub missed: Option<String>,
}

/// One entry of `recurring:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringEntry {
    /// A stable key, so that the title can change without starting a new series.
    pub id: Option<String>,
    /// The title.
    pub title: String,
    /// The description.
    pub description: Option<String>,
    /// The category (`Home.Garden`).
    pub category: Option<String>,
    /// Tags, without `+`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `H`, `M` or `L`.
    pub priority: Option<String>,
    /// When it recurs.
    pub schedule: EntrySchedule,
}

/// The `schedule` of a `recurring:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrySchedule {
    /// Any `every:` form: `daily`, `2w`, `mon,thu`, `last fri`, `FREQ=...`.
    pub interval: String,
    /// `2026-12-01`, `2026-12-01T09:30` or `09:30`.
    pub start: Option<String>,
    /// How long each instance spans (`30m`, `2d`): due that long after its start.
    pub duration: Option<String>,
    /// The last day of the series.
    pub end_date: Option<String>,
}

/// A problem with one key: its path in the file and what is wrong.
pub type KeyError = (String, String);

/// Parses `schedule.horizon`: `0` or a duration.
pub fn horizon(text: &str) -> Result<chrono::Duration, String> {
    if text.trim() == "0" {
        return Ok(chrono::Duration::zero());
    }
    Duration::parse(text)
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .map(chrono::Duration::seconds)
        .ok_or_else(|| format!("'{text}' is not a duration; use 0, 12h, 3d or 1w"))
}

/// Parses `schedule.missed`.
pub fn missed(text: &str) -> Result<MissedPolicy, String> {
    MissedPolicy::parse(text)
        .ok_or_else(|| format!("'{text}' is not a policy; use skip, latest or all"))
}

/// Parses `TME_SCHEDULE_ENABLED` and other yes/no values.
pub fn switch(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!("'{text}' is not true or false")),
    }
}

fn start(text: &str) -> Result<DeclaredStart, String> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(DeclaredStart::Day(day));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(DeclaredStart::At(at));
        }
    }
    NaiveTime::parse_from_str(text, "%H:%M")
        .map(DeclaredStart::TimeOfDay)
        .map_err(|_| format!("'{text}' is not a start; use 2026-12-01, 2026-12-01T09:30 or 09:30"))
}

/// Turns one entry into a declared series, naming the key of the first problem.
fn declared(index: usize, entry: &RecurringEntry) -> Result<DeclaredSeries, KeyError> {
    let at = |key: &str| format!("recurring[{index}].{key}");
    let title = entry.title.trim();
    if title.is_empty() {
        return Err((at("title"), "a recurring task needs a title".into()));
    }
    crate::domain::check_title(title).map_err(|e| (at("title"), e.to_string()))?;
    let category = entry
        .category
        .as_deref()
        .map(Category::parse)
        .transpose()
        .map_err(|e| (at("category"), e.to_string()))?;
    let tags = entry
        .tags
        .iter()
        .map(|t| Tag::parse(t.trim_start_matches('+')).map_err(|e| (at("tags"), e.to_string())))
        .collect::<Result<_, _>>()?;
    let priority = entry
        .priority
        .as_deref()
        .map(|p| {
            Priority::parse(p).ok_or_else(|| {
                (
                    at("priority"),
                    format!("'{p}' is not a priority; use H, M or L"),
                )
            })
        })
        .transpose()?;
    let schedule = &entry.schedule;
    let rule = RecurrenceRule::parse(&schedule.interval)
        .map_err(|e| (at("schedule.interval"), e.to_string()))?;
    let start = schedule
        .start
        .as_deref()
        .map(start)
        .transpose()
        .map_err(|e| (at("schedule.start"), e))?;
    let duration = schedule
        .duration
        .as_deref()
        .map(|d| {
            Duration::parse(d).ok_or_else(|| {
                (
                    at("schedule.duration"),
                    format!("'{d}' is not a duration; use 30m, 2h or 1d"),
                )
            })
        })
        .transpose()?;
    let until = schedule
        .end_date
        .as_deref()
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                (
                    at("schedule.end_date"),
                    format!("'{d}' is not a date like 2027-06-30"),
                )
            })
        })
        .transpose()?;
    Ok(DeclaredSeries {
        key: entry.id.clone().unwrap_or_else(|| title.to_string()),
        title: title.to_string(),
        description: entry.description.clone().unwrap_or_default(),
        category,
        tags,
        priority,
        rule,
        start,
        duration,
        until,
    })
}

/// Every entry as a declared series; two entries with one key are an error.
pub fn declared_list(entries: &[RecurringEntry]) -> Result<Vec<DeclaredSeries>, KeyError> {
    let mut out: Vec<DeclaredSeries> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let series = declared(index, entry)?;
        if let Some(first) = out.iter().position(|s| s.key == series.key) {
            return Err((
                format!("recurring[{index}]"),
                format!(
                    "it has the same key '{}' as recurring[{first}]; give one of them an id",
                    series.key
                ),
            ));
        }
        out.push(series);
    }
    Ok(out)
}
