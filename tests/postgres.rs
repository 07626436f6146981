//! The `tme` command on a PostgreSQL database: chosen by its URL, every command works as on a
//! file, and a password in the URL never shows. Needs `TME_TEST_POSTGRES_URL` (`.ci/run` sets
//! it); without it these tests are reported as ignored, with a line saying why. The test that
//! restarts the server makes a cluster of its own instead, with PostgreSQL's server programs.

#[path = "support/home.rs"]
mod home;
#[path = "support/private_server.rs"]
mod private_server;
#[path = "../crates/tme-core/tests/support/scratch.rs"]
mod scratch;

use std::process::{Command, Output};

use libtest_mimic::{Arguments, Failed, Trial};
use scratch::Scratch;

type Outcome = Result<(), Failed>;

/// A test: its name and what it does with the server's admin URL.
type Test = (&'static str, fn(&str) -> Outcome);

/// `tme ARGS…` on the database at `url`, in a home of its own, at a pinned time.
fn tme(home: &std::path::Path, url: &str, args: &[&str]) -> Result<Output, Failed> {
    tme_as(home, url, args, Some("tester"))
}

/// [`tme`] as `user` (`None`: no user name in the environment).
fn tme_as(
    home: &std::path::Path,
    url: &str,
    args: &[&str],
    user: Option<&str>,
) -> Result<Output, Failed> {
    let mut command = home::tme_in(home);
    command
        .args(args)
        .env("TME_NOW", "2026-11-26T09:00:00+01:00")
        .env("TME_DATABASE_URL", url);
    if let Some(user) = user {
        command.env("USER", user);
    }
    command
        .output()
        .map_err(|e| Failed::from(format!("cannot run tme: {e}")))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `tme ARGS…` and returns what it printed, failing unless it succeeded.
fn ok(home: &std::path::Path, url: &str, args: &[&str]) -> Result<String, Failed> {
    let out = tme(home, url, args)?;
    if out.status.success() {
        Ok(text(&out))
    } else {
        Err(format!("tme {}: {}", args.join(" "), text(&out)).into())
    }
}

fn check(condition: bool, what: String) -> Outcome {
    if condition { Ok(()) } else { Err(what.into()) }
}

/// The URL with a password in it (the test server trusts local connections, so any does).
fn with_password(url: &str) -> String {
    url.replacen("://postgres@", "://postgres:s3cret-word@", 1)
}

fn commands_work_as_on_a_file(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = with_password(&scratch.url);
    let added = ok(
        home.path(),
        &url,
        &["add", "Pay rent project:Finance due:eom pri:H"],
    )?;
    check(added.starts_with("Created task 1."), added)?;
    ok(
        home.path(),
        &url,
        &["add", "Call the bank", "+phone", "dep:1"],
    )?;
    let list = ok(home.path(), &url, &["list"])?;
    check(list.contains("Pay rent") && list.contains("blocked"), list)?;
    ok(home.path(), &url, &["done", "1"])?;
    let undone = ok(home.path(), &url, &["undo"])?;
    check(undone.contains("Undid"), undone)?;
    let list = ok(home.path(), &url, &["list", "+phone"])?;
    check(
        list.contains("Call the bank") && !list.contains("Pay rent"),
        list,
    )?;
    let checked = ok(home.path(), &url, &["check"])?;
    check(
        checked.contains("is sound: 2 tasks (2 open)"),
        checked.clone(),
    )?;
    check(
        !checked.contains("s3cret"),
        format!("the password shows: {checked}"),
    )?;
    // A command that changes nothing writes nothing, not even a command of the journal.
    let commands = || -> Result<i64, Failed> {
        let mut client =
            postgres::Client::connect(&scratch.url, postgres::NoTls).map_err(|e| e.to_string())?;
        let row = client
            .query_one("SELECT count(*) FROM commands", &[])
            .map_err(|e| e.to_string())?;
        Ok(row.get(0))
    };
    let before = commands()?;
    ok(home.path(), &url, &["list"])?;
    ok(home.path(), &url, &["status"])?;
    check(
        commands()? == before,
        format!("reading wrote commands ({before} before)"),
    )?;
    // A backup of a server's database is a redb file holding all of it.
    let backup = home.path().join("backups/tasks.redb");
    let backup = backup.to_string_lossy();
    let made = ok(home.path(), &url, &["backup", &backup])?;
    check(
        made.contains("2 tasks (2 open)") && made.contains("checked sound"),
        made,
    )?;
    check(
        ok(home.path(), &backup, &["export"])? == ok(home.path(), &url, &["export"])?,
        "the backup holds other tasks".into(),
    )?;
    let config = ok(home.path(), &url, &["config"])?;
    check(
        config.contains("postgres:***@") && !config.contains("s3cret"),
        format!("tme config shows the password:\n{config}"),
    )?;
    let history = ok(home.path(), &url, &["history", "1"])?;
    check(history.matches("tester").count() >= 3, history)?;
    // Without a user name, the journal names the database role.
    let out = tme_as(
        home.path(),
        &url,
        &["annotate", "2", "asked for the form"],
        None,
    )?;
    check(out.status.success(), text(&out))?;
    let history = ok(home.path(), &url, &["history", "2"])?;
    check(history.contains("postgres via cli"), history)
}

/// What is derived from the tasks, changed by hand in SQL (a column, a tag, a dependency, rank
/// records, a kept count, a counter), is found by `tme check` and mended by `--repair`; the
/// tasks rank and list as before.
fn damage_outside_tme_is_found_and_mended(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = &scratch.url;
    for args in [
        &["add", "Pay rent", "+home", "due:tomorrow"][..],
        &["add", "Write report", "+work", "pri:H"],
        &["add", "Old one"],
        &["dep", "add", "2", "1"],
        &["done", "3"],
    ] {
        ok(home.path(), url, args)?;
    }
    let before = ok(home.path(), url, &["next"])?;
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| e.to_string())?;
    client
        .batch_execute(
            "UPDATE tasks SET category = 'Elsewhere', title = 'wrong' WHERE id = 1;
             DELETE FROM task_tags WHERE task = 2;
             DELETE FROM dependencies;
             DELETE FROM task_ranks WHERE id = 1;
             INSERT INTO task_ranks SELECT id, 'R' FROM tasks WHERE id = 3;
             UPDATE tme_meta SET value = 0 WHERE key IN ('count_open', 'next_id');",
        )
        .map_err(|e| e.to_string())?;
    let found = tme(home.path(), url, &["check"])?;
    let said = text(&found);
    check(
        !found.status.success()
            && said.contains("has 8 problem(s)")
            && said.contains("task 1: the category column")
            && said.contains("task 3: the ranks table (a closed task has a rank)")
            && said.contains("the next task id (0)")
            && said.contains("`tme check --repair` mends them"),
        said,
    )?;
    let mended = ok(home.path(), url, &["check", "--repair"])?;
    check(
        mended.starts_with("Mended 8 problem(s)") && mended.contains("is sound: 3 tasks (2 open)"),
        mended,
    )?;
    check(
        ok(home.path(), url, &["next"])? == before,
        "next differs after the repair".into(),
    )?;
    let added = ok(home.path(), url, &["add", "After the repair"])?;
    check(added.starts_with("Created task 4."), added)?;
    let checked = ok(home.path(), url, &["check"])?;
    check(checked.contains("is sound: 4 tasks (3 open)"), checked)
}

fn a_bad_server_is_named_without_its_password(admin: &str) -> Outcome {
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = with_password(&format!(
        "{}/tme_no_such_database",
        admin.rsplit_once('/').map_or(admin, |(server, _)| server)
    ));
    let out = tme(home.path(), &url, &["list"])?;
    let said = text(&out);
    check(!out.status.success(), format!("it succeeded: {said}"))?;
    check(
        said.contains("tme_no_such_database") && !said.contains("s3cret"),
        format!("the error: {said}"),
    )
}

fn a_database_moves_to_postgres_and_back(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = home.path().join("tasks.redb");
    let file = file.to_string_lossy();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo.json");
    ok(home.path(), &file, &["import", demo])?;
    ok(
        home.path(),
        &file,
        &["add", "Stretch due:today every:daily"],
    )?;
    ok(home.path(), &file, &["done", "12"])?;
    let copied = ok(home.path(), &file, &["copy", "--to", &scratch.url])?;
    check(
        copied.contains("the copy is sound") && copied.contains(scratch.name()),
        copied,
    )?;
    let back = home.path().join("back.redb");
    let back = back.to_string_lossy();
    let copied = ok(home.path(), &scratch.url, &["copy", "--to", &back])?;
    check(copied.contains("the copy is sound"), copied)?;
    let exports: Vec<String> = [&*file, &scratch.url, &*back]
        .iter()
        .map(|db| ok(home.path(), db, &["export"]))
        .collect::<Result<_, _>>()?;
    check(
        exports[0] == exports[1] && exports[1] == exports[2],
        "the exports differ".into(),
    )?;
    for db in [&*file, &scratch.url, &*back] {
        let checked = ok(home.path(), db, &["check"])?;
        check(checked.contains("is sound"), checked)?;
        let history = ok(home.path(), db, &["history", "12"])?;
        check(history.contains("complete"), history)?;
    }
    let again = tme(home.path(), &file, &["copy", "--to", &scratch.url])?;
    check(
        !again.status.success() && text(&again).contains("copy into an empty database"),
        text(&again),
    )
}

/// Eight processes adding at once: every task is there, under its own id, none twice.
fn eight_processes_write_at_once(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    ok(home.path(), &scratch.url, &["status"])?;
    let (processes, each) = (8, 20);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..processes)
            .map(|p| {
                let (home, url) = (home.path(), scratch.url.as_str());
                scope.spawn(move || {
                    (0..each)
                        .filter_map(|i| {
                            ok(home, url, &["add", &format!("Task {i} of process {p}")])
                                .err()
                                .map(|e| format!("{e:?}"))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec!["a worker panicked".into()])
            })
            .collect()
    });
    check(failures.is_empty(), failures.join("\n"))?;
    let listed = ok(home.path(), &scratch.url, &["list", "--all", "--json"])?;
    let tasks: serde_json::Value = serde_json::from_str(&listed).map_err(|e| e.to_string())?;
    let mut ids: Vec<u64> = tasks
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["id"].as_u64()).collect())
        .unwrap_or_default();
    let mut titles: Vec<String> = tasks
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.sort_unstable();
    titles.sort();
    titles.dedup();
    let total = processes * each;
    check(
        ids == (1..=total as u64).collect::<Vec<_>>(),
        format!("ids {ids:?}"),
    )?;
    check(
        titles.len() == total,
        format!("{} distinct titles", titles.len()),
    )?;
    let checked = ok(home.path(), &scratch.url, &["check"])?;
    check(
        checked.contains(&format!("is sound: {total} tasks")),
        checked,
    )
}

/// A TUI on the database, in a tmux of its own (`-L`, no config), 120×35.
struct Tui {
    socket: String,
}

impl Tui {
    fn start(home: &std::path::Path, url: &str) -> Result<Tui, Failed> {
        let socket = format!("tme-pg-{}", std::process::id());
        let launch = format!(
            "env -i TERM=xterm-256color HOME='{home}' XDG_CONFIG_HOME='{home}/.config' XDG_DATA_HOME='{home}/.local/share' XDG_STATE_HOME='{home}/.local/state' TZ=Europe/Berlin TME_NOW=2026-11-26T09:00:00+01:00 USER=tester TME_DATABASE_URL='{url}' '{tme}'",
            home = home.display(),
            tme = env!("CARGO_BIN_EXE_tme"),
        );
        let tui = Tui { socket };
        tui.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "35",
            &launch,
        ])?;
        Ok(tui)
    }

    fn tmux(&self, args: &[&str]) -> Result<String, Failed> {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .map_err(|e| Failed::from(format!("cannot run tmux (apt-get install tmux): {e}")))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Waits up to `limit` for `text` on the screen; returns how long it took.
    fn wait_for(
        &self,
        text: &str,
        limit: std::time::Duration,
    ) -> Result<std::time::Duration, Failed> {
        let start = std::time::Instant::now();
        loop {
            let screen = self.tmux(&["capture-pane", "-p"])?;
            if screen.contains(text) {
                return Ok(start.elapsed());
            }
            if start.elapsed() > limit {
                return Err(format!("'{text}' did not show within {limit:?}:\n{screen}").into());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Tui {
    /// Presses q and waits for the TUI to end.
    fn quit(&self) -> Outcome {
        self.tmux(&["send-keys", "q"])?;
        let start = std::time::Instant::now();
        while !self.tmux(&["list-sessions"])?.is_empty() {
            if start.elapsed() > std::time::Duration::from_secs(5) {
                return Err("the TUI did not quit on q".into());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Ok(())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// A running TUI shows another process's change within about a second, and goes on doing so
/// after the server drops every connection (as when it restarts): the TUI neither stops nor
/// freezes, and takes the next change as before.
fn a_running_tui_follows_changes_across_a_restart(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    ok(
        home.path(),
        &scratch.url,
        &["add", "Written before the TUI"],
    )?;
    let tui = Tui::start(home.path(), &scratch.url)?;
    tui.wait_for("Written before the TUI", std::time::Duration::from_secs(10))?;
    ok(home.path(), &scratch.url, &["add", "Added by a colleague"])?;
    let seen = tui.wait_for(
        "Added by a colleague",
        std::time::Duration::from_millis(1500),
    )?;
    eprintln!(
        "the TUI showed another process's task after {} ms",
        seen.as_millis()
    );
    check(
        scratch.end_connections()? > 0,
        "the TUI had connections to end".into(),
    )?;
    ok(
        home.path(),
        &scratch.url,
        &["add", "Added after the restart"],
    )?;
    tui.wait_for("Added after the restart", std::time::Duration::from_secs(5))?;
    tui.quit()
}

/// The server itself stops under a running TUI and starts again (a cluster of the test's own):
/// while it is down the TUI keeps answering keys, and once it is back the TUI shows the next
/// change another process makes, without being restarted.
fn a_running_tui_survives_a_server_restart(bin: &std::path::Path) -> Outcome {
    use std::time::Duration;
    let server = private_server::PrivateServer::start(bin)?;
    let url = server.url();
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    ok(home.path(), &url, &["add", "Written before the restart"])?;
    let tui = Tui::start(home.path(), &url)?;
    tui.wait_for("Written before the restart", Duration::from_secs(10))?;
    server.stop()?;
    let down = std::time::Instant::now();
    tui.tmux(&["send-keys", "?"])?;
    tui.wait_for("Help", Duration::from_secs(2))?;
    tui.tmux(&["send-keys", "Escape"])?;
    tui.wait_for("Written before the restart", Duration::from_secs(2))?;
    // Down long enough for the watcher to find it gone and try again.
    std::thread::sleep(Duration::from_millis(1500).saturating_sub(down.elapsed()));
    server.up()?;
    ok(home.path(), &url, &["add", "Added after the restart"])?;
    let seen = tui.wait_for("Added after the restart", Duration::from_secs(5))?;
    eprintln!(
        "after the server restarted, the TUI showed another process's task in {} ms",
        seen.as_millis()
    );
    tui.quit()
}

/// Two replicas (files) sync through `tme serve` on a PostgreSQL database: the server side of
/// sync (the push merged into its log, conflicts journaled, the log handed out) on this backend.
fn replicas_sync_through_a_server_on_postgres(admin: &str) -> Outcome {
    use std::io::{BufRead, BufReader};
    let scratch = Scratch::new(admin)?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let made = ok(
        home.path(),
        &scratch.url,
        &["token", "create", "team", "--role", "write"],
    )?;
    let secret = made
        .lines()
        .find(|l| l.starts_with("tme_"))
        .ok_or_else(|| format!("no secret in {made}"))?
        .to_string();
    let mut serve = home::tme_in(home.path());
    serve
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("TME_DATABASE_URL", &scratch.url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = serve.spawn().map_err(|e| e.to_string())?;
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
    }
    let _server = Stop(child);
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or_else(|| format!("no address in {line:?}"))?
        .trim_end_matches("/api/v1")
        .to_string();
    let machines: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let on = |n: usize, args: &[&str]| -> Result<String, Failed> {
        let dir = machines[n].path();
        let out = home::tme_in(dir)
            .args(["--db", &dir.join("tasks.redb").display().to_string()])
            .args(args)
            .env("TME_NOW", "2026-11-26T09:00:00+01:00")
            .env("USER", ["ann", "bob"][n])
            .env("TME_SYNC_SERVER", &base)
            .env("TME_SYNC_TOKEN", &secret)
            .env("TME_SYNC_MACHINE", ["laptop", "desk"][n])
            .output()
            .map_err(|e| e.to_string())?;
        match out.status.success() {
            true => Ok(text(&out)),
            false => Err(format!("tme {}: {}", args.join(" "), text(&out)).into()),
        }
    };
    on(0, &["add", "Pay rent pri:M"])?;
    on(1, &["sync"])?;
    on(1, &["modify", "1", "pri:H"])?;
    on(0, &["modify", "1", "pri:L"])?;
    let told = on(1, &["sync"])?;
    check(
        told.contains("your priority of task 1 'Pay rent' (H) lost to ann"),
        told,
    )?;
    on(0, &["sync"])?;
    let a = on(0, &["list", "--all", "--json"])?;
    let b = on(1, &["list", "--all", "--json"])?;
    check(
        a == b && a.contains(r#""priority": "L""#),
        format!("{a}\n{b}"),
    )?;
    let history = ok(home.path(), &scratch.url, &["history", "1"])?;
    check(
        history.contains("conflict: priority H of bob via cli on desk (token team)"),
        history,
    )
}

fn main() {
    let args = Arguments::from_args();
    let server = scratch::server();
    let tests: [Test; 7] = [
        (
            "replicas_sync_through_a_server_on_postgres",
            replicas_sync_through_a_server_on_postgres,
        ),
        (
            "a_running_tui_follows_changes_across_a_restart",
            a_running_tui_follows_changes_across_a_restart,
        ),
        (
            "eight_processes_write_at_once",
            eight_processes_write_at_once,
        ),
        (
            "a_database_moves_to_postgres_and_back",
            a_database_moves_to_postgres_and_back,
        ),
        ("commands_work_as_on_a_file", commands_work_as_on_a_file),
        (
            "damage_outside_tme_is_found_and_mended",
            damage_outside_tme_is_found_and_mended,
        ),
        (
            "a_bad_server_is_named_without_its_password",
            a_bad_server_is_named_without_its_password,
        ),
    ];
    let mut trials: Vec<Trial> = tests
        .into_iter()
        .map(|(name, test)| {
            let url = server.clone().unwrap_or_default();
            Trial::test(name, move || test(&url)).with_ignored_flag(server.is_none())
        })
        .collect();
    let restart = match private_server::programs() {
        Ok(bin) => {
            let ignored = bin.is_none();
            Trial::test("a_running_tui_survives_a_server_restart", move || {
                a_running_tui_survives_a_server_restart(&bin.unwrap_or_default())
            })
            .with_ignored_flag(ignored)
        }
        Err(why) => Trial::test("a_running_tui_survives_a_server_restart", move || Err(why)),
    };
    trials.push(restart);
    libtest_mimic::run(&args, trials).exit();
}
