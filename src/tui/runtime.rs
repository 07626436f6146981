//! The loop: terminal events, a one-second ticker and store-change notices become messages;
//! commands go to a worker thread (or, for `$EDITOR`, are run here with the terminal handed
//! over). The screen is redrawn only when something changed.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};

use super::TuiError;
use super::model::Model;
use super::msg::{Cmd, Msg};
use super::terminal::{self, Term};
use super::update::update;
use super::view::draw;
use super::worker::Worker;
use crate::app::App;
use crate::config::Config;
use crate::engine::{Clock, TaskManager};

/// How long to wait for input before looking for results, while the worker is busy.
const BUSY_POLL: Duration = Duration::from_millis(2);
/// The longest wait for input when nothing else is going on.
const IDLE_POLL: Duration = Duration::from_millis(250);
/// How often the clock moves on.
const TICK: Duration = Duration::from_secs(1);
/// How often tasks are reloaded even without changes, so that urgency ages and waiting tasks
/// come back when their date arrives.
const REFRESH: Duration = Duration::from_secs(60);
/// How long the watching thread waits for a change before it looks again (and sees whether the
/// TUI has quit).
const WATCH: Duration = Duration::from_millis(250);

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Resize(width, height) => Some(Msg::Resize(width, height)),
        _ => None,
    }
}

/// Everything the loop needs besides the model.
pub struct Runtime<'a> {
    /// The engine, for change notices.
    pub engine: &'a TaskManager,
    /// The clock ticks read.
    pub clock: &'a dyn Clock,
    /// Settings, for the worker.
    pub config: &'a Config,
    /// What every change sets off.
    pub app: &'a App,
    /// Runs a `:` command line.
    pub commands: &'a super::CommandRunner,
}

/// The loop's side of the worker: commands out, results in, and how many commands are
/// still being worked on.
struct Channels {
    cmds: Sender<Cmd>,
    results: Receiver<Msg>,
    busy: Arc<AtomicUsize>,
    /// The store's change stamp as the watching thread last saw it (0: not yet).
    stamp: Arc<AtomicU64>,
}

impl Channels {
    fn send(&self, list: Vec<Cmd>) -> Result<(), TuiError> {
        for cmd in list {
            self.busy.fetch_add(1, Ordering::AcqRel);
            self.cmds
                .send(cmd)
                .map_err(|_| TuiError::Stopped("the TUI's worker stopped".into()))?;
        }
        Ok(())
    }

    fn busy(&self) -> bool {
        self.busy.load(Ordering::Acquire) > 0
    }
}

impl Runtime<'_> {
    /// Runs until the user quits.
    pub fn run(&self, term: &mut Term, model: &mut Model) -> Result<(), TuiError> {
        std::thread::scope(|scope| {
            let (cmd_tx, cmd_rx) = mpsc::channel::<Cmd>();
            let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
            let busy = Arc::new(AtomicUsize::new(0));
            let worker = Worker::new(self.engine, self.app, self.commands);
            let worker_busy = busy.clone();
            scope.spawn(move || work(&worker, &cmd_rx, &msg_tx, &worker_busy));
            let channels = Channels {
                cmds: cmd_tx,
                results: msg_rx,
                busy,
                stamp: Arc::new(AtomicU64::new(0)),
            };
            let stop = Arc::new(AtomicBool::new(false));
            let (stamp, stop_watching) = (channels.stamp.clone(), stop.clone());
            let engine = self.engine;
            scope.spawn(move || watch(engine, &stamp, &stop_watching));
            let outcome = self.event_loop(term, model, &channels);
            stop.store(true, Ordering::Release);
            outcome
        })
    }

    fn event_loop(
        &self,
        term: &mut Term,
        model: &mut Model,
        channels: &Channels,
    ) -> Result<(), TuiError> {
        let started = Instant::now();
        let database = &self.config.database.value;
        let identity = || database.file().and_then(crate::store::identity);
        let file = identity();
        let mut pending: Vec<Cmd> = vec![Cmd::Load(super::data::Scope::Open)];
        let mut dirty = true;
        let mut next_tick = Instant::now() + TICK;
        let mut next_refresh = Instant::now() + REFRESH;
        let mut reloading_for: Option<u64> = None;
        loop {
            for cmd in pending.drain(..) {
                match cmd {
                    Cmd::Quit => return Ok(()),
                    Cmd::Editor(text) => {
                        let edited = edit_in_editor(term, &text)?;
                        channels.send(update(model, Msg::EditorClosed(edited)))?;
                        dirty = true;
                    }
                    other => channels.send(vec![other])?,
                }
            }
            if dirty {
                term.draw(|frame| draw(model, frame))?;
                dirty = false;
            }
            // Wait for input; only briefly while the worker is busy, so that its results show
            // at once; otherwise until the next tick.
            let wait = if channels.busy() {
                BUSY_POLL
            } else {
                next_tick
                    .saturating_duration_since(Instant::now())
                    .min(IDLE_POLL)
            };
            if event::poll(wait)? {
                loop {
                    if let Some(msg) = to_msg(event::read()?) {
                        pending.extend(update(model, msg));
                        dirty = true;
                    }
                    if !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
            }
            while let Ok(msg) = channels.results.try_recv() {
                if let Msg::Loaded(data) = &msg {
                    tracing::debug!(
                        tasks = data.views.len(),
                        ms = started.elapsed().as_millis(),
                        "tasks arrived"
                    );
                }
                pending.extend(update(model, msg));
                dirty = true;
            }
            if Instant::now() >= next_tick {
                next_tick = Instant::now() + TICK;
                // A database replaced under the TUI (`tme restore`) would take no more of its
                // changes: they would go to the old file, which nothing reads.
                if identity() != file {
                    return Err(TuiError::Stopped(format!(
                        "the database {} was replaced or removed while the TUI was open (by tme restore?); the TUI stopped so that nothing is written to the old file. Start tme again",
                        database
                    )));
                }
                pending.extend(update(model, Msg::Tick(self.clock.now())));
                dirty = true;
            }
            // Another process's change shows as soon as the watching thread hears of it.
            let stamp = match channels.stamp.load(Ordering::Acquire) {
                0 => model.data.stamp,
                known => known,
            };
            let changed = stamp != model.data.stamp && reloading_for != Some(stamp);
            if !model.loading && (changed || Instant::now() >= next_refresh) {
                reloading_for = Some(stamp);
                next_refresh = Instant::now() + REFRESH;
                pending.extend(update(model, Msg::StoreChanged));
            }
        }
    }
}

/// The watching thread: keeps `stamp` at the store's change stamp, told of other processes'
/// commits as they happen (on PostgreSQL) or looking every 100 ms (on a file), so that the
/// input thread never waits on the database to learn of a change. A database that cannot be
/// reached is tried again each second.
fn watch(engine: &TaskManager, stamp: &AtomicU64, stop: &AtomicBool) {
    let mut seen = 0;
    while !stop.load(Ordering::Acquire) {
        match engine.wait_for_change(seen, WATCH) {
            Ok(now) => {
                seen = now;
                stamp.store(now, Ordering::Release);
            }
            Err(e) => {
                tracing::debug!("watching for changes: {e}");
                std::thread::sleep(WATCH);
            }
        }
    }
}

/// The worker thread: runs commands in order; of several loads (or catch-ups) waiting at once,
/// only the last.
fn work(worker: &Worker<'_>, cmds: &Receiver<Cmd>, results: &Sender<Msg>, busy: &AtomicUsize) {
    while let Ok(first) = cmds.recv() {
        let mut batch = vec![first];
        batch.extend(cmds.try_iter());
        let runs = to_run(&batch);
        for (cmd, run) in batch.into_iter().zip(runs) {
            let mut open = true;
            if run {
                worker.run(cmd, &mut |msg| {
                    open = results.send(msg).is_ok();
                    open
                });
            }
            busy.fetch_sub(1, Ordering::AcqRel);
            if !open {
                return;
            }
        }
    }
}

/// Which commands of a batch run: every change, but of the loads, and of the catch-ups (one a
/// second, each slow while the database cannot be reached), only the last, so that a change
/// waits behind one at most.
pub(super) fn to_run(batch: &[Cmd]) -> Vec<bool> {
    let last_load = batch.iter().rposition(|c| matches!(c, Cmd::Load(_)));
    let last_catch_up = batch.iter().rposition(|c| matches!(c, Cmd::CatchUp));
    (0..batch.len())
        .map(|i| match batch[i] {
            Cmd::Load(_) => last_load == Some(i),
            Cmd::CatchUp => last_catch_up == Some(i),
            _ => true,
        })
        .collect()
}

/// Hands the terminal to `$VISUAL`/`$EDITOR` (or `vi`) on a temporary file holding `text`;
/// returns the edited text, or `None` if the editor failed.
fn edit_in_editor(term: &mut Term, text: &str) -> Result<Option<String>, TuiError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path =
        std::env::temp_dir().join(format!("tme-description-{}-{stamp}.md", std::process::id()));
    {
        crate::store::private_options()
            .write(true)
            .create_new(true)
            .open(&path)?
            .write_all(text.as_bytes())?;
    }
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    terminal::leave()?;
    let status = std::process::Command::new(program)
        .args(words)
        .arg(&path)
        .status();
    *term = terminal::enter()?;
    term.clear()?;
    let edited = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).ok(),
        _ => None,
    };
    let _ = std::fs::remove_file(&path);
    Ok(edited)
}

/// Whether the TUI can run here.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}
