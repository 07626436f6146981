//! External plugins (protocol 1, documented in `docs/plugins.md`): long-running executables
//! that speak JSON lines on stdin and stdout. Each is started when first needed, says hello
//! with its name, version, the events it wants and the subcommands it adds; then gets the
//! events of each command's changes and runs its subcommands. A plugin that crashes, does not
//! answer in time or answers with something that is not the protocol is reported and left
//! alone for the rest of the run; the data is never at its mercy (it sees copies of tasks).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel, sync_channel};
use std::time::Duration;

use chrono_tz::Tz;
use serde_json::{Value, json};

use super::contained::Contained;
use super::said::Said;
use super::trust::{Runnable, runnable};
use crate::engine::{Change, ChangeObserver};
use crate::interop::taskwarrior::to_taskwarrior;

/// The protocol version this build speaks.
pub const PROTOCOL: u64 = 1;

/// The longest line a plugin may send; longer is garbage.
const MOST_LINE: usize = 1 << 20;

/// The next line of `reader`, or `None` at its end, on an error, or when a line runs past
/// [`MOST_LINE`] (garbage, not a message).
fn bounded_line(reader: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    match reader.by_ref().take(MOST_LINE as u64).read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) if !line.ends_with('\n') && line.len() >= MOST_LINE => None,
        Ok(_) => Some(line),
    }
}

/// How much of a plugin's standard error is passed on (64 KiB); the rest is read and dropped.
const MOST_SAID: usize = 64 << 10;

/// How many lines a plugin may have written ahead of what TME has read.
const WAITING_LINES: usize = 16;

/// A plugin that said hello.
struct Running {
    name: String,
    events: Vec<String>,
    commands: Vec<String>,
    child: Contained,
    /// Lines to write, written on a thread of their own: a plugin that stops reading holds
    /// up only that thread, and is stopped when its answer does not come in time.
    to_plugin: Sender<String>,
    lines: Receiver<Option<String>>,
}

/// The configured plugins of one run.
pub struct Plugins {
    paths: Vec<PathBuf>,
    timeout: Duration,
    tz: Tz,
    running: Mutex<Vec<Running>>,
    started: Mutex<bool>,
    /// Where what plugins say goes.
    said: Said,
}

impl Plugins {
    /// The plugins at `paths`, not started yet.
    pub fn new(paths: Vec<PathBuf>, timeout: Duration, tz: Tz) -> Plugins {
        Plugins {
            paths,
            timeout,
            tz,
            running: Mutex::default(),
            started: Mutex::new(false),
            said: Said::default(),
        }
    }

    /// Tells what the scripts say to `said` (printed on stderr, or kept for a front end that
    /// owns the screen).
    pub fn telling(mut self, said: Said) -> Plugins {
        self.said = said;
        self
    }

    /// Whether any plugin is configured.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Starts every plugin and shakes hands; the ones that fail are reported and dropped.
    fn start(&self) {
        let Ok(mut started) = self.started.lock() else {
            return;
        };
        if *started {
            return;
        }
        *started = true;
        let mut running = Vec::new();
        for path in &self.paths {
            match self.launch(path) {
                Ok(plugin) => running.push(plugin),
                Err(e) => self.said.say(format!(
                    "tme: plugin {}: {e}; it is off for this run",
                    path.display()
                )),
            }
        }
        if let Ok(mut list) = self.running.lock() {
            *list = running;
        }
    }

    fn launch(&self, path: &PathBuf) -> Result<Running, String> {
        if let Runnable::Untrusted(why) = runnable(path) {
            return Err(format!("it is {why}"));
        }
        let mut child = Contained::spawn(Command::new(path))
            .map_err(|e| format!("could not be started: {e}"))?;
        // What a plugin says on stderr is passed on, line by line; through a pipe of our own,
        // so that anything it leaves running cannot hold on to ours.
        if let Some(stderr) = child.stderr() {
            let label = path.display().to_string();
            let said = self.said.clone();
            std::thread::spawn(move || {
                // What a plugin says is passed on up to a bound, in whole lines; the rest is
                // read and let go, so a flood neither fills memory nor blocks the plugin.
                let mut reader = BufReader::new(stderr);
                let mut passed = 0;
                while let Some(line) = bounded_line(&mut reader) {
                    passed += line.len();
                    if passed > MOST_SAID {
                        said.say(format!("{label}: … (the rest of what it said is left out)"));
                        break;
                    }
                    said.say(format!("{label}: {}", line.trim_end_matches('\n')));
                }
                let _ = std::io::copy(&mut reader, &mut std::io::sink());
            });
        }
        let mut stdin = child.stdin().ok_or("no stdin")?;
        let stdout = child.stdout().ok_or("no stdout")?;
        let (to_plugin, outgoing) = channel::<String>();
        std::thread::spawn(move || {
            for line in outgoing {
                if writeln!(stdin, "{line}")
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
        // A few answers may wait to be read; a plugin that writes more waits for them.
        let (send, lines) = sync_channel(WAITING_LINES);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(line) = bounded_line(&mut reader) {
                if send.send(Some(line)).is_err() {
                    return;
                }
            }
            let _ = send.send(None);
        });
        let mut plugin = Running {
            name: path.display().to_string(),
            events: Vec::new(),
            commands: Vec::new(),
            child,
            to_plugin,
            lines,
        };
        let hello = self.ask(
            &mut plugin,
            &json!({"tme": "hello", "protocol": PROTOCOL, "version": env!("CARGO_PKG_VERSION")}),
        )?;
        if hello["protocol"].as_u64() != Some(PROTOCOL) {
            return Err(format!(
                "speaks protocol {}, not {PROTOCOL}",
                hello["protocol"]
            ));
        }
        let Some(name) = hello["plugin"].as_str() else {
            return Err("its hello has no plugin name".into());
        };
        plugin.name = name.to_string();
        let words = |key: &str| -> Vec<String> {
            hello[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().or_else(|| v["name"].as_str()))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        plugin.events = words("events");
        plugin.commands = words("commands");
        Ok(plugin)
    }

    /// Sends one message and waits (up to the time-out) for one JSON object back.
    fn ask(&self, plugin: &mut Running, message: &Value) -> Result<Value, String> {
        plugin.tell(message)?;
        self.answer(plugin)
    }

    fn answer(&self, plugin: &mut Running) -> Result<Value, String> {
        match plugin.lines.recv_timeout(self.timeout) {
            Ok(Some(line)) => match serde_json::from_str::<Value>(line.trim()) {
                Ok(value) if value.is_object() => Ok(value),
                _ => Err(format!(
                    "answered with something that is not a JSON object: {:.60}",
                    line.trim()
                )),
            },
            Ok(None) | Err(RecvTimeoutError::Disconnected) => Err("ended".into()),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "did not answer within {:.1} s",
                self.timeout.as_secs_f64()
            )),
        }
    }

    /// Runs `plugin`'s subcommand `name`: whatever it prints goes to stdout; its exit code.
    /// `None` when no plugin adds that subcommand.
    pub fn run_command(&self, name: &str, args: &[String]) -> Option<Result<u8, String>> {
        self.start();
        let mut list = self.running.lock().ok()?;
        let at = list
            .iter()
            .position(|p| p.commands.iter().any(|c| c == name))?;
        let plugin = &mut list[at];
        let message = json!({"command": name, "args": args});
        let result = (|| {
            plugin.tell(&message)?;
            loop {
                let reply = self.answer(plugin)?;
                if let Some(text) = reply["print"].as_str() {
                    println!("{text}");
                }
                if reply["done"].as_bool() == Some(true) {
                    return Ok(u8::try_from(reply["code"].as_u64().unwrap_or(0)).unwrap_or(1));
                }
            }
        })();
        if let Err(e) = &result {
            let gone = list.remove(at);
            stop(gone);
            return Some(Err(format!("plugin {}: {e}; it is off for this run", name)));
        }
        Some(result)
    }

    /// Stops every plugin (each gets `bye`, then is ended).
    pub fn finish(&self) {
        let Ok(mut list) = self.running.lock() else {
            return;
        };
        for plugin in list.drain(..) {
            let _ = plugin.tell(&json!({"tme": "bye"}));
            stop(plugin);
        }
    }
}

impl Running {
    /// Queues one message for the plugin.
    fn tell(&self, message: &Value) -> Result<(), String> {
        self.to_plugin
            .send(message.to_string())
            .map_err(|_| "stopped listening".to_string())
    }
}

/// Ends a plugin: its input is closed, it has a moment to exit, then its whole group is
/// stopped.
fn stop(plugin: Running) {
    let Running {
        mut child,
        to_plugin,
        ..
    } = plugin;
    drop(to_plugin);
    child.stop_within(Duration::from_millis(100));
}

impl ChangeObserver for Plugins {
    fn committed(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        self.start();
        let Ok(mut list) = self.running.lock() else {
            return;
        };
        let mut failed = Vec::new();
        for (i, plugin) in list.iter_mut().enumerate() {
            for change in changes {
                let event = change.op.as_str();
                if !plugin.events.iter().any(|e| e == event) {
                    continue;
                }
                let task = to_taskwarrior(&change.task, self.tz, &|_| None);
                match self.ask(plugin, &json!({"event": event, "task": task})) {
                    Ok(reply) => {
                        for message in reply["messages"].as_array().into_iter().flatten() {
                            if let Some(text) = message.as_str() {
                                self.said.say(format!("{}: {text}", plugin.name));
                            }
                        }
                    }
                    Err(e) => {
                        self.said.say(format!(
                            "tme: plugin {}: {e}; it is off for this run",
                            plugin.name
                        ));
                        failed.push(i);
                        break;
                    }
                }
            }
        }
        for i in failed.into_iter().rev() {
            stop(list.remove(i));
        }
    }

    fn take_feedback(&self) -> Vec<String> {
        self.said.take()
    }
}
