//! `tme cal` and `tme agenda`, at a pinned date in Berlin: all-day and timed tasks, series
//! still to come, overdue days, the year's end and a daylight-saving change.

use crate::support::{Sandbox, TestResult};

fn planner(s: &Sandbox) {
    for line in [
        "Dentist due:2026-12-03T14:30 est:1h #Health",
        "New year party due:2026-12-31T20:00",
        "File taxes due:2027-01-04 #Finance",
        "Plan trip sched:2026-12-30 due:2027-01-02",
        "Renew passport due:2026-11-20",
        "Morning pages due:2026-11-27T09:00 every:daily est:30m",
    ] {
        s.ok(&["add", line]);
    }
}

#[test]
fn cal_prints_the_month_with_counts() -> TestResult {
    let s = Sandbox::new();
    planner(&s);
    let out = s.ok(&["cal"]);
    let (title, rest) = out.split_once('\n').ok_or("one line")?;
    assert_eq!(title, "                  November 2026");
    let expected = " Mo     Tu     We     Th     Fr     Sa     Su
                                            1
  2      3      4      5      6      7      8
  9     10     11     12     13     14     15
 16     17     18     19     20!1   21     22
 23     24     25    *26     27·1   28◇    29◇
 30◇
·N tasks due or scheduled  !N overdue  ◇ series occurrence (missed if past)  *today
";
    assert_eq!(rest, expected);
    let dec = s.ok(&["cal", "dec"]);
    assert!(
        dec.starts_with("                  December 2026\n"),
        "{dec}"
    );
    assert!(dec.contains("  3·1◇"), "{dec}");
    assert!(dec.contains(" 30·1◇  31·1◇"), "{dec}");
    let jan = s.ok(&["cal", "2027-01"]);
    assert!(jan.contains("  2·1◇"), "the trip is due on Jan 2: {jan}");
    assert!(jan.contains("  4·1◇"), "{jan}");
    Ok(())
}

#[test]
fn cal_weeks_start_where_the_config_says() -> TestResult {
    let s = Sandbox::new();
    let config = s.path().join("config.yaml");
    std::fs::write(&config, "week_start: sunday\n")?;
    let out = s.ok(&["--config", &config.to_string_lossy(), "cal", "2027-02"]);
    let header = out.lines().nth(1).unwrap_or_default();
    assert_eq!(header, " Su     Mo     Tu     We     Th     Fr     Sa");
    Ok(())
}

#[test]
fn cal_json_and_bad_months() -> TestResult {
    let s = Sandbox::new();
    planner(&s);
    let value: serde_json::Value = serde_json::from_str(&s.ok(&["cal", "--json"]))?;
    assert_eq!(value["month"], "2026-11");
    assert_eq!(value["week_start"], "mon");
    let days = value["days"].as_array().ok_or("no days")?;
    assert_eq!(days.len(), 30);
    assert_eq!(days[19]["date"], "2026-11-20");
    assert_eq!(days[19]["overdue"], true);
    assert_eq!(days[25]["today"], true);
    assert_eq!(days[26]["tasks"], 1);
    assert_eq!(days[27]["upcoming"], 1);
    let err = s.fails(&["cal", "someday"], 2);
    assert!(err.contains("'someday' is not a month"), "{err}");
    Ok(())
}

#[test]
fn agenda_groups_by_day_across_the_new_year() -> TestResult {
    let s = Sandbox::new();
    planner(&s);
    let out = s.ok(&["agenda", "--from", "2026-12-30", "--days", "6"]);
    let expected = "\
Overdue
  Fri 20 Nov   ○ 5 Renew passport  6d overdue
Wed 30 Dec 2026
  all day      ○ 4 Plan trip  scheduled
  09:00–09:30  ◇ Morning pages  (series 6, to come)
Thu 31 Dec 2026
  09:00–09:30  ◇ Morning pages  (series 6, to come)
  20:00        ○ 2 New year party
Fri 01 Jan 2027
  09:00–09:30  ◇ Morning pages  (series 6, to come)
Sat 02 Jan 2027
  all day      ○ 4 Plan trip
  09:00–09:30  ◇ Morning pages  (series 6, to come)
Sun 03 Jan 2027
  09:00–09:30  ◇ Morning pages  (series 6, to come)
Mon 04 Jan 2027
  all day      ○ 3 File taxes  #Finance
  09:00–09:30  ◇ Morning pages  (series 6, to come)
";
    assert_eq!(out, expected);
    Ok(())
}

#[test]
fn past_occurrences_without_a_task_are_missed_not_to_come() {
    let s = Sandbox::new();
    s.ok(&["add", "Stretch due:2026-11-23 every:daily"]);
    let out = s.ok(&["agenda", "--from", "2026-11-24", "--days", "4"]);
    let expected = "\
Tue 24 Nov 2026
  all day      ◇ Stretch  (series 1, missed)
Wed 25 Nov 2026
  all day      ◇ Stretch  (series 1, missed)
Thu 26 Nov 2026  today
  all day      ○ 2 Stretch
Fri 27 Nov 2026
  all day      ◇ Stretch  (series 1, to come)
";
    assert_eq!(out, expected);
}

#[test]
fn agenda_today_and_json() -> TestResult {
    let s = Sandbox::new();
    planner(&s);
    let out = s.ok(&["agenda", "--days", "2"]);
    assert!(
        out.contains("Thu 26 Nov 2026  today\n  nothing due\n"),
        "{out}"
    );
    assert!(
        out.contains("Fri 27 Nov 2026\n  09:00–09:30  ○ 7 Morning pages\n"),
        "{out}"
    );
    let value: serde_json::Value =
        serde_json::from_str(&s.ok(&["agenda", "--days", "7", "--json"]))?;
    assert_eq!(value["from"], "2026-11-26");
    assert_eq!(value["to"], "2026-12-02");
    assert_eq!(value["overdue"][0]["id"], 5);
    let days = value["days"].as_array().ok_or("no days")?;
    assert_eq!(days[0]["date"], "2026-11-27");
    assert_eq!(days[0]["entries"][0]["kind"], "due");
    assert_eq!(days[0]["entries"][0]["time"], "09:00");
    assert_eq!(days[1]["entries"][0]["kind"], "upcoming");
    assert_eq!(days[1]["entries"][0]["template"], 6);
    assert!(s.fails(&["agenda", "--days", "0"], 2).contains("--days"));
    assert!(
        s.fails(&["agenda", "--from", "whenever"], 2)
            .contains("--from")
    );
    Ok(())
}

#[test]
fn agenda_keeps_the_hour_across_daylight_saving() -> TestResult {
    let s = Sandbox::new();
    planner(&s);
    // Berlin moves its clocks forward on 2027-03-28 and back on 2027-10-31.
    for from in ["2027-03-27", "2027-10-30"] {
        let out = s.ok(&["agenda", "--from", from, "--days", "3"]);
        let nine = out.matches("  09:00–09:30  ◇ Morning pages").count();
        assert_eq!(nine, 3, "{out}");
    }
    Ok(())
}
