//! A sandbox for running `tme`: its own home, working directory and database.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::assert::Assert;

/// Thursday 2026-11-26, 09:00 in Berlin.
pub const NOW: &str = "2026-11-26T09:00:00+01:00";

/// Where [`Sandbox::series_a_month_behind`] leaves the clock.
pub const A_MONTH_ON: &str = "2026-10-31T08:00:00+01:00";

/// A temporary home for one test.
pub struct Sandbox {
    dir: tempfile::TempDir,
    now: String,
}

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temp dir: {e}"));
        std::fs::create_dir_all(dir.path().join("work")).unwrap_or_else(|e| panic!("{e}"));
        Sandbox {
            dir,
            now: NOW.to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The database every command uses (the default location under the sandbox's home).
    pub fn db(&self) -> PathBuf {
        self.path().join("home/.local/share/tme/tme.redb")
    }

    /// The working directory commands run in.
    pub fn work(&self) -> PathBuf {
        self.path().join("work")
    }

    /// Writes `contents` to the file `name` in the sandbox; returns its path, for arguments.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path().join(name);
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("{e}"));
        path.to_string_lossy().into_owned()
    }

    /// Writes the project config file (`conf/config.yaml` in the working directory); returns
    /// its path.
    pub fn config(&self, yaml: &str) -> PathBuf {
        let file = self.work().join("conf/config.yaml");
        std::fs::create_dir_all(self.work().join("conf")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&file, yaml).unwrap_or_else(|e| panic!("{e}"));
        file
    }

    /// `n` daily series made on 2026-10-01 with `schedule.missed: all`, and the clock moved a
    /// month on, so that the next command catches up on every day between.
    pub fn series_a_month_behind(&mut self, n: usize) {
        self.config("schedule:\n  missed: all\n");
        self.set_now("2026-10-01T08:00:00+02:00");
        for i in 0..n {
            self.ok(&[
                "add",
                &format!("Daily {i} due:2026-10-01T09:00 every:daily"),
            ]);
        }
        self.set_now(A_MONTH_ON);
    }

    /// Moves the pinned clock.
    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    /// `tme` with a clean environment pointing into the sandbox.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.process("tme"))
    }

    /// `program` (`tme`, or a wrapper such as `faketime`) with the sandbox's clean environment.
    pub fn process(&self, program: &str) -> std::process::Command {
        let program = match program {
            "tme" => assert_cmd::cargo::cargo_bin("tme"),
            other => PathBuf::from(other),
        };
        let mut cmd = std::process::Command::new(program);
        let home = self.path().join("home");
        cmd.env_clear()
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("TZ", "Europe/Berlin")
            .env("TME_NOW", &self.now)
            .env("USER", "tester")
            // The sandbox's own project directory is trusted (tests of untrusted ones unset it).
            .env("TME_TRUSTED_DIRS", self.work())
            .current_dir(self.work());
        cmd
    }

    /// Runs `tme ARGS...`.
    pub fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).assert()
    }

    /// Runs `tme ARGS...`, expects success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    }

    /// Runs `tme ARGS...`, expects exit code `code`, returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args).code(code);
        let output = out.get_output();
        assert!(
            output.stdout.is_empty() || code != 2,
            "unexpected stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    /// `tme list --all --json` parsed.
    pub fn all_json(&self) -> Vec<serde_json::Value> {
        self.json(&["list", "--all", "--json"])
    }

    /// Runs a `--json` command and parses its array.
    pub fn json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let text = self.ok(args);
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Array(items)) => items,
            other => panic!("not a JSON array: {other:?}\n{text}"),
        }
    }
}

/// A field of a JSON task as a string.
pub fn field<'a>(task: &'a serde_json::Value, name: &str) -> &'a str {
    task.get(name).and_then(|v| v.as_str()).unwrap_or("")
}

/// Runs the README's bash block after `<!-- MARKER -->` as it is pasted into bash, in a
/// sandbox of its own, with `tme` on the PATH and a free port instead of 8080.
pub fn readme_session(marker: &str) -> std::process::Output {
    let readme = include_str!("../../README.md");
    let session: String = readme
        .split(&format!("<!-- {marker} -->\n```bash\n"))
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap_or_else(|| panic!("the README has no {marker}"))
        .to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let script = session.replace("8080", &port.to_string());
    let s = Sandbox::new();
    let bin = assert_cmd::cargo::cargo_bin("tme");
    let dir = bin
        .parent()
        .unwrap_or_else(|| panic!("no dir"))
        .display()
        .to_string();
    s.process("bash")
        .args(["-c", &script])
        .env("PATH", format!("{dir}:/usr/bin:/bin"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"))
}
