//! `tme` killed with SIGKILL at random moments of bulk adds, a bulk modify, an import, the
//! spawning of recurring instances, and a backup or a restore while another process adds:
//! afterwards the file opens, `tme check` finds it sound, every change whose command reported
//! success is there, and the command that was killed either happened whole or not at all.
//!
//! `TME_CRASH_TRIALS` sets the number of trials (12 by default, two of each kind; the long form in
//! `scripts/reliability.sh` runs 100). `TME_CRASH_SEED` repeats a run; every failure prints it.

use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::support::{Sandbox, TestResult};

/// A small random source (xorshift), so that a failing run can be repeated from its seed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// How many commands were killed before they ended (the others ended before their moment).
static INTERRUPTED: AtomicU64 = AtomicU64::new(0);

/// Runs `child` until a random moment within `span`, then kills it with SIGKILL. Returns
/// whether it had already finished successfully (its change must then be there).
fn kill_at_random(mut child: Child, span: Duration, random: &mut Random) -> std::io::Result<bool> {
    let at = Duration::from_micros(random.below(span.as_micros() as u64));
    let began = Instant::now();
    while began.elapsed() < at {
        if let Some(status) = child.try_wait()? {
            return Ok(status.success());
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    child.kill()?;
    let status = child.wait()?;
    if !status.success() {
        INTERRUPTED.fetch_add(1, Ordering::Relaxed);
    }
    Ok(status.success())
}

/// How long a command takes when nothing stops it.
fn timed(s: &Sandbox, args: &[&str]) -> Result<Duration, Box<dyn std::error::Error>> {
    let began = Instant::now();
    let out = s.cmd().args(args).output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(began.elapsed())
}

fn spawn(s: &Sandbox, args: &[&str]) -> std::io::Result<Child> {
    s.process("tme")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}

fn count(s: &Sandbox, filter: &[&str]) -> usize {
    let mut args = vec!["list", "--all", "--json"];
    args.extend_from_slice(filter);
    s.json(&args).len()
}

fn sound(s: &Sandbox, seed: u64, what: &str) {
    let out = s.cmd().arg("check").output();
    let out = out.unwrap_or_else(|e| panic!("cannot run tme check: {e}"));
    assert!(
        out.status.success(),
        "seed {seed}, {what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Taskwarrior JSON of `n` tasks whose uuids start with `prefix`.
fn import_file(n: usize, prefix: u32) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"uuid\":\"{prefix:08x}-0000-4000-8000-{i:012x}\",\"description\":\"Imported {i}\",\"status\":\"pending\",\"entry\":\"20261120T080000Z\",\"project\":\"Bulk\"}}\n"
            )
        })
        .collect()
}

fn trial(kind: u64, seed: u64, random: &mut Random) -> TestResult {
    let s = Sandbox::new();
    match kind {
        // Adds one after another; one of them is killed.
        0 => {
            let span = timed(&s, &["add", "Warm-up"])?;
            let mut done = vec!["Warm-up".to_string()];
            let victim = random.below(8);
            for i in 0..8 {
                let title = format!("Add {i}");
                let child = spawn(&s, &["add", &title])?;
                let ok = if i == victim {
                    kill_at_random(child, span, random)?
                } else {
                    child.wait_with_output()?.status.success()
                };
                if ok {
                    done.push(title);
                }
            }
            sound(&s, seed, "adds");
            let titles: Vec<String> = s
                .all_json()
                .iter()
                .filter_map(|t| t["title"].as_str().map(str::to_string))
                .collect();
            for title in &done {
                assert!(
                    titles.contains(title),
                    "seed {seed}: '{title}' was reported added but is gone"
                );
            }
        }
        // A modify of 600 tasks at once: all of them or none.
        1 => {
            let file = s.path().join("bulk.json");
            std::fs::write(&file, import_file(600, 1))?;
            s.ok(&["import", &file.to_string_lossy()]);
            let span = timed(&s, &["modify", "#Bulk", "+first", "--yes"])?;
            let child = spawn(&s, &["modify", "#Bulk", "+second", "--yes"])?;
            let ok = kill_at_random(child, span, random)?;
            sound(&s, seed, "modify");
            let tagged = count(&s, &["+second"]);
            assert!(
                tagged == 600 || (!ok && tagged == 0),
                "seed {seed}: {tagged} of 600 tasks modified (the command {} success)",
                if ok { "reported" } else { "did not report" }
            );
            assert_eq!(
                count(&s, &["+first"]),
                600,
                "seed {seed}: an earlier modify was lost"
            );
        }
        // An import of 1,500 tasks: all of them or none.
        2 => {
            let file = s.path().join("first.json");
            std::fs::write(&file, import_file(300, 2))?;
            let span = timed(&s, &["import", &file.to_string_lossy()])? * 5;
            std::fs::write(&file, import_file(1500, 3))?;
            let child = spawn(&s, &["import", &file.to_string_lossy()])?;
            let ok = kill_at_random(child, span, random)?;
            sound(&s, seed, "import");
            let total = count(&s, &[]);
            assert!(
                total == 1800 || (!ok && total == 300),
                "seed {seed}: {total} tasks after the import (success reported: {ok})"
            );
        }
        // A backup or a restore killed while another process adds: the database is sound
        // with every acknowledged add (for a restore: there, or in the copy it kept of the
        // database it replaced), and the backup is either not there or whole.
        4 | 5 => {
            let file = s.path().join("seed.json");
            std::fs::write(&file, import_file(2000, 4))?;
            s.ok(&["import", &file.to_string_lossy()]);
            let backup = s.path().join("copies/backup.redb");
            let backup_arg = backup.to_string_lossy().into_owned();
            let args: Vec<&str> = if kind == 4 {
                vec!["backup", &backup_arg]
            } else {
                s.ok(&["backup", &backup_arg]);
                vec!["restore", "--yes", &backup_arg]
            };
            let span = timed(&s, &args)?;
            if kind == 4 {
                std::fs::remove_file(&backup)?;
            }
            let acknowledged = std::thread::scope(|scope| -> std::io::Result<Vec<String>> {
                let writer = scope.spawn(|| {
                    (0..6)
                        .map(|i| format!("Beside {i}"))
                        .filter(|title| {
                            s.cmd()
                                .args(["add", title])
                                .output()
                                .is_ok_and(|o| o.status.success())
                        })
                        .collect::<Vec<String>>()
                });
                kill_at_random(spawn(&s, &args)?, span, random)?;
                Ok(writer.join().unwrap_or_default())
            })?;
            sound(&s, seed, if kind == 4 { "backup" } else { "restore" });
            if backup.exists() {
                let out = s.cmd().args(["--db", &backup_arg, "check"]).output()?;
                assert!(out.status.success(), "seed {seed}: the backup is not whole");
            }
            let mut titles = s.all_json();
            let kept = s.path().join("home/.local/share/tme/backups");
            for copy in std::fs::read_dir(&kept).into_iter().flatten().flatten() {
                let path = copy.path().to_string_lossy().into_owned();
                if path.contains("before-restore-") && path.ends_with(".redb") {
                    titles.extend(s.json(&["--db", &path, "list", "--all", "--json"]));
                }
            }
            for title in &acknowledged {
                assert!(
                    titles.iter().any(|t| t["title"] == title.as_str()),
                    "seed {seed}: '{title}' was reported added but is gone"
                );
            }
        }
        // 20 daily series catching up on a month (`schedule.missed: all`), killed part way:
        // the next command brings the rest, and no instance comes twice.
        _ => {
            let instances = |s: &Sandbox| {
                s.all_json()
                    .iter()
                    .filter(|t| !t["recurrence"]["template"].is_null())
                    .count()
            };
            let mut control = Sandbox::new();
            control.series_a_month_behind(20);
            let span = timed(&control, &["list"])?;
            let mut s = s;
            s.series_a_month_behind(20);
            let child = spawn(&s, &["list"])?;
            kill_at_random(child, span, random)?;
            sound(&s, seed, "spawning");
            s.ok(&["list"]);
            sound(&s, seed, "spawning, caught up");
            assert!(
                instances(&control) > 20 * 25,
                "the control caught up on the month"
            );
            assert_eq!(
                instances(&s),
                instances(&control),
                "seed {seed}: every instance of the month, once"
            );
        }
    }
    Ok(())
}

#[test]
fn killed_commands_leave_a_sound_file_with_every_reported_change() -> TestResult {
    let trials: u64 = std::env::var("TME_CRASH_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(12);
    let seed: u64 = std::env::var("TME_CRASH_SEED")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 | 1)
        });
    let mut random = Random(seed);
    for n in 0..trials {
        let trial_seed = random.below(u64::MAX) | 1;
        trial(n % 6, trial_seed, &mut Random(trial_seed))?;
    }
    eprintln!(
        "{trials} crash trials (seed {seed}): {} commands killed part way, the others ended first",
        INTERRUPTED.load(Ordering::Relaxed)
    );
    Ok(())
}
