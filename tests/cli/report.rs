//! `tme report` and `tme history` on a history made at pinned dates.

use crate::support::{Sandbox, TestResult};

/// Three weeks of work: tasks added, started and completed on different days.
fn history(s: &mut Sandbox) {
    s.set_now("2026-11-02T09:00:00+01:00");
    s.ok(&["add", "Write report #Work est:2h due:2026-11-06"]);
    s.ok(&["add", "Fix bug #Work due:2026-11-10"]);
    s.ok(&["add", "Clean garage #Home"]);
    s.set_now("2026-11-03T09:00:00+01:00");
    s.ok(&["start", "1"]);
    s.set_now("2026-11-03T12:00:00+01:00");
    s.ok(&["stop", "1"]);
    s.set_now("2026-11-05T09:00:00+01:00");
    s.ok(&["done", "1"]);
    s.set_now("2026-11-16T09:00:00+01:00");
    s.ok(&["done", "2"]);
    s.set_now("2026-11-26T09:00:00+01:00");
}

#[test]
fn reports_print_tables_csv_and_json() -> TestResult {
    let mut s = Sandbox::new();
    history(&mut s);
    let summary = s.ok(&["report"]);
    assert!(
        summary.starts_with("Category  Open  Overdue  Done  Avg age  Complete\n"),
        "{summary}"
    );
    assert!(
        summary.contains("Work         0        0     2"),
        "{summary}"
    );
    assert!(
        summary.contains("1 open, 0 overdue, 2 done in 30d; on time: 50%"),
        "{summary}"
    );

    let csv = s.ok(&["report", "throughput", "--csv"]);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0], ["Period", "Done"], "no column of bars in CSV");
    assert_eq!(rows.len(), 31, "a header and 30 days");
    let done: u32 = rows[1..]
        .iter()
        .filter_map(|r| r[1].parse::<u32>().ok())
        .sum();
    assert_eq!(done, 2);
    assert!(rows.iter().any(|r| r[0] == "2026-11-05" && r[1] == "1"));
    // Machine formats carry plain values: days and shares as numbers, units in the header.
    let csv = s.ok(&["report", "summary", "--csv"]);
    let header = csv.lines().next().unwrap_or_default();
    assert_eq!(
        header,
        "Category,Open,Overdue,Done,Avg age (days),Complete (share)"
    );
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| !l.contains(['%', '█', '░']) && !l.ends_with(['d', 'h', 'm'])),
        "{csv}"
    );

    let lead: serde_json::Value = serde_json::from_str(&s.ok(&["report", "leadtime", "--json"]))?;
    assert_eq!(lead["kind"], "lead");
    let work = &lead["rows"][0];
    assert_eq!(work["category"], "Work");
    assert_eq!(work["tasks"], 2);
    assert_eq!(work["median_days"], 3.0, "added Nov 2, done Nov 5");
    assert_eq!(work["p90_days"], 14.0, "added Nov 2, done Nov 16");

    let estimates = s.ok(&["report", "estimates"]);
    assert!(
        estimates.contains("Work          1       2.0h    3.0h        1.50"),
        "{estimates}"
    );
    let weekly: serde_json::Value =
        serde_json::from_str(&s.ok(&["report", "throughput", "--range", "90d", "--json"]))?;
    assert_eq!(weekly["period"], "week");
    assert_eq!(weekly["total"], 2);
    Ok(())
}

#[test]
fn a_filter_narrows_every_report() -> TestResult {
    let mut s = Sandbox::new();
    history(&mut s);
    let home: serde_json::Value =
        serde_json::from_str(&s.ok(&["report", "summary", "#Home", "--json"]))?;
    assert_eq!(home["open"], 1);
    assert_eq!(home["done"], 0);
    assert_eq!(home["categories"].as_array().map(Vec::len), Some(1));
    let work = s.ok(&["report", "#Work", "--csv"]);
    assert_eq!(work.lines().count(), 2, "the summary of Work alone: {work}");
    let burndown = s.ok(&["report", "burndown", "--range", "1y"]);
    assert!(burndown.contains("Open: 0 → 1 over 1y"), "{burndown}");
    Ok(())
}

#[test]
fn the_list_bad_names_and_bad_ranges() -> TestResult {
    let s = Sandbox::new();
    let list = s.ok(&["report", "--list"]);
    for name in [
        "summary",
        "throughput",
        "leadtime",
        "cycletime",
        "burndown",
        "flow",
        "overdue",
        "recurring",
        "estimates",
        "oldest",
    ] {
        assert!(
            list.lines().any(|l| l.starts_with(name)),
            "{name} missing:\n{list}"
        );
    }
    assert!(
        s.fails(&["report", "velocity"], 2)
            .contains("there is no report 'velocity'")
    );
    assert!(
        s.fails(&["report", "--range", "soon"], 2)
            .contains("'soon' is not a range")
    );
    assert!(
        s.fails(&["report", "flow", "due:someday"], 2)
            .contains("due:someday")
    );
    Ok(())
}

#[test]
fn history_shows_the_journal_of_a_task() -> TestResult {
    let mut s = Sandbox::new();
    history(&mut s);
    let out = s.ok(&["history", "1"]);
    let expected = "\
History of task 1 'Write report'
  2026-11-02 09:00  add      tester via cli
  2026-11-03 09:00  start    tester via cli
      status: pending → started
";
    assert!(out.starts_with(expected), "{out}");
    assert!(
        out.contains("  2026-11-05 09:00  complete tester via cli\n"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&s.ok(&["history", "1", "--json"]))?;
    assert_eq!(json.as_array().map(Vec::len), Some(4));
    assert_eq!(json[3]["op"], "complete");
    assert!(
        s.fails(&["history", "99"], 2)
            .contains("task 99 does not exist")
    );
    Ok(())
}
