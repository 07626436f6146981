//! `--json` and `--csv` are for machines: every command's output carries numbers and plain
//! values — no bars, sparklines or status glyphs, and no durations written as words (`1m`,
//! `6.5h`); amounts of time are numbers whose unit the field name or header says.

use serde_json::Value;

use crate::support::Sandbox;

/// Characters that belong on a screen, not in data.
const GLYPHS: [char; 24] = [
    '█', '░', '■', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '○', '⊘', '▶', '↻', '◇', '✓', '✗', '…', '◆',
    '├', '└', '│', '⣀', '━',
];

/// A week of work with every kind of thing a report or listing shows.
fn week_of_work(s: &mut Sandbox) {
    s.set_now("2026-11-16T09:00:00+01:00");
    for line in [
        "Write report project:Work est:2h due:2026-11-20 +writing",
        "Fix bug project:Work.Backend due:2026-11-18 pri:H",
        "Water plants due:2026-11-16 every:daily",
        "Plan trip sched:2026-11-30 due:2026-12-02 project:Home",
        "Tag the release dep:2 parent:1",
    ] {
        s.ok(&["add", line]);
    }
    s.ok(&["annotate", "1", "outline agreed"]);
    s.set_now("2026-11-17T09:00:00+01:00");
    s.ok(&["start", "1"]);
    s.set_now("2026-11-17T11:30:00+01:00");
    s.ok(&["stop", "1"]);
    s.set_now("2026-11-19T09:00:00+01:00");
    s.ok(&["done", "2"]);
    s.set_now("2026-11-26T09:00:00+01:00");
}

/// Every string in a JSON value, with the path to it.
fn strings(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(text) => out.push((path, text.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                strings(item, format!("{path}.{key}"), out);
            }
        }
        _ => {}
    }
}

/// Whether `text` is an amount of time in words: `1m`, `6.5h`, `3d`, `2w`, `45s`.
fn duration_word(text: &str) -> bool {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &text[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && ["s", "m", "min", "h", "d", "w", "mo", "y"].contains(&unit)
}

/// What is wrong with one value in machine output, if anything.
fn unfit(text: &str) -> Option<&'static str> {
    if text.chars().any(|c| GLYPHS.contains(&c)) {
        Some("a glyph")
    } else if duration_word(text) {
        Some("a duration in words")
    } else {
        None
    }
}

#[test]
fn json_and_csv_carry_plain_values() {
    let mut s = Sandbox::new();
    week_of_work(&mut s);
    let mut json_commands: Vec<Vec<String>> = [
        "list --all",
        "next",
        "show 1",
        "show 3",
        "status",
        "tree",
        "tree 1",
        "cal",
        "agenda --days 14",
        "history 1",
    ]
    .iter()
    .map(|c| c.split(' ').map(str::to_string).collect())
    .collect();
    let reports: Vec<String> = s
        .ok(&["report", "--list"])
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(reports.len() >= 10, "{reports:?}");
    for report in &reports {
        json_commands.push(vec![
            "report".into(),
            report.clone(),
            "--range".into(),
            "30d".into(),
        ]);
    }
    let mut problems = Vec::new();
    for mut command in json_commands {
        command.push("--json".into());
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let text = s.ok(&args);
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("tme {}: not JSON ({e}):\n{text}", command.join(" ")));
        let mut found = Vec::new();
        strings(&value, String::new(), &mut found);
        for (path, text) in found {
            // The range as the user typed it is echoed beside its days, from and to.
            if path == ".range.asked" {
                continue;
            }
            if let Some(what) = unfit(&text) {
                problems.push(format!(
                    "tme {}: {path} = {text:?} is {what}",
                    command.join(" ")
                ));
            }
        }
    }
    let export: Value = serde_json::from_str(&s.ok(&["export"])).unwrap_or(Value::Null);
    assert!(export.is_array(), "tme export is a JSON array");
    let mut found = Vec::new();
    strings(&export, String::new(), &mut found);
    for (path, text) in found {
        if let Some(what) = unfit(&text) {
            problems.push(format!("tme export: {path} = {text:?} is {what}"));
        }
    }
    for report in &reports {
        let text = s.ok(&["report", report, "--csv"]);
        for (n, line) in text.lines().enumerate() {
            for cell in line.split(',') {
                if let Some(what) = unfit(cell.trim_matches('"')) {
                    problems.push(format!(
                        "tme report {report} --csv, line {}: {cell:?} is {what}",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_check_itself_tells_words_from_numbers() {
    assert_eq!(unfit("1m"), Some("a duration in words"));
    assert_eq!(unfit("6.5h"), Some("a duration in words"));
    assert_eq!(unfit("■■■"), Some("a glyph"));
    assert_eq!(unfit("2026-11-26"), None);
    assert_eq!(unfit("3600"), None);
    assert_eq!(unfit("Write report"), None);
}
