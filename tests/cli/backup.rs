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
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    s.ok(&["add", "First"]);
    assert_eq!(names(), ["tme-20261126-080000.redb"]);
    let first = dir.join("tme-20261126-080000.redb");
    assert!(
        s.ok(&["--db", &first.to_string_lossy(), "check"])
            .contains("is sound: 0 tasks"),
        "the copy is taken before the command changes anything"
    );
    s.set_now("2026-11-26T20:00:00+01:00");
    s.ok(&["add", "Same day"]);
    assert_eq!(names().len(), 1, "one a day");
    for day in ["27", "28", "29"] {
        s.set_now(&format!("2026-11-{day}T09:00:00+01:00"));
        s.ok(&["list"]);
    }
    assert_eq!(
        names(),
        ["tme-20261128-080000.redb", "tme-20261129-080000.redb"],
        "the newest two are kept"
    );
    let out = s.ok(&[
        "--db",
        &dir.join("tme-20261129-080000.redb").to_string_lossy(),
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
    let abandoned = s.path().join("b.redb.partial-99999");
    let running = s.path().join("b.redb.partial-88888");
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
