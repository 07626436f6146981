//! Taskwarrior-style hook scripts (API v2): executables in the hooks directory named
//! `on-launch*`, `on-add*`, `on-modify*` and `on-exit*`, run in name order. Tasks go in and
//! come out as Taskwarrior JSON, one per line; other lines a script prints are feedback; a
//! non-zero exit refuses the change (or, for `on-launch`, the command), with the feedback as
//! the reason. A script that anyone may write to is not run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use chrono_tz::Tz;

use super::contained::{self, Ended};
use super::said::Said;
use super::trust::{Runnable, runnable};
use crate::domain::Task;
use crate::engine::ChangeHooks;
use crate::interop::taskwarrior::{apply_taskwarrior, to_taskwarrior};

/// How long a hook may run before it is stopped and its change refused, unless told.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The hook scripts of one run of `tme`.
pub struct ScriptHooks {
    scripts: Vec<PathBuf>,
    tz: Tz,
    args: String,
    command: String,
    /// Tasks added or changed, for `on-exit`.
    seen: Mutex<Vec<serde_json::Value>>,
    /// Where what the scripts say goes.
    said: Said,
    /// Warnings about scripts that are not run, said at launch.
    refused: Vec<String>,
    /// How long each script may run.
    limit: Duration,
}

/// What a script printed and how it ended.
struct Ran {
    ok: bool,
    json: Vec<serde_json::Value>,
    feedback: Vec<String>,
}

impl ScriptHooks {
    /// The scripts in `dir` (none when it does not exist). Scripts anyone may write to are
    /// skipped with a warning on stderr.
    pub fn in_dir(dir: &Path, tz: Tz, args: &str, command: &str) -> ScriptHooks {
        let mut scripts = Vec::new();
        let mut refused = Vec::new();
        for path in std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
        {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let hook = ["on-launch", "on-add", "on-modify", "on-exit"]
                .iter()
                .any(|k| name.starts_with(k));
            match (hook, runnable(&path)) {
                (true, Runnable::Yes) => scripts.push(path),
                (true, Runnable::Untrusted(why)) => {
                    refused.push(format!("tme: warning: hook {} is {why}", path.display()))
                }
                _ => {}
            }
        }
        scripts.sort();
        ScriptHooks {
            scripts,
            tz,
            args: args.to_string(),
            command: command.to_string(),
            seen: Mutex::default(),
            said: Said::default(),
            refused,
            limit: TIME_LIMIT,
        }
    }

    /// Stops each script (and whatever it started) once it has run for `limit`.
    pub fn within(mut self, limit: Duration) -> ScriptHooks {
        self.limit = limit;
        self
    }

    /// Tells what the scripts say to `said` (printed on stderr, or kept for a front end that
    /// owns the screen).
    pub fn telling(mut self, said: Said) -> ScriptHooks {
        self.said = said;
        self
    }

    /// Prints a script's feedback on stderr, as Taskwarrior does, or keeps it.
    fn say(&self, feedback: &[String]) {
        for line in feedback {
            self.said.say(line.clone());
        }
    }

    /// Whether there is any script at all.
    pub fn is_empty(&self) -> bool {
        self.scripts.is_empty() && self.refused.is_empty()
    }

    fn of_kind(&self, kind: &str) -> impl Iterator<Item = &PathBuf> {
        let kind = kind.to_string();
        self.scripts.iter().filter(move |p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&kind))
        })
    }

    fn run(&self, script: &Path, input: &str) -> Ran {
        let name = script
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("hook");
        let mut command = Command::new(script);
        command.args([
            "api:2".to_string(),
            format!("args:{}", self.args),
            format!("command:{}", self.command),
            "rc:".to_string(),
            "data:".to_string(),
            format!("version:{}", env!("CARGO_PKG_VERSION")),
        ]);
        let finished = match contained::run(command, input.as_bytes().to_vec(), self.limit) {
            Ok(finished) => finished,
            Err(e) => {
                return Ran {
                    ok: false,
                    json: Vec::new(),
                    feedback: vec![format!("hook {name} could not be started: {e}")],
                };
            }
        };
        let mut json = Vec::new();
        let mut feedback = Vec::new();
        for line in [&finished.stdout, &finished.stderr]
            .into_iter()
            .flat_map(|o| o.lines())
        {
            let trimmed = line.trim();
            match serde_json::from_str::<serde_json::Value>(trimmed) {
                Ok(value) if trimmed.starts_with('{') => json.push(value),
                _ if trimmed.is_empty() => {}
                _ => feedback.push(line.to_string()),
            }
        }
        match finished.ended {
            Ended::TimedOut => feedback.push(format!(
                "hook {name} did not finish within {} s and was stopped",
                self.limit.as_secs()
            )),
            Ended::Flooded => feedback.push(format!(
                "hook {name} printed more than {} MiB and was stopped",
                contained::MOST_OUTPUT >> 20
            )),
            Ended::Exited(_) => {}
        }
        Ran {
            ok: finished.succeeded(),
            json,
            feedback,
        }
    }

    /// Runs the `on-launch` scripts; the reason, if one refuses.
    pub fn launch(&self) -> Result<(), String> {
        self.say(&self.refused);
        for script in self.of_kind("on-launch") {
            let ran = self.run(script, "");
            self.say(&ran.feedback);
            if !ran.ok {
                return Err(refusal(script, &ran.feedback));
            }
        }
        Ok(())
    }

    /// Runs the `on-exit` scripts with the tasks this run added or changed; problems are
    /// reported on stderr (the changes are made by then).
    pub fn exit(&self) {
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let input: String = seen.iter().map(|v| format!("{v}\n")).collect();
        for script in self.of_kind("on-exit") {
            let ran = self.run(script, &input);
            self.say(&ran.feedback);
        }
    }

    /// Passes `task` (the change as it stands, after `before` for a modification) through
    /// the scripts of `kind`, each getting what the one before it returned.
    fn pass(&self, kind: &str, before: Option<&Task>, task: &Task) -> Result<Task, String> {
        let none = |_| None;
        let mut current = task.clone();
        for script in self.of_kind(kind) {
            let mut input = String::new();
            if let Some(before) = before {
                input.push_str(&format!("{}\n", to_taskwarrior(before, self.tz, &none)));
            }
            input.push_str(&format!("{}\n", to_taskwarrior(&current, self.tz, &none)));
            let ran = self.run(script, &input);
            self.say(&ran.feedback);
            if !ran.ok {
                return Err(refusal(script, &ran.feedback));
            }
            let name = script
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("hook");
            let [value] = ran.json.as_slice() else {
                return Err(format!(
                    "hook {name} printed {} tasks; it must print the task it was given, as one JSON line",
                    ran.json.len()
                ));
            };
            let left_out = apply_taskwarrior(&mut current, value, self.tz)
                .map_err(|e| format!("hook {name}: {e}"))?;
            let notes: Vec<String> = left_out
                .into_iter()
                .map(|why| format!("hook {name}: {why}"))
                .collect();
            self.say(&notes);
        }
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(to_taskwarrior(&current, self.tz, &none));
        }
        Ok(current)
    }
}

impl ChangeHooks for ScriptHooks {
    fn on_add(&self, task: &Task) -> Result<Task, String> {
        self.pass("on-add", None, task)
    }

    fn on_modify(&self, before: &Task, after: &Task) -> Result<Task, String> {
        self.pass("on-modify", Some(before), after)
    }

    fn take_feedback(&self) -> Vec<String> {
        self.said.take()
    }
}

fn refusal(script: &Path, feedback: &[String]) -> String {
    let name = script
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("hook");
    match feedback.last() {
        Some(last) => format!("hook {name} refused the change: {last}"),
        None => format!("hook {name} refused the change"),
    }
}
