//! TME's date words mean the days Taskwarrior 2.6 gives them: each word is worked out by
//! `task calc` under `faketime` and by TME's parser at the same moment, on the days where
//! words change meaning (a Monday, a Sunday, the first and last of a month, quarter and year,
//! the 15th, a leap day, the start of summer time).

use std::process::Command;

use chrono::{NaiveDate, TimeZone};
use tme::domain::{TimeContext, When, parse_when};

use crate::support::{Sandbox, TestResult};

/// Words both know, with the same meaning.
const WORDS: [&str; 31] = [
    "today",
    "tomorrow",
    "yesterday",
    "eod",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "fri",
    "sun",
    "eow",
    "eom",
    "eoq",
    "eoy",
    "sow",
    "som",
    "soq",
    "soy",
    "sonw",
    "sonm",
    "sonq",
    "sony",
    "1st",
    "15th",
    "28th",
    "2nd",
    "22nd",
];

/// Days on which the words above turn over.
const DAYS: [&str; 12] = [
    "2026-11-23", // a Monday
    "2026-11-29", // a Sunday
    "2026-11-26", // an ordinary Thursday
    "2026-11-01", // the first of a month, a Sunday
    "2026-11-30", // the last of a month, a Monday
    "2026-12-31", // the last of a quarter and a year
    "2027-01-01", // the first of a year
    "2026-03-31", // the last of a quarter
    "2026-11-15", // the 15th
    "2028-02-29", // a leap day
    "2027-03-28", // summer time starts in Berlin
    "2027-02-28", // the last of a short month
];

/// What Taskwarrior says each word means at 09:00 on `day` in Berlin: the dates, in order.
fn taskwarrior(s: &Sandbox, day: &str) -> Result<Vec<String>, String> {
    let script = WORDS
        .iter()
        .map(|w| format!("task rc.verbose=nothing rc.weekstart=monday calc {w}"))
        .collect::<Vec<_>>()
        .join("; ");
    let out = s
        .process("/usr/bin/faketime")
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("TASKRC", s.path().join("taskrc"))
        .env("TASKDATA", s.path().join("task"))
        .args([&format!("{day} 09:00:00"), "/bin/sh", "-c", &script])
        .output()
        .map_err(|e| format!("faketime: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let dates: Vec<String> = text.lines().map(|l| l.chars().take(10).collect()).collect();
    if dates.len() != WORDS.len() {
        return Err(format!(
            "task calc on {day} printed:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(dates)
}

/// What TME says each word means at 09:00 on `day` in Berlin.
fn tme(day: &str) -> Result<Vec<String>, String> {
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| e.to_string())?;
    let tz = chrono_tz::Europe::Berlin;
    let now = tz
        .from_local_datetime(&date.and_hms_opt(9, 0, 0).unwrap_or_default())
        .single()
        .ok_or("no 09:00")?
        .with_timezone(&chrono::Utc);
    let ctx = TimeContext::new(now, tz);
    WORDS
        .iter()
        .map(|w| match parse_when(w, &ctx) {
            Ok(When::Day(d)) => Ok(d.to_string()),
            Ok(When::At(at)) => Ok(at.with_timezone(&tz).date_naive().to_string()),
            Err(e) => Err(format!("{w}: {e}")),
        })
        .collect()
}

#[test]
fn date_words_mean_what_taskwarrior_says() -> TestResult {
    for tool in ["task", "faketime"] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(format!(
                "this test needs {tool}: run `apt-get install taskwarrior faketime` (or .ci/run, which installs them)"
            )
            .into());
        }
    }
    let s = Sandbox::new();
    std::fs::write(s.path().join("taskrc"), "")?;
    let mut differences = Vec::new();
    for day in DAYS {
        let theirs = taskwarrior(&s, day)?;
        let ours = tme(day)?;
        for ((word, theirs), ours) in WORDS.iter().zip(&theirs).zip(&ours) {
            if theirs != ours {
                differences.push(format!(
                    "on {day}, {word}: Taskwarrior {theirs}, TME {ours}"
                ));
            }
        }
    }
    assert!(differences.is_empty(), "\n{}", differences.join("\n"));
    Ok(())
}

#[test]
fn the_31st_is_a_real_one_where_taskwarrior_rolls_over() -> TestResult {
    // Taskwarrior's `31st` in November is "November 31", which it rolls over to December 1;
    // TME's is the next day that is a 31st (the README says so where it lists the words).
    for (day, next) in [
        ("2026-11-26", "2026-12-31"),
        ("2027-02-28", "2027-03-31"),
        ("2026-03-31", "2026-05-31"),
    ] {
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")?;
        let now = chrono::Utc.from_utc_datetime(&date.and_hms_opt(8, 0, 0).unwrap_or_default());
        let ctx = TimeContext::new(now, chrono_tz::Europe::Berlin);
        assert_eq!(parse_when("31st", &ctx)?, When::Day(next.parse()?), "{day}");
    }
    Ok(())
}
