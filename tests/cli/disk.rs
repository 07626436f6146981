//! Disk trouble: a full disk, a read-only file system and a database directory that vanished
//! give clear errors and leave the file intact. The first two mount a small tmpfs, which needs
//! root (as `.ci/run` has).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Sandbox, TestResult};

/// A 2 MB tmpfs, unmounted when dropped.
struct SmallDisk(PathBuf);

/// `mount` or `umount`, through `sudo -n` when the test is not root.
fn privileged(program: &str) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        Command::new(program)
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", program]);
        sudo
    }
}

impl SmallDisk {
    fn mount(at: &Path) -> Result<SmallDisk, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(at)?;
        let out = privileged("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(at)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "this test mounts a small tmpfs, which needs root or sudo without a password: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(SmallDisk(at.to_path_buf()))
    }

    fn remount(&self, options: &str) -> TestResult {
        let out = privileged("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .output()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = privileged("umount").arg(&self.0).output();
    }
}

fn import_file(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"uuid\":\"00000001-0000-4000-8000-{i:012x}\",\"description\":\"Imported task number {i} with some words\",\"status\":\"pending\",\"entry\":\"20261120T080000Z\"}}\n"
            )
        })
        .collect()
}

#[test]
fn a_full_disk_saves_nothing_and_says_so() -> TestResult {
    let s = Sandbox::new();
    let disk = SmallDisk::mount(&s.path().join("disk"))?;
    let db = disk.0.join("tme.redb");
    let db_arg = db.to_string_lossy().into_owned();
    s.ok(&["--db", &db_arg, "add", "Before the disk filled"]);
    std::fs::write(disk.0.join("filler"), vec![0u8; 1_500_000])?;
    let file = s.path().join("many.json");
    std::fs::write(&file, import_file(10_000))?;
    let err = s.fails(&["--db", &db_arg, "import", &file.to_string_lossy()], 1);
    assert!(err.starts_with("tme: the disk is full"), "{err}");
    assert!(err.contains("the change was not saved"), "{err}");
    assert_eq!(
        err.lines().count(),
        1,
        "one message, not one per log line: {err}"
    );
    std::fs::remove_file(disk.0.join("filler"))?;
    assert!(
        s.ok(&["--db", &db_arg, "check"])
            .contains("is sound: 1 tasks")
    );
    Ok(())
}

#[test]
fn a_read_only_file_system_is_read_but_not_written() -> TestResult {
    let s = Sandbox::new();
    let disk = SmallDisk::mount(&s.path().join("disk"))?;
    let db = disk.0.join("tme.redb");
    let db_arg = db.to_string_lossy().into_owned();
    s.ok(&["--db", &db_arg, "add", "Written before"]);
    let before = std::fs::read(&db)?;
    disk.remount("ro")?;
    let err = s.fails(&["--db", &db_arg, "add", "Never written"], 1);
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(std::fs::read(&db)?, before, "the file is as it was");
    disk.remount("rw")?;
    let listed = s.json(&["--db", &db_arg, "list", "--json"]);
    assert_eq!(listed.len(), 1);
    Ok(())
}

#[test]
fn a_database_whose_directory_vanished_is_named() -> TestResult {
    let s = Sandbox::new();
    let dir = s.path().join("usb-stick");
    let db = dir.join("tme.redb");
    let db_arg = db.to_string_lossy().into_owned();
    assert!(
        s.fails(&["--db", &db_arg, "add", "On the stick"], 1)
            .contains("is in a directory that does not exist; mount or create"),
        "a chosen path is not made up"
    );
    std::fs::create_dir(&dir)?;
    s.ok(&["--db", &db_arg, "add", "On the stick"]);
    let kept = s.path().join("kept.redb");
    std::fs::rename(&db, &kept)?;
    std::fs::remove_dir(&dir)?;
    let err = s.fails(&["--db", &db_arg, "list"], 1);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!dir.exists(), "no new, empty database is made in its place");
    assert!(
        s.ok(&["--db", &kept.to_string_lossy(), "check"])
            .contains("is sound: 1 tasks")
    );
    Ok(())
}
