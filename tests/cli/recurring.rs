//! Recurring tasks from the command line: capture, the catch-up before every command, the
//! config's `recurring:` list, editing instances, and two processes catching up at once.

use std::process::Command as Process;

use crate::support::{Sandbox, TestResult, field};

/// The open instances, as (id, due) pairs, soonest first.
fn open_instances(s: &Sandbox) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = s
        .json(&["list", "--json"])
        .iter()
        .filter(|t| !t["recurrence"]["template"].is_null())
        .map(|t| (t["id"].as_u64().unwrap_or(0), field(t, "due").to_string()))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[test]
fn adding_a_recurring_task_shows_the_rule_and_its_first_instance() -> TestResult {
    let s = Sandbox::new();
    let out = s.ok(&["add", "Pay rent #Finance due:eom every:monthly pri:H"]);
    assert_eq!(
        out,
        "Created task 1.\nIt repeats every last day of the month.\nNext: task 2 'Pay rent' due 2026-11-30.\n"
    );
    let out = s.ok(&["add", "Review goals", "every:2nd tue", "until:2027-06-30"]);
    assert!(
        out.contains("It repeats every 2nd Tuesday until 2027-06-30.\n"),
        "{out}"
    );
    let list = s.ok(&["list"]);
    assert!(list.contains("Pay rent     recurring Finance"), "{list}");
    assert!(
        !list.contains(" series "),
        "templates stay out of lists: {list}"
    );
    let series = s.ok(&["list", "status:recurring"]);
    assert!(series.contains("Pay rent     series"), "{series}");
    let json = s.json(&["list", "status:recurring", "--json"]);
    assert_eq!(field(&json[0], "status"), "recurring");
    assert_eq!(json[0]["recurrence"]["rule"], "eom");
    Ok(())
}

#[test]
fn show_of_a_template_lists_the_next_five_and_the_streak() -> TestResult {
    let mut s = Sandbox::new();
    s.ok(&["add", "Stretch every:daily"]);
    s.ok(&["done", "2"]);
    s.set_now("2026-11-27T09:00:00+01:00");
    s.ok(&["done", "3"]);
    let out = s.ok(&["show", "1"]);
    assert!(
        out.contains("  Repeats      every day\n  Rule         every:daily\n"),
        "{out}"
    );
    let series = "
Series
  Next         Sat 2026-11-28
               Sun 2026-11-29
               Mon 2026-11-30
               Tue 2026-12-01
               Wed 2026-12-02
  Streak       2 in a row (best 2; 2 of 2 done)
  Open         task 4
";
    assert!(out.contains(series), "{out}");
    let instance = s.ok(&["show", "4"]);
    assert!(
        instance.contains("  Instance of  1 Stretch [recurring]\n"),
        "{instance}"
    );
    Ok(())
}

#[test]
fn done_brings_the_next_instance_and_undo_takes_both_back() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Pay rent due:eom every:monthly"]);
    let out = s.ok(&["done", "2"]);
    assert_eq!(
        out,
        "Completed task 2 'Pay rent'.\nNext: task 3 'Pay rent' due 2026-12-31.\n"
    );
    s.ok(&["undo"]);
    assert_eq!(open_instances(&s), [(2, "2026-11-30".to_string())]);
    Ok(())
}

#[test]
fn every_command_catches_up_first() -> TestResult {
    let mut s = Sandbox::new();
    s.ok(&["add", "Water plants every:daily"]);
    s.ok(&["done", "2"]);
    // Two weeks later: the one that was showing, and today's; not fourteen.
    s.set_now("2026-12-10T08:00:00+01:00");
    assert_eq!(
        open_instances(&s),
        [(3, "2026-11-27".to_string()), (4, "2026-12-10".to_string())]
    );
    // Running the same command again spawns nothing more.
    assert_eq!(open_instances(&s).len(), 2);
    Ok(())
}

#[test]
fn spawning_can_be_turned_off_from_the_environment() -> TestResult {
    let mut s = Sandbox::new();
    s.ok(&["add", "Water plants every:daily"]);
    s.ok(&["done", "2"]);
    s.set_now("2026-12-10T08:00:00+01:00");
    let out = s
        .cmd()
        .env("TME_SCHEDULE_ENABLED", "false")
        .args(["list", "--json"])
        .output()?;
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "only the one shown before"
    );
    let bad = s
        .cmd()
        .env("TME_SCHEDULE_ENABLED", "sometimes")
        .arg("list")
        .output()?;
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("TME_SCHEDULE_ENABLED"));
    Ok(())
}

#[test]
fn modifying_an_instance_asks_which_or_takes_a_flag() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Team sync due:2026-11-30T10:00 every:weekly"]);
    let err = s.fails(&["modify", "2", "+meeting"], 2);
    assert!(
        err.contains("add --this to change only it, or --future"),
        "{err}"
    );
    s.ok(&["modify", "2", "--this", "Team sync (short)"]);
    let all = s.all_json();
    let template = all.iter().find(|t| t["id"] == 1).ok_or("template")?;
    assert_eq!(field(template, "title"), "Team sync");
    let out = s.ok(&["modify", "2", "--future", "due:2026-12-01T11:00"]);
    assert!(
        out.contains("Recurring task 1 now repeats every week on Tuesday at 11:00.\n"),
        "{out}"
    );
    s.ok(&["done", "2"]);
    assert_eq!(
        open_instances(&s),
        [(3, "2026-12-08T11:00:00+01:00".to_string())]
    );
    let err = s.fails(&["modify", "3", "--this", "every:daily"], 1);
    assert!(err.contains("--future"), "{err}");
    Ok(())
}

#[test]
fn deleting_the_template_ends_the_series_undoably() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Water plants every:daily"]);
    s.ok(&["delete", "1"]);
    assert!(open_instances(&s).is_empty());
    s.ok(&["undo"]);
    assert_eq!(open_instances(&s), [(2, "2026-11-26".to_string())]);
    let err = s.fails(&["done", "1"], 1);
    assert!(err.contains("recurring task"), "{err}");
    Ok(())
}

const DECLARED: &str = "\
schedule:
  missed: latest
recurring:
  - id: standup
    title: Stand-up
    category: Work
    tags: [meeting]
    schedule:
      interval: weekday
      start: 2026-11-26T09:30
      duration: 15m
  - title: Water plants
    schedule:
      interval: 3d
      end_date: 2027-03-01
";

#[test]
fn recurring_tasks_declared_in_the_config_stay_in_step() -> TestResult {
    let mut s = Sandbox::new();
    let file = s.config(DECLARED);
    let first = s.json(&["list", "--json"]);
    let titles: Vec<&str> = first.iter().map(|t| field(t, "title")).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    let standup = first
        .iter()
        .find(|t| field(t, "title") == "Stand-up")
        .ok_or("stand-up")?;
    assert_eq!(field(standup, "scheduled"), "2026-11-26T09:30:00+01:00");
    assert_eq!(field(standup, "due"), "2026-11-26T09:45:00+01:00");
    assert_eq!(field(standup, "category"), "Work");
    // Syncing again (every command does) changes nothing.
    let commands_before = s.ok(&["list", "--all", "--json"]);
    assert_eq!(s.ok(&["list", "--all", "--json"]), commands_before);
    // The config names the series: edits go there, not to the store.
    let templates = s.json(&["list", "status:recurring", "--json"]);
    let template = templates[0]["id"].to_string();
    let err = s.fails(&["modify", &template, "pri:H"], 1);
    assert!(err.contains("declared in the config file"), "{err}");
    // A changed entry: the pending instance follows.
    let renamed_config = DECLARED.replace("title: Stand-up", "title: Daily stand-up");
    std::fs::write(&file, &renamed_config)?;
    let renamed = s.json(&["list", "--json"]);
    assert!(
        renamed
            .iter()
            .any(|t| field(t, "title") == "Daily stand-up"),
        "{renamed:?}"
    );
    // A removed entry ends its series.
    let without_plants = renamed_config.split("  - title: Water plants").next();
    std::fs::write(&file, without_plants.unwrap_or_default())?;
    s.set_now("2026-11-27T09:00:00+01:00");
    let left = s.json(&["list", "--json"]);
    assert!(
        left.iter().all(|t| field(t, "title") == "Daily stand-up"),
        "{left:?}"
    );
    let config = s.ok(&["config"]);
    assert!(config.contains("recurring.standup"), "{config}");
    Ok(())
}

#[test]
fn a_bad_recurring_entry_names_its_key() -> TestResult {
    let s = Sandbox::new();
    let file = s.work().join("bad.yaml");
    std::fs::write(
        &file,
        "recurring:\n  - title: Gym\n    schedule:\n      interval: sometimes\n",
    )?;
    let err = s.fails(&["--config", file.to_str().ok_or("path")?, "list"], 2);
    assert!(err.contains("recurring[0].schedule.interval"), "{err}");
    assert!(err.contains("'sometimes' is not a recurrence"), "{err}");
    Ok(())
}

#[test]
fn two_processes_catching_up_at_once_make_no_duplicates() -> TestResult {
    let mut s = Sandbox::new();
    for i in 0..40 {
        s.ok(&["add", &format!("Habit {i} every:daily")]);
    }
    s.set_now("2026-11-28T09:00:00+01:00");
    let children: Vec<_> = (0..4)
        .map(|_| {
            s.process("tme")
                .arg("status")
                .stdout(std::process::Stdio::null())
                .spawn()
        })
        .collect::<Result<_, _>>()?;
    for mut child in children {
        assert!(child.wait()?.success());
    }
    // Each habit: the first instance (26th) and the latest due one (28th), nothing twice.
    let all = s.all_json();
    let instances: Vec<(u64, String)> = all
        .iter()
        .filter_map(|t| {
            t["recurrence"]["template"]
                .as_u64()
                .map(|template| (template, field(t, "due").to_string()))
        })
        .collect();
    assert_eq!(instances.len(), 80);
    let mut unique = instances.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 80, "a duplicate instance");
    Ok(())
}

#[test]
fn the_real_clock_moves_series_on() -> TestResult {
    // faketime runs the real binary at another date, without TME_NOW: the system clock path.
    let have = Process::new("faketime").arg("--version").output();
    if have.is_err() {
        return Err("this test needs faketime: run `apt-get install faketime` (or .ci/run, which installs it)".into());
    }
    let s = Sandbox::new();
    s.ok(&["add", "Water plants every:daily"]);
    let out = s
        .process("faketime")
        .env_remove("TME_NOW")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .arg("2026-11-29 10:00:00")
        .arg(assert_cmd::cargo::cargo_bin("tme"))
        .args(["list", "--json"])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let dues: Vec<&str> = listed
        .as_array()
        .map(|a| a.iter().map(|t| field(t, "due")).collect())
        .unwrap_or_default();
    assert_eq!(dues, ["2026-11-26", "2026-11-29"]);
    Ok(())
}
