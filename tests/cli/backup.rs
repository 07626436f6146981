//! `tme check`, `tme backup` (while other processes write), `tme restore` (only a sound copy
//! replaces anything) and the daily backup with its rotation.

use std::thread;

use crate::support::{Sandbox, TestResult};

#[test]
fn a_backup_taken_while_others_write_is_sound_and_restores() -> TestResult {
    let s = Sandbox::new();
    for i in 0..20 {
        s.ok(&["add", &format!("Before {i} #Work")]);
    }
    let backup = s.path().join("copies/one.redb");
    let backup_arg = backup.to_string_lossy().into_owned();
    thread::scope(|scope| -> TestResult {
        let writer = scope.spawn(|| {
            for i in 0..40 {
                let out = s.cmd().args(["add", &format!("During {i}")]).output();
                assert!(out.is_ok_and(|o| o.status.success() && o.stderr.is_empty()));
            }
        });
        for _ in 0..3 {
            let out = s.ok(&["backup", &backup_arg]);
            assert!(out.contains(", checked sound."), "{out}");
        }
        writer.join().map_err(|_| "the writer failed")?;
        Ok(())
    })?;
    let out = s.ok(&["check"]);
    assert!(out.contains("is sound: 60 tasks (60 open)"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup)?.permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "a backup is as private as the database"
        );
    }
    // The copy holds the 20 tasks from before and some of those added meanwhile, whole.
    let copy = Sandbox::new();
    let listed = copy.json(&["--db", &backup_arg, "list", "--all", "--json"]);
    assert!((20..=60).contains(&listed.len()), "{}", listed.len());
    let seen = listed.len();

    s.ok(&["add", "After the backup"]);
    assert!(
        s.fails(&["restore", &backup_arg], 2).contains("add --yes"),
        "no terminal, no --yes: nothing is replaced"
    );
    assert_eq!(s.all_json().len(), 61);
    let out = s.ok(&["restore", &backup_arg, "--yes"]);
    assert!(out.starts_with(&format!("Restored {seen} tasks")), "{out}");
    assert!(out.contains("The database as it was is kept at"), "{out}");
    assert_eq!(s.all_json().len(), seen);
    assert!(s.ok(&["check"]).contains("is sound"));
    Ok(())
}

#[test]
fn a_damaged_backup_replaces_nothing() -> TestResult {
    let s = Sandbox::new();
    for i in 0..30 {
        s.ok(&["add", &format!("Task {i}")]);
    }
    let backup = s.path().join("b.redb");
    s.ok(&["backup", &backup.to_string_lossy()]);
    let mut bytes = std::fs::read(&backup)?;
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&backup, &bytes)?;
    let err = s.fails(&["restore", &backup.to_string_lossy(), "--yes"], 1);
    assert!(
        err.contains("cannot be restored") && err.contains("nothing was replaced"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&backup)?,
        bytes,
        "the backup itself is not touched"
    );
    assert_eq!(s.all_json().len(), 30);
    let err = s.fails(&["restore", "no/such/file.redb", "--yes"], 2);
    assert!(err.contains("is not a file"), "{err}");
    Ok(())
}

#[test]
fn the_daily_backup_comes_once_a_day_and_keeps_the_newest() -> TestResult {
    let mut s = Sandbox::new();
    s.config("backup:\n  daily: true\n  keep: 2\n");
    let dir = s.db().with_file_name("backups");
    // Every name in the directory, with a daily copy's name shown as `daily <its time>`.
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .map(|n| match n.strip_prefix("daily-tme-") {
                Some(rest) if rest.len() > 9 => format!("daily {}", &rest[9..]),
                _ => n,
            })
            .collect();
        names.sort();
        names
    };
    let path_of = |name: &str| -> Result<std::path::PathBuf, Box<dyn std::error::Error>> {
        let stamp = name.strip_prefix("daily ").ok_or("a daily copy")?;
        std::fs::read_dir(&dir)?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(stamp))
            .ok_or_else(|| "no such copy".into())
    };
    s.ok(&["add", "First"]);
    assert_eq!(names(), ["daily 20261126-080000.redb"]);
    let first = path_of("daily 20261126-080000.redb")?;
    assert!(
        s.ok(&["--db", &first.to_string_lossy(), "check"])
            .contains("is sound: 0 tasks"),
        "the copy is taken before the command changes anything"
    );
    s.set_now("2026-11-26T20:00:00+01:00");
    s.ok(&["add", "Same day"]);
    assert_eq!(names().len(), 1, "one a day");
    // A backup made by hand, and the daily copies of another database in the same directory,
    // are not this database's to rotate.
    s.ok(&["backup"]);
    let scratch = s.path().join("scratch.redb");
    let shared = format!(
        "backup:\n  daily: true\n  keep: 2\n  dir: {}\n",
        dir.display()
    );
    let other = s.path().join("other.yaml");
    std::fs::write(&other, shared)?;
    let scratch_args = [
        "--config",
        &other.to_string_lossy(),
        "--db",
        &scratch.to_string_lossy(),
        "list",
    ];
    s.ok(&scratch_args);
    for day in ["27", "28", "29"] {
        s.set_now(&format!("2026-11-{day}T09:00:00+01:00"));
        s.ok(&["list"]);
    }
    let names = names();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("daily "))
            .collect::<Vec<_>>(),
        ["daily 20261128-080000.redb", "daily 20261129-080000.redb"],
        "the newest two are kept: {names:?}"
    );
    assert!(
        names.contains(&"tme-20261126-190000.redb".to_string()),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("daily-scratch-")),
        "{names:?}"
    );
    let out = s.ok(&[
        "--db",
        &path_of("daily 20261129-080000.redb")?.to_string_lossy(),
        "check",
    ]);
    assert!(out.contains("is sound: 2 tasks"), "{out}");
    Ok(())
}

#[test]
fn an_open_tui_stops_when_its_database_is_restored_under_it() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Kept in the backup"]);
    let backup = s.path().join("b.redb");
    s.ok(&["backup", &backup.to_string_lossy()]);
    let tmux = crate::tui::Tmux::start(&s.work())?;
    tmux.type_text(&crate::tui::launch(&s, crate::support::NOW))?;
    tmux.keys(&["Enter"])?;
    tmux.wait_for("Kept in the backup", std::time::Duration::from_secs(10))?;
    s.ok(&["restore", &backup.to_string_lossy(), "--yes"]);
    let screen = tmux.wait_for(
        "was replaced or removed",
        std::time::Duration::from_secs(10),
    )?;
    let unwrapped = screen.replace('\n', "");
    assert!(
        unwrapped.contains(
            "the TUI stopped so that nothing is written to the old file. Start tme again"
        ),
        "{screen}"
    );
    Ok(())
}

#[test]
fn a_partial_copy_a_killed_backup_left_is_swept_away() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Something"]);
    let backup = s.path().join("b.redb");
    let abandoned = s.path().join(".b.redb.partial-a1b2c3");
    let running = s.path().join(".b.redb.partial-d4e5f6");
    for path in [&abandoned, &running] {
        std::fs::write(path, vec![0u8; 4096])?;
    }
    // An hour before the file system's own clock (this process's clock may be faked).
    let an_hour_ago =
        std::fs::metadata(&running)?.modified()? - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&abandoned)?
        .set_modified(an_hour_ago)?;
    s.ok(&["backup", &backup.to_string_lossy()]);
    assert!(
        !abandoned.exists(),
        "an hour untouched: left by a killed backup"
    );
    assert!(running.exists(), "fresh: perhaps another backup at work");
    Ok(())
}

#[test]
fn a_restore_while_others_write_loses_no_acknowledged_change() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "In the backup"]);
    let backup = s.path().join("one.redb");
    s.ok(&["backup", &backup.to_string_lossy()]);
    let acknowledged = std::sync::Mutex::new(Vec::new());
    thread::scope(|scope| -> TestResult {
        let writers: Vec<_> = (0..3)
            .map(|w| {
                let acknowledged = &acknowledged;
                let s = &s;
                scope.spawn(move || {
                    for i in 0..25 {
                        let title = format!("Writer {w} task {i}");
                        let Ok(out) = s.cmd().args(["add", &title]).output() else {
                            continue;
                        };
                        if out.status.success()
                            && let Ok(mut list) = acknowledged.lock()
                        {
                            list.push(title);
                        }
                    }
                })
            })
            .collect();
        thread::sleep(std::time::Duration::from_millis(150));
        let out = s.ok(&["restore", "--yes", &backup.to_string_lossy()]);
        assert!(out.contains("The database as it was is kept at"), "{out}");
        for writer in writers {
            writer.join().map_err(|_| "a writer failed")?;
        }
        Ok(())
    })?;
    // Every add that said it was done is in the restored database (it came after) or in the
    // copy kept of the one replaced (it came before).
    let kept = std::fs::read_dir(s.path().join("home/.local/share/tme/backups"))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("before-restore-"))
        .ok_or("the kept copy")?;
    let titles = |db: &std::path::Path| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let out = s
            .cmd()
            .args(["--db", &db.to_string_lossy(), "list", "--all", "--json"])
            .output()?;
        let tasks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)?;
        Ok(tasks
            .iter()
            .filter_map(|t| t["title"].as_str().map(str::to_string))
            .collect())
    };
    let mut found = titles(&s.db())?;
    found.extend(titles(&kept)?);
    let acknowledged = acknowledged.lock().map_err(|_| "lock")?;
    let lost: Vec<&String> = acknowledged.iter().filter(|t| !found.contains(t)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged adds lost: {lost:?}",
        lost.len()
    );
    s.ok(&["check"]);
    Ok(())
}

#[test]
fn check_repair_rebuilds_the_indexes_and_says_what_it_mended() -> TestResult {
    let s = Sandbox::new();
    s.ok(&["add", "Collect data", "+lab", "project:Research"]);
    s.ok(&["add", "Write paper", "dep:1"]);
    {
        // What a bug or a hand-edit might leave behind: an index that lost an entry.
        let db = redb::Database::open(s.db())?;
        let txn = db.begin_write()?;
        txn.open_table(tme::store::tables::BY_TAG)?
            .remove(("lab", 1))?;
        txn.open_table(tme::store::tables::DEPENDED_BY)?
            .remove((1, 2))?;
        txn.commit()?;
    }
    let out = s.cmd().arg("check").output()?;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tme: the database has 2 problem(s), all in what is derived from the tasks; \
         `tme check --repair` mends them\n"
    );
    let before = s.ok(&["export"]);
    let out = s.ok(&["check", "--repair"]);
    assert!(
        out.starts_with(
            "Mended 2 problem(s):\n  the tag index: 1 entries missing (the first: (\"lab\", 1))\n  \
             the reverse dependency index: 1 entries missing (the first: (2, 1, 0))\n"
        ) && out.contains("is sound: 2 tasks (2 open)"),
        "{out}"
    );
    assert_eq!(s.ok(&["export"]), before, "the tasks are as they were");
    assert!(
        s.ok(&["list", "+lab"]).contains("Collect data"),
        "the tag finds its task again"
    );
    Ok(())
}

#[test]
fn copy_moves_everything_into_a_new_database_and_refuses_a_full_one() {
    let s = Sandbox::new();
    s.ok(&["add", "Pay rent due:eom every:monthly"]);
    s.ok(&["add", "Call the bank +phone dep:2"]);
    s.ok(&["done", "2"]);
    let target = s.path().join("copy.redb");
    let target = target.to_string_lossy().into_owned();
    let out = s.ok(&["copy", "--to", &target]);
    assert!(
        out.starts_with("Copied 4 task(s), ") && out.contains("the copy is sound"),
        "{out}"
    );
    assert_eq!(s.ok(&["--db", &target, "export"]), s.ok(&["export"]));
    let history = s.ok(&["--db", &target, "history", "2"]);
    assert!(history.contains("complete"), "{history}");
    let err = s.fails(&["copy", "--to", &target], 2);
    assert!(err.contains("exists; copy into a new file"), "{err}");
    let err = s.fails(&["copy", "--to", "mysql://db/x"], 2);
    assert!(
        err.contains("--to: database URL 'mysql://db/x' is not understood"),
        "{err}"
    );
}
