//! Due dates relative to now: `in 2d`, `today`, `3d overdue`.

use super::when::{TimeContext, When};

/// How close a due date is, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nearness {
    /// Already past.
    Overdue,
    /// Due before the day ends.
    Today,
    /// Due within three days.
    Soon,
    /// Later than that.
    Later,
}

fn span(seconds: i64) -> String {
    let s = seconds.abs();
    match s {
        0..3_600 => format!("{}m", (s / 60).max(1)),
        3_600..86_400 => format!("{}h", s / 3_600),
        86_400..1_209_600 => format!("{}d", s / 86_400),
        1_209_600..5_184_000 => format!("{}w", s / 604_800),
        5_184_000..63_072_000 => format!("{}mo", s / 2_592_000),
        _ => format!("{}y", s / 31_536_000),
    }
}

/// Describes `due` relative to `ctx.now`.
///
/// A whole day counts in calendar days (`today`, `tomorrow`, `in 3d`, `2d overdue`); a time
/// counts in minutes, hours or days.
pub fn relative_due(due: When, ctx: &TimeContext) -> (String, Nearness) {
    match due {
        When::Day(day) => {
            let days = (day - ctx.today()).num_days();
            let text = match days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                d if d < 0 => format!("{} overdue", span(d * 86_400)),
                d => format!("in {}", span(d * 86_400)),
            };
            let nearness = match days {
                d if d < 0 => Nearness::Overdue,
                0 => Nearness::Today,
                1..=3 => Nearness::Soon,
                _ => Nearness::Later,
            };
            (text, nearness)
        }
        When::At(at) => {
            let seconds = (at - ctx.now).num_seconds();
            let text = if seconds < 0 {
                format!("{} overdue", span(seconds))
            } else {
                format!("in {}", span(seconds))
            };
            let today = at.with_timezone(&ctx.tz).date_naive() == ctx.today();
            let nearness = match seconds {
                s if s < 0 => Nearness::Overdue,
                _ if today => Nearness::Today,
                s if s <= 3 * 86_400 => Nearness::Soon,
                _ => Nearness::Later,
            };
            (text, nearness)
        }
    }
}

/// How long ago `at` was, in one unit, as Taskwarrior's Age column says it: `5m`, `11d`, `3w`.
///
/// ```
/// use chrono::{Duration, Utc};
/// use tme_core::domain::{TimeContext, age};
/// let ctx = TimeContext::new(Utc::now(), chrono_tz::UTC);
/// assert_eq!(age(ctx.now - Duration::days(11), &ctx), "11d");
/// ```
pub fn age(at: chrono::DateTime<chrono::Utc>, ctx: &TimeContext) -> String {
    span((ctx.now - at).num_seconds())
}

/// A past instant relative to now: `just now`, `5m ago`, `3d ago`.
pub fn ago(at: chrono::DateTime<chrono::Utc>, ctx: &TimeContext) -> String {
    let seconds = (ctx.now - at).num_seconds();
    if seconds < 60 {
        "just now".to_string()
    } else {
        format!("{} ago", span(seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, TimeZone, Utc};

    fn ctx() -> TimeContext {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .unwrap_or_default();
        TimeContext::new(now, chrono_tz::UTC)
    }

    fn day(offset: i64) -> When {
        When::Day(
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default() + Duration::days(offset),
        )
    }

    #[test]
    fn whole_days() {
        let cases = [
            (0, "today", Nearness::Today),
            (1, "tomorrow", Nearness::Soon),
            (2, "in 2d", Nearness::Soon),
            (5, "in 5d", Nearness::Later),
            (-3, "3d overdue", Nearness::Overdue),
            (21, "in 3w", Nearness::Later),
            (90, "in 3mo", Nearness::Later),
            (800, "in 2y", Nearness::Later),
        ];
        for (offset, text, nearness) in cases {
            assert_eq!(
                relative_due(day(offset), &ctx()),
                (text.to_string(), nearness),
                "{offset}"
            );
        }
    }

    #[test]
    fn times() {
        let at = |minutes: i64| When::At(ctx().now + Duration::minutes(minutes));
        assert_eq!(relative_due(at(30), &ctx()).0, "in 30m");
        assert_eq!(relative_due(at(-150), &ctx()).0, "2h overdue");
        assert_eq!(
            relative_due(at(60 * 30), &ctx()),
            ("in 1d".to_string(), Nearness::Soon)
        );
        assert_eq!(ago(ctx().now - Duration::days(3), &ctx()), "3d ago");
    }
}
