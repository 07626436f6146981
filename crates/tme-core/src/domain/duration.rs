//! Lengths of time for estimates and tracked time: `90m`, `1h30m`, `2d`, `PT1H30M`.

use std::fmt;

use chrono::{DateTime, Utc};

/// A non-negative length of time in whole seconds.
///
/// ```
/// use tme_core::domain::Duration;
/// let d = Duration::parse("1h30m").unwrap();
/// assert_eq!(d.as_secs(), 5400);
/// assert_eq!(d.to_string(), "1h30m");
/// assert_eq!(Duration::parse("PT90M").unwrap(), d);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(u64);

/// Units accepted in durations, longest first, with their length in seconds.
const UNITS: [(char, u64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration(0);

    /// The longest estimate or time spent TME keeps: 100 years (36525 days).
    pub const MOST: Duration = Duration(36_525 * 86_400);

    /// A duration of `secs` seconds.
    pub const fn from_secs(secs: u64) -> Duration {
        Duration(secs)
    }

    /// The length in seconds.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// The time from `from` to `to`, or zero if `to` is earlier.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        Duration(u64::try_from((to - from).num_seconds()).unwrap_or(0))
    }

    /// The duration as chrono's, for date arithmetic (`None` past what chrono can hold).
    pub fn delta(self) -> Option<chrono::TimeDelta> {
        chrono::TimeDelta::try_seconds(i64::try_from(self.0).ok()?)
    }

    /// Adds, stopping at the largest value instead of overflowing.
    pub fn saturating_add(self, other: Duration) -> Duration {
        Duration(self.0.saturating_add(other.0))
    }

    /// Parses `90m`, `1h30m`, `2d`, `1w2d`, `45s` or an ISO 8601 duration (`PT1H30M`, `P2D`).
    /// Returns `None` when the text is not a duration, or one longer than [`Duration::MOST`].
    pub fn parse(text: &str) -> Option<Duration> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        match lower.strip_prefix('p') {
            Some(iso) => parse_iso(iso),
            None => parse_units(&lower),
        }
        .filter(|d| *d <= Duration::MOST)
    }
}

fn unit_secs(unit: char) -> Option<u64> {
    UNITS.iter().find(|(u, _)| *u == unit).map(|(_, s)| *s)
}

/// `1h30m`: numbers each followed by a unit.
fn parse_units(text: &str) -> Option<Duration> {
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            let value: u64 = number.parse().ok()?;
            total = total.checked_add(value.checked_mul(unit_secs(c)?)?)?;
            number.clear();
        }
    }
    number.is_empty().then_some(Duration(total))
}

/// The part after `P` of an ISO 8601 duration: `T1H30M`, `2D`, `1W`, `1DT2H`.
fn parse_iso(text: &str) -> Option<Duration> {
    let (date_part, time_part) = match text.split_once('t') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let date = if date_part.is_empty() {
        Duration::ZERO
    } else {
        // Months and years have no fixed length; ISO allows them but estimates should not.
        parse_units(date_part).filter(|_| date_part.chars().all(|c| "0123456789dw".contains(c)))?
    };
    let time = match time_part {
        Some(t) if !t.is_empty() && t.chars().all(|c| "0123456789hms".contains(c)) => {
            parse_units(t)?
        }
        Some(_) => return None,
        None => Duration::ZERO,
    };
    let total = date.saturating_add(time);
    (date_part.len() + time_part.map_or(0, str::len) > 0).then_some(total)
}

impl fmt::Display for Duration {
    /// The compact form that parses back: `1h30m`, `2d`, `0m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0m");
        }
        let mut rest = self.0;
        // Weeks are left out on purpose: `10d` reads better than `1w3d`.
        for (unit, secs) in UNITS.iter().skip(1) {
            if rest >= *secs {
                write!(f, "{}{}", rest / secs, unit)?;
                rest %= secs;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_usual_forms() {
        let cases = [
            ("90m", 5400),
            ("1h30m", 5400),
            ("2h", 7200),
            ("1d", 86_400),
            ("1w", 604_800),
            ("45s", 45),
            ("PT1H30M", 5400),
            ("P2D", 172_800),
            ("P1DT1H", 90_000),
        ];
        for (text, secs) in cases {
            assert_eq!(Duration::parse(text), Some(Duration(secs)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for text in [
            "",
            "90",
            "m",
            "1x",
            "P1M",
            "PT",
            "P",
            "h1",
            "99999999999999999999h",
        ] {
            assert_eq!(Duration::parse(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn display_parses_back(secs in 0u64..10_000_000_000) {
            // What parses back is what TME keeps: up to `Duration::MOST`.
            let d = Duration(secs);
            let kept = (d <= Duration::MOST).then_some(d);
            prop_assert_eq!(Duration::parse(&d.to_string()), kept);
        }
    }
}
