//! `tme import` and `tme export`: Taskwarrior's JSON both ways, re-imports that change nothing,
//! and imports that are all or nothing.

use crate::support::{Sandbox, TestResult};

const TASKWARRIOR: &str = r#"[
{"id":1,"uuid":"11111111-1111-4111-8111-111111111111","description":"Pay rent","project":"Finance","priority":"H","tags":["bills"],"entry":"20261120T080000Z","modified":"20261120T080000Z","due":"20261129T230000Z","status":"pending","annotations":[{"entry":"20261121T090000Z","description":"landlord changed bank"}],"estimate_hours":"2"},
{"id":0,"uuid":"22222222-2222-4222-8222-222222222222","description":"Write paper","project":"Research.Papers","entry":"20261101T080000Z","end":"20261110T170000Z","status":"completed"},
{"id":2,"uuid":"33333333-3333-4333-8333-333333333333","description":"Collect data","entry":"20261102T080000Z","depends":"11111111-1111-4111-8111-111111111111","status":"pending","start":"20261125T080000Z"}
]"#;

#[test]
fn taskwarrior_json_comes_in_and_goes_out() -> TestResult {
    let s = Sandbox::new();
    let path = s.file("export.json", TASKWARRIOR);
    assert_eq!(
        s.ok(&["import", &path]),
        "Imported: 3 created, 0 updated, 0 unchanged, 0 failed.\n"
    );
    assert_eq!(
        s.ok(&["import", &path]),
        "Imported: 0 created, 0 updated, 3 unchanged, 0 failed.\n"
    );
    let tasks = s.all_json();
    let rent = tasks
        .iter()
        .find(|t| t["title"] == "Pay rent")
        .ok_or("no rent")?;
    assert_eq!(rent["category"], "Finance");
    assert_eq!(
        rent["due"], "2026-11-30",
        "Berlin midnight is the whole day"
    );
    assert_eq!(rent["annotations"][0]["text"], "landlord changed bank");
    assert_eq!(rent["attrs"]["estimate_hours"], "2", "a UDA is kept");
    let data = tasks
        .iter()
        .find(|t| t["title"] == "Collect data")
        .ok_or("no data")?;
    assert_eq!(data["status"], "started");
    assert_eq!(
        data["depends"][0]["uuid"],
        "11111111-1111-4111-8111-111111111111"
    );
    let paper = tasks
        .iter()
        .find(|t| t["title"] == "Write paper")
        .ok_or("no paper")?;
    assert_eq!(paper["status"], "completed");

    let out = s.ok(&["export", "--format", "taskwarrior"]);
    let back: Vec<serde_json::Value> = serde_json::from_str(&out)?;
    assert_eq!(back.len(), 3);
    let rent = back
        .iter()
        .find(|t| t["description"] == "Pay rent")
        .ok_or("no rent")?;
    assert_eq!(rent["due"], "20261129T230000Z");
    assert_eq!(rent["estimate_hours"], "2");
    let data = back
        .iter()
        .find(|t| t["description"] == "Collect data")
        .ok_or("no data")?;
    assert_eq!(data["depends"][0], "11111111-1111-4111-8111-111111111111");

    // The export read by another TME is the same again.
    let other = Sandbox::new();
    let again = other.path().join("back.json");
    std::fs::write(&again, &out)?;
    assert_eq!(
        other.ok(&["import", &again.to_string_lossy()]),
        "Imported: 3 created, 0 updated, 0 unchanged, 0 failed.\n"
    );
    let strip = |mut tasks: Vec<serde_json::Value>| {
        for t in &mut tasks {
            if let Some(o) = t.as_object_mut() {
                o.remove("modified");
                o.remove("urgency");
            }
        }
        tasks
    };
    assert_eq!(strip(other.all_json()), strip(s.all_json()));
    Ok(())
}

#[test]
fn a_bad_record_imports_nothing_unless_skipped() -> TestResult {
    let s = Sandbox::new();
    let file = s.path().join("bad.json");
    std::fs::write(
        &file,
        "{\"uuid\":\"44444444-4444-4444-8444-444444444444\",\"description\":\"Fine\",\"status\":\"pending\"}\n{\"description\":\"No uuid\"}\nnot json at all\n",
    )?;
    let path = file.to_string_lossy().into_owned();
    let err = s.fails(&["import", &path], 2);
    assert!(
        err.contains("record 2: it has no valid uuid; nothing was imported (2 bad record(s)"),
        "{err}"
    );
    assert!(s.all_json().is_empty());
    let out = s.ok(&["import", &path, "--skip-invalid"]);
    assert!(out.starts_with("Imported: 1 created, 0 updated, 0 unchanged, 2 failed.\n  record 2: it has no valid uuid\n  record 3: not JSON"), "{out}");
    s.ok(&["undo"]);
    assert!(s.all_json().is_empty(), "one undo takes the import back");
    assert!(
        s.fails(&["import", "--format", "todo", &path], 2)
            .contains("'todo' is not a format")
    );
    std::fs::write(
        &file,
        r#"[{"title": "Fine"}, {"title": "Late", "due": "2026-13-01"}]"#,
    )?;
    let err = s.fails(&["import", &path], 2);
    assert!(
        err.contains("record 2: due: '2026-13-01' is not a time like 2026-12-01T09:00:00+01:00"),
        "{err}"
    );
    std::fs::write(&file, "ééééééééééé kaufen\n")?;
    assert_eq!(
        s.ok(&["import", &path]),
        "Imported: 1 created, 0 updated, 0 unchanged, 0 failed.\n",
        "text that is neither JSON nor a calendar is todo.txt"
    );
    assert!(
        s.fails(&["import", "--format", "json", &path], 2)
            .contains("the file is not JSON")
    );
    Ok(())
}

#[test]
fn the_demo_needs_a_terminal() -> TestResult {
    let s = Sandbox::new();
    assert!(
        s.fails(&["demo"], 2)
            .contains("tme demo opens the full-screen TUI on sample tasks, which needs a terminal")
    );
    assert!(
        s.all_json().is_empty(),
        "the user's database is not touched"
    );
    Ok(())
}

#[test]
fn todo_txt_comes_in_and_goes_out() -> TestResult {
    let s = Sandbox::new();
    let file = s.path().join("todo.txt");
    std::fs::write(
        &file,
        "(A) 2026-11-10 Call the bank +Finance @phone due:2026-11-30\n\
         x 2026-11-20 2026-11-12 Buy paint +Home @errand\n\
         (C) Read a book @leisure pages:300\n",
    )?;
    let path = file.to_string_lossy().into_owned();
    let args = ["import", "--format", "todotxt", path.as_str()];
    assert_eq!(
        s.ok(&args),
        "Imported: 3 created, 0 updated, 0 unchanged, 0 failed.\n"
    );
    assert_eq!(
        s.ok(&args),
        "Imported: 0 created, 0 updated, 3 unchanged, 0 failed.\n"
    );
    let tasks = s.all_json();
    let bank = tasks
        .iter()
        .find(|t| t["title"] == "Call the bank")
        .ok_or("no bank")?;
    assert_eq!(
        (
            bank["priority"].as_str(),
            bank["category"].as_str(),
            bank["due"].as_str()
        ),
        (Some("H"), Some("Finance"), Some("2026-11-30"))
    );
    assert_eq!(bank["tags"], serde_json::json!(["phone"]));
    let paint = tasks
        .iter()
        .find(|t| t["title"] == "Buy paint")
        .ok_or("no paint")?;
    assert_eq!(paint["status"], "completed");
    let book = tasks
        .iter()
        .find(|t| t["title"] == "Read a book")
        .ok_or("no book")?;
    assert_eq!(
        (book["priority"].as_str(), book["attrs"]["pages"].as_str()),
        (Some("L"), Some("300"))
    );
    let out = s.ok(&["export", "--format", "todotxt"]);
    // Each line ends with the task's uuid, so the file finds its tasks when it comes back.
    let line = |start: &str| {
        out.lines()
            .find(|l| l.starts_with(start))
            .and_then(|l| l.strip_prefix(start)?.strip_prefix(" uuid:"))
            .is_some_and(|u| uuid::Uuid::parse_str(u).is_ok())
    };
    assert!(
        line("(A) 2026-11-10 Call the bank +Finance @phone due:2026-11-30"),
        "{out}"
    );
    assert!(
        line("x 2026-11-20 2026-11-12 Buy paint +Home @errand"),
        "{out}"
    );
    let file = s.file("again.txt", &out);
    assert!(
        s.ok(&["import", &file])
            .contains(" 0 created, 0 updated, 3 unchanged"),
        "the file TME wrote finds its tasks"
    );
    let bracketed = s.file("bracketed.txt", "[1] Bracketed like JSON +Home\n");
    assert_eq!(
        s.ok(&["import", "--format", "todotxt", &bracketed]),
        "Imported: 1 created, 0 updated, 0 unchanged, 0 failed.\n",
        "named todo.txt is never read as JSON"
    );
    Ok(())
}

/// `task` with its own data directory.
fn taskwarrior(dir: &std::path::Path) -> std::process::Command {
    let rc = dir.join("taskrc");
    let _ = std::fs::write(
        &rc,
        format!(
            "data.location={}\nconfirmation=no\nverbose=nothing\n",
            dir.display()
        ),
    );
    let mut cmd = std::process::Command::new("task");
    cmd.env_clear()
        .env("TASKRC", &rc)
        .env("HOME", dir)
        .env("TZ", "Europe/Berlin")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd
}

#[test]
fn a_round_trip_through_the_real_taskwarrior() -> TestResult {
    if std::process::Command::new("task")
        .arg("--version")
        .output()
        .is_err()
    {
        return Err("this test needs Taskwarrior: run `apt-get install taskwarrior` (or .ci/run, which installs it)".into());
    }
    let s = Sandbox::new();
    let first = s.path().join("tw1");
    let second = s.path().join("tw2");
    std::fs::create_dir_all(&first)?;
    std::fs::create_dir_all(&second)?;
    for args in [
        vec![
            "add",
            "Pay rent",
            "project:Finance",
            "due:2026-11-30",
            "priority:H",
            "+bills",
        ],
        vec!["add", "Write paper", "project:Research.Papers"],
        vec!["add", "Collect data", "depends:2", "project:Research"],
        vec!["1", "annotate", "landlord changed bank"],
        vec!["add", "Stand-up", "recur:weekly", "due:2026-11-30"],
    ] {
        assert!(
            taskwarrior(&first).args(&args).output()?.status.success(),
            "task {args:?}"
        );
    }
    let exported = taskwarrior(&first).arg("export").output()?.stdout;
    let out = s.ok(&["import", &s.file("export.json", &exported)]);
    assert!(out.contains("0 failed"), "{out}");
    let back = s.path().join("back.json");
    std::fs::write(&back, s.ok(&["export", "--format", "taskwarrior"]))?;
    assert!(
        taskwarrior(&second)
            .args(["import", &back.to_string_lossy()])
            .output()?
            .status
            .success()
    );
    let summary = |dir: &std::path::Path| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let text = taskwarrior(dir).arg("export").output()?.stdout;
        let tasks: Vec<serde_json::Value> = serde_json::from_slice(&text)?;
        let mut lines: Vec<String> = tasks
            .iter()
            .map(|t| {
                format!(
                    "{} {} {} {} {} {} {}",
                    t["uuid"],
                    t["description"],
                    t["status"],
                    t["project"],
                    t["due"],
                    t["priority"],
                    t["annotations"].as_array().map_or(0, Vec::len)
                )
            })
            .collect();
        lines.sort();
        Ok(lines)
    };
    let before = summary(&first)?;
    assert!(before.len() >= 5, "Taskwarrior made the tasks: {before:?}");
    assert!(
        out.starts_with(&format!("Imported: {} created", before.len())),
        "{out}"
    );
    assert_eq!(summary(&second)?, before);
    Ok(())
}

#[test]
fn tme_json_moves_to_another_database_field_for_field() -> TestResult {
    let s = Sandbox::new();
    for args in [
        vec![
            "add",
            "Write paper #Research.Thesis +draft due:fri est:3h pri:H",
        ],
        vec!["add", "Collect data #Research dep:1"],
        // The most urgent task has a description: the file is still told as TME's own.
        vec![
            "modify",
            "1",
            "desc:\"Chapters 2 and 3\nthen the abstract\"",
        ],
        vec!["add", "Clean data parent:2"],
        vec!["add", "Stand-up #Team due:mon every:weekday"],
        vec!["annotate", "1", "reviewer 2 wants more plots"],
        vec!["start", "3"],
        vec!["done", "3"],
    ] {
        s.ok(&args);
    }
    let review = s.ok(&["add", "Review the draft"]);
    let review: String = review.chars().filter(char::is_ascii_digit).collect();
    s.ok(&["dep", "add", &review, "1", "--kind", "ss"]);
    let path = s.file("tme.json", s.ok(&["export"]));
    let other = Sandbox::new();
    let before = s.all_json();
    assert_eq!(
        other.ok(&["import", &path]),
        format!(
            "Imported: {} created, 0 updated, 0 unchanged, 0 failed.\n",
            before.len()
        ),
        "the format is told by the file"
    );
    assert_eq!(
        other.all_json(),
        before,
        "ids, links and times are the same"
    );
    assert_eq!(
        other.ok(&["import", "--format", "json", &path]),
        format!(
            "Imported: 0 created, 0 updated, {} unchanged, 0 failed.\n",
            before.len()
        )
    );
    Ok(())
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\n\
VERSION:2.0\r\n\
PRODID:-//Example Corp.//Calendar 1.0//EN\r\n\
BEGIN:VTIMEZONE\r\n\
TZID:Europe/Berlin\r\n\
BEGIN:STANDARD\r\n\
DTSTART:19701025T030000\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n\
BEGIN:VEVENT\r\n\
UID:040000008200E00074C5B7101A82E008@example.com\r\n\
DTSTAMP:20261120T101500Z\r\n\
DTSTART;TZID=Europe/Berlin:20261130T100000\r\n\
DTEND;TZID=Europe/Berlin:20261130T103000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO\r\n\
SUMMARY:Lab meeting\r\n\
LOCATION:Room 4.12\r\n\
BEGIN:VALARM\r\n\
ACTION:DISPLAY\r\n\
TRIGGER:-PT15M\r\n\
DESCRIPTION:Lab meeting soon\r\n\
END:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VTODO\r\n\
UID:thunderbird-7f1c\r\n\
DTSTAMP:20261120T101500Z\r\n\
CREATED:20261118T090000Z\r\n\
SUMMARY:Renew passport\\, with photos\r\n\
DESCRIPTION:Bring the old one.\\nAnd the form.\r\n\
CATEGORIES:Personal,errand\r\n\
PRIORITY:1\r\n\
DUE;VALUE=DATE:20261215\r\n\
END:VTODO\r\n\
BEGIN:VTODO\r\n\
UID:thunderbird-9a2b\r\n\
SUMMARY:File expenses\r\n\
STATUS:COMPLETED\r\n\
COMPLETED:20261125T160000Z\r\n\
END:VTODO\r\n\
END:VCALENDAR\r\n";

#[test]
fn icalendar_entries_come_in_as_tasks() -> TestResult {
    let s = Sandbox::new();
    let path = s.file("calendar.ics", CALENDAR);
    assert_eq!(
        s.ok(&["import", &path]),
        "Imported: 3 created, 0 updated, 0 unchanged, 0 failed.\n  \
         record 1: TME has no place for alarms (VALARM)\n"
    );
    assert_eq!(
        s.ok(&["import", &path]),
        "Imported: 0 created, 0 updated, 3 unchanged, 0 failed.\n  \
         record 1: TME has no place for alarms (VALARM)\n",
        "entries whose UID is not a uuid are found again"
    );
    let tasks = s.all_json();
    let find = |title: &str| {
        tasks
            .iter()
            .find(|t| t["title"] == title)
            .cloned()
            .ok_or(format!("no {title}"))
    };
    let meeting = tasks
        .iter()
        .find(|t| t["title"] == "Lab meeting" && t["status"] == "recurring")
        .ok_or("no series")?;
    assert_eq!(meeting["due"], "2026-11-30T10:00:00+01:00");
    assert_eq!(meeting["estimate"], 1800);
    assert_eq!(meeting["recurrence"]["rule"], "FREQ=WEEKLY;BYDAY=MO");
    assert_eq!(meeting["attrs"]["location"], "Room 4.12");
    let passport = find("Renew passport, with photos")?;
    assert_eq!(passport["description"], "Bring the old one.\nAnd the form.");
    assert_eq!(
        (
            &passport["category"],
            &passport["tags"],
            &passport["priority"],
            &passport["due"]
        ),
        (
            &serde_json::json!("Personal"),
            &serde_json::json!(["errand"]),
            &serde_json::json!("H"),
            &serde_json::json!("2026-12-15")
        )
    );
    assert_eq!(passport["created"], "2026-11-18T10:00:00+01:00");
    let expenses = find("File expenses")?;
    assert_eq!(expenses["status"], "completed");
    assert_eq!(expenses["completed"], "2026-11-25T17:00:00+01:00");
    Ok(())
}

#[test]
fn a_broken_calendar_names_the_line_and_imports_nothing() -> TestResult {
    let s = Sandbox::new();
    let file = s.path().join("broken.ics");
    let broken = CALENDAR.replace("END:VALARM\r\n", "");
    std::fs::write(&file, broken)?;
    let err = s.fails(&["import", &file.to_string_lossy()], 2);
    assert!(
        err.contains("line 24: END:VEVENT does not close BEGIN:VALARM (line 20)"),
        "{err}"
    );
    let bad_date = CALENDAR.replace("DUE;VALUE=DATE:20261215", "DUE;VALUE=DATE:2026-12-15");
    std::fs::write(&file, bad_date)?;
    let err = s.fails(&["import", &file.to_string_lossy()], 2);
    assert!(
        err.contains("record 2: line 34: DUE: '2026-12-15' is not a date (20261201)"),
        "{err}"
    );
    assert!(s.all_json().is_empty());
    Ok(())
}

#[test]
fn the_exported_calendar_reads_in_an_icalendar_parser() -> TestResult {
    use icalendar::{Component, DatePerhapsTime, EventLike};
    let s = Sandbox::new();
    for args in [
        vec![
            "add",
            "Pay rent, finally; really #Finance due:2026-11-30 pri:H",
        ],
        vec![
            "add",
            "Submit the very long grant application with every appendix the funder asks for #Research due:2026-12-01T14:00",
        ],
        vec![
            "add",
            "Stand-up #Team due:2026-11-30T09:15 every:weekday until:2027-03-31",
        ],
    ] {
        s.ok(&args);
    }
    let text = s.ok(&["export", "--format", "ics"]);
    let calendar: icalendar::Calendar = text.parse()?;
    let todos: Vec<&icalendar::Todo> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_todo())
        .collect();
    assert_eq!(todos.len(), 3, "{text}");
    let by_title = |title: &str| {
        todos
            .iter()
            .find(|t| t.get_summary() == Some(title))
            .copied()
            .ok_or(format!("no {title} in {text}"))
    };
    let rent = by_title("Pay rent, finally; really")?;
    assert_eq!(
        rent.get_due(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).map(DatePerhapsTime::Date)
    );
    assert_eq!(rent.property_value("PRIORITY"), Some("1"));
    assert_eq!(rent.get_categories(), Some(vec!["Finance".to_string()]));
    let grant =
        by_title("Submit the very long grant application with every appendix the funder asks for")?;
    assert_eq!(
        grant.get_due(),
        Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(
            chrono::DateTime::parse_from_rfc3339("2026-12-01T13:00:00Z")?.to_utc()
        )))
    );
    let standup = by_title("Stand-up")?;
    let rule = standup.property_value("RRULE").ok_or("no RRULE")?;
    assert!(
        rule.starts_with("FREQ=WEEKLY;") && rule.contains("UNTIL=2027033"),
        "{rule}"
    );
    assert!(standup.get_start().is_some(), "a series has its start");

    // Read back by TME, the calendar gives the same tasks.
    let other = Sandbox::new();
    assert!(
        other
            .ok(&["import", &other.file("tme.ics", &text)])
            .starts_with("Imported: 3 created")
    );
    // Open instances are occurrences of their series' RRULE: the series comes back and spawns
    // its instance again.
    let summary = |tasks: Vec<serde_json::Value>| {
        let mut lines: Vec<String> = tasks
            .iter()
            .filter(|t| t["recurrence"]["template"].is_null())
            .map(|t| {
                format!(
                    "{} {} {} {} {}",
                    t["uuid"], t["title"], t["due"], t["priority"], t["until"]
                )
            })
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(summary(other.all_json()), summary(s.all_json()));
    let standups = other
        .all_json()
        .into_iter()
        .filter(|t| t["title"] == "Stand-up")
        .count();
    assert_eq!(standups, 2, "the series and the instance it spawned again");
    Ok(())
}

#[test]
fn subtasks_and_series_survive_taskwarrior_json() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Release 2.4"]);
    s.ok(&["add", "Write the changelog parent:1"]);
    s.ok(&["add", "Stand-up due:2026-11-30T09:15 every:weekday"]);
    let out = s.ok(&["export", "--format", "taskwarrior"]);
    let other = Sandbox::new();
    assert!(
        other
            .ok(&["import", &other.file("tw.json", &out)])
            .contains("0 failed")
    );
    let parent_of = |tasks: &[serde_json::Value], title: &str| {
        tasks
            .iter()
            .find(|t| t["title"] == title)
            .map(|t| t["parent_uuid"].clone())
    };
    let (before, after) = (s.all_json(), other.all_json());
    assert_eq!(
        parent_of(&after, "Write the changelog"),
        parent_of(&before, "Write the changelog"),
        "the subtask keeps its parent (tme_parent)"
    );
    assert!(parent_of(&after, "Write the changelog").is_some_and(|p| p.is_string()));
    let templates = |tasks: &[serde_json::Value]| {
        tasks
            .iter()
            .filter(|t| t["status"] == "recurring")
            .map(|t| t["recurrence"]["rule"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        templates(&after),
        templates(&before),
        "the series keeps its rule (recur)"
    );
    Ok(())
}

#[test]
fn links_to_tasks_that_are_nowhere_are_reported_per_record() -> TestResult {
    let s = Sandbox::new();
    let missing = "11111111-1111-4111-8111-111111111111";
    let file = s.file(
        "links.json",
        format!(
            r#"[{{"title":"Fine"}},{{"title":"Waits","depends":[{{"uuid":"{missing}","kind":"fs"}}],"parent_uuid":"{missing}"}}]"#
        ),
    );
    let out = s.ok(&["import", &file]);
    assert!(out.starts_with("Imported: 2 created"), "{out}");
    assert!(
        out.contains(&format!(
            "  record 2: the task it depends on, {missing} is neither in the file nor in the database, so it was left out\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  record 2: its parent task, {missing} is neither"
        )),
        "{out}"
    );
    assert_eq!(s.all_json().len(), 2);
    Ok(())
}

#[test]
fn what_a_reader_cannot_keep_is_reported_per_record() -> TestResult {
    let s = Sandbox::new();
    let uuid = "11111111-1111-4111-8111-111111111111";
    let tw = s.file(
        "tw.json",
        format!(
            r#"[{{"uuid":"{uuid}","id":"seven","description":"Listed","tags":"home,phone","depends":[7],"files":["a","b"]}}]"#
        ),
    );
    let out = s.ok(&["import", &tw]);
    assert_eq!(
        out,
        "Imported: 1 created, 0 updated, 0 unchanged, 0 failed.\n  \
         record 1: files: an attribute holds text, a number or yes/no, not [\"a\",\"b\"]\n  \
         record 1: depends: 7 is not a uuid\n  \
         record 1: id: \"seven\" is not a task id, so the task gets a new one\n"
    );
    let task = &s.all_json()[0];
    assert_eq!(
        task["tags"],
        serde_json::json!(["home", "phone"]),
        "tags given as text are read"
    );
    let json = s.file(
        "tme.json",
        r#"[{"title":"Typed by hand","project":"Work","dew":"2026-12-01"}]"#,
    );
    let out = s.ok(&["import", &json]);
    assert!(
        out.contains("record 1: 'project' is not a field of TME's JSON, so it was left out\n")
            && out.contains("record 1: 'dew' is not a field of TME's JSON, so it was left out\n"),
        "{out}"
    );
    Ok(())
}

/// Task 1 "Write paper" (Research, `due`, 2h, a note) and task 2 "Submit" depending on it (`dep`).
fn paper_with_a_note(due: &str, dep: &str) -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["add", "Write paper", "project:Research", due, "est:2h"]);
    s.ok(&["add", "Submit", dep]);
    s.ok(&["annotate", "1", "the draft is in the lab folder"]);
    s
}

#[test]
fn an_export_says_what_its_format_has_no_place_for() -> TestResult {
    let s = paper_with_a_note("due:2026-12-01", "dep:1");
    let out = s.cmd().args(["export", "--format", "todotxt"]).output()?;
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tme: warning: todotxt has no place for: annotations (1 task), depends (1 task), \
         estimate (1 task); --format json keeps everything\n"
    );
    let out = s.cmd().args(["export", "--format", "json"]).output()?;
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "TME's JSON keeps everything"
    );
    let out = s
        .cmd()
        .args(["export", "--format", "taskwarrior"])
        .output()?;
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "Taskwarrior's JSON keeps what it has no field for as UDAs"
    );
    Ok(())
}

#[test]
fn an_import_too_big_or_not_text_is_refused_before_anything_is_read_in() -> TestResult {
    let s = Sandbox::new();
    let huge = s.path().join("huge.json");
    // A sparse file: a size past the bound without the disk space.
    std::fs::File::create(&huge)?.set_len((1 << 30) + 1)?;
    let err = s.fails(&["import", &huge.to_string_lossy()], 2);
    assert!(
        err.ends_with("huge.json holds more than 1 GiB; import it in parts\n"),
        "{err}"
    );
    let latin = s.file("latin1.txt", b"Caf\xe9 bills due:2026-12-01\n");
    let err = s.fails(&["import", &latin], 2);
    assert!(
        err.ends_with(
            "latin1.txt is not UTF-8 text (byte 3 is not); save it as UTF-8 and import it again\n"
        ),
        "{err}"
    );
    assert!(s.all_json().is_empty());
    Ok(())
}

#[test]
fn a_file_in_any_format_comes_home_without_wiping_what_it_cannot_hold() -> TestResult {
    let s = paper_with_a_note("due:2026-12-01T14:30", "dep:ss:1");
    s.ok(&["modify", "1", "desc:'Sections 1-3 first'"]);
    let before = s.ok(&["export"]);
    for format in ["json", "taskwarrior", "todotxt", "ics"] {
        let out = s.cmd().args(["export", "--format", format]).output()?;
        let file = s.file(&format!("tasks.{format}"), out.stdout);
        assert_eq!(
            s.ok(&["import", &file]),
            "Imported: 0 created, 0 updated, 2 unchanged, 0 failed.\n",
            "{format}"
        );
        assert_eq!(s.ok(&["export"]), before, "{format}: nothing changed");
    }
    // A change made in the file does come in, and only that.
    let out = s.cmd().args(["export", "--format", "todotxt"]).output()?;
    let edited = String::from_utf8(out.stdout)?.replace("Write paper", "Write the paper");
    let file = s.file("edited.txt", edited);
    assert_eq!(
        s.ok(&["import", &file]),
        "Imported: 0 created, 1 updated, 1 unchanged, 0 failed.\n"
    );
    let paper = &s.all_json()[0];
    assert_eq!(paper["title"], "Write the paper");
    assert_eq!(
        paper["description"], "Sections 1-3 first",
        "todo.txt has no description: kept"
    );
    assert_eq!(
        paper["due"], "2026-12-01T14:30:00+01:00",
        "todo.txt has days: the time kept"
    );
    assert_eq!(
        paper["annotations"][0]["text"],
        "the draft is in the lab folder"
    );
    Ok(())
}

#[test]
fn a_file_in_no_format_tme_reads_is_refused_not_imported_as_lines() -> TestResult {
    let s = Sandbox::new();
    for (name, text, what) in [
        (
            "todoist.csv",
            "TYPE,CONTENT,PRIORITY,DATE\ntask,Pay rent,4,every month\ntask,Call mum,1,\n",
            "comma-separated values",
        ),
        (
            "page.html",
            "<!doctype html>\n<title>Tasks</title>\n",
            "markup (XML or HTML)",
        ),
        ("tasks.db", "SQLite format 3\u{0}\u{1}\u{2}", "binary data"),
    ] {
        let file = s.file(name, text);
        let err = s.fails(&["import", &file], 2);
        assert!(
            err.contains(&format!(
                "the file looks like {what}, which is no format TME reads"
            )) && err.contains("--format todotxt"),
            "{name}: {err}"
        );
    }
    assert!(s.all_json().is_empty(), "nothing was imported");
    let file = s.file("list.txt", "Pay rent, water, power\nCall mum, dad, Anna\n");
    let out = s.ok(&["import", "--format", "todotxt", &file]);
    assert!(
        out.starts_with("Imported: 2 created"),
        "named, it is read: {out}"
    );
    Ok(())
}

#[test]
fn a_record_that_does_not_say_when_it_was_made_was_made_at_the_import() -> TestResult {
    let s = Sandbox::new();
    let todo = s.file("undated.txt", "Read a book @leisure\n");
    let tw = s.file(
        "undated.json",
        r#"[{"uuid":"11111111-1111-4111-8111-111111111111","description":"Water plants"}]"#,
    );
    for file in [&todo, &tw] {
        s.ok(&["import", file]);
    }
    let created: Vec<String> = s
        .all_json()
        .iter()
        .map(|t| t["created"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(created.len(), 2);
    assert!(
        created.iter().all(|c| c.starts_with("2026-11-26T09:00")),
        "the import's time, not 1970: {created:?}"
    );
    let before = s.ok(&["export"]);
    for file in [&todo, &tw] {
        // A week later, the same file: the same tasks, made when they were first imported.
        let out = s
            .cmd()
            .env("TME_NOW", "2026-12-03T09:00:00+01:00")
            .args(["import", file])
            .output()?;
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains(" 1 unchanged"),
            "again: the same task: {said}"
        );
    }
    assert_eq!(s.ok(&["export"]), before);
    Ok(())
}
