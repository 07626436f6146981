//! Writes changes back as capture text that parses to the same changes.

use chrono_tz::Tz;

use super::lexer::{Token, is_bare, quote};
use super::words::{Key, Word, classify};
use crate::domain::changes::TaskChanges;
use crate::domain::task::{DepKind, Dependency};
use crate::domain::when::When;

/// Writes a title word so that it stays a title word when parsed again.
fn title_word(word: &str) -> String {
    let plain = matches!(classify(&Token::plain(word)), Word::Text(_));
    if plain && is_bare(word) {
        word.to_string()
    } else {
        quote(word)
    }
}

fn field(key: Key, value: &str) -> String {
    if value.is_empty() || is_bare(value) {
        format!("{}:{value}", key.name())
    } else {
        format!("{}:{}", key.name(), quote(value))
    }
}

fn when_field(out: &mut Vec<String>, key: Key, when: Option<Option<When>>, tz: Tz) {
    match when {
        None => {}
        Some(None) => out.push(field(key, "")),
        Some(Some(w)) => out.push(field(key, &w.capture_form(tz))),
    }
}

fn optional<T>(
    out: &mut Vec<String>,
    key: Key,
    value: &Option<Option<T>>,
    show: impl Fn(&T) -> String,
) {
    match value {
        None => {}
        Some(None) => out.push(field(key, "")),
        Some(Some(v)) => out.push(field(key, &show(v))),
    }
}

fn dependencies(out: &mut Vec<String>, deps: &[Dependency]) {
    for kind in [
        DepKind::FinishToStart,
        DepKind::StartToStart,
        DepKind::FinishToFinish,
        DepKind::Relates,
    ] {
        let ids: Vec<String> = deps
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.on.to_string())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let prefix = match kind {
            DepKind::FinishToStart => String::new(),
            DepKind::Relates => "rel:".to_string(),
            other => format!("{}:", other.as_str()),
        };
        out.push(field(Key::Depends, &format!("{prefix}{}", ids.join(","))));
    }
}

/// Formats changes as capture text; [`super::parse_changes`] reads it back to the same changes.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tme_core::domain::{capture, TimeContext};
/// let ctx = TimeContext::new(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(), chrono_tz::UTC);
/// let changes = capture::parse_changes(&capture::lex("Call \"+bob\" pri:H due:fri #Home"), &ctx).unwrap();
/// assert_eq!(capture::format_changes(&changes, ctx.tz), "Call \"+bob\" #Home pri:H due:2026-11-27");
/// ```
pub fn format_changes(changes: &TaskChanges, tz: Tz) -> String {
    let mut out: Vec<String> = Vec::new();
    if let Some(title) = &changes.title {
        out.extend(title.split_whitespace().map(title_word));
    }
    match &changes.category {
        None => {}
        Some(None) => out.push(field(Key::Category, "")),
        Some(Some(c)) => out.push(format!("#{c}")),
    }
    out.extend(changes.add_tags.iter().map(|t| format!("+{t}")));
    out.extend(changes.remove_tags.iter().map(|t| format!("-{t}")));
    optional(&mut out, Key::Priority, &changes.priority, |p| {
        p.letter().to_string()
    });
    when_field(&mut out, Key::Due, changes.due, tz);
    when_field(&mut out, Key::Scheduled, changes.scheduled, tz);
    when_field(&mut out, Key::Wait, changes.wait, tz);
    when_field(&mut out, Key::Until, changes.until, tz);
    optional(
        &mut out,
        Key::Every,
        &changes.recurrence,
        ToString::to_string,
    );
    optional(
        &mut out,
        Key::Estimate,
        &changes.estimate,
        ToString::to_string,
    );
    dependencies(&mut out, &changes.add_depends);
    optional(&mut out, Key::Parent, &changes.parent, ToString::to_string);
    optional(&mut out, Key::Type, &changes.task_type, String::clone);
    if let Some(description) = &changes.description {
        out.push(field(Key::Description, description));
    }
    out.join(" ")
}
