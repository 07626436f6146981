//! Outside programs (hooks, plugins), contained: each runs in a process group of its own, so
//! that the whole group (a shell and whatever it started) is stopped at the time limit; input
//! is written on a thread of its own and output read on others, so that a program that stops
//! reading or never closes its output cannot make TME wait past the limit; output past a
//! bound is a flood, and stops the program.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use process_wrap::std::{ChildWrapper, CommandWrap, ProcessGroup};

/// The most a program may print on each of stdout and stderr.
pub const MOST_OUTPUT: usize = 4 << 20;

/// Secrets TME is given in its environment that no hook or plugin inherits.
const SECRETS: [&str; 2] = ["TME_WEBHOOK_URL", "TME_SYNC_TOKEN"];

/// How long output may stay open once the program itself has ended (something it left
/// running holds it) before that is stopped too.
const GRACE: Duration = Duration::from_millis(200);

/// A running program in its own process group, with its pipes.
pub struct Contained {
    child: Box<dyn ChildWrapper>,
}

/// How a program that ran to the end (or was stopped) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// It exited by itself.
    Exited(ExitStatus),
    /// It was stopped at the time limit.
    TimedOut,
    /// It printed more than [`MOST_OUTPUT`] and was stopped.
    Flooded,
}

/// What a program printed and how it ended.
#[derive(Debug)]
pub struct Finished {
    /// How it ended.
    pub ended: Ended,
    /// What it printed on stdout (up to the bound).
    pub stdout: String,
    /// What it printed on stderr (up to the bound).
    pub stderr: String,
}

impl Finished {
    /// Whether it exited by itself with success.
    pub fn succeeded(&self) -> bool {
        matches!(self.ended, Ended::Exited(status) if status.success())
    }
}

impl Contained {
    /// Starts `command` as the leader of a new process group, with all three streams piped and
    /// without TME's secrets in its environment.
    pub fn spawn(mut command: Command) -> std::io::Result<Contained> {
        for secret in SECRETS {
            command.env_remove(secret);
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut wrapped = CommandWrap::from(command);
        wrapped.wrap(ProcessGroup::leader());
        Ok(Contained {
            child: wrapped.spawn()?,
        })
    }

    /// The program's stdin, once.
    pub fn stdin(&mut self) -> Option<std::process::ChildStdin> {
        self.child.stdin().take()
    }

    /// The program's stdout, once.
    pub fn stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout().take()
    }

    /// The program's stderr, once.
    pub fn stderr(&mut self) -> Option<std::process::ChildStderr> {
        self.child.stderr().take()
    }

    /// Whether it has exited (without waiting).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the whole group at once and reaps the program.
    pub fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait();
    }

    /// Waits up to `patience` for the program to exit by itself, then stops the whole group.
    pub fn stop_within(&mut self, patience: Duration) {
        let until = Instant::now() + patience;
        while Instant::now() < until {
            if self.exited().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        // Whatever the program left running in its group goes too.
        self.kill();
    }
}

/// Writes `input` on a thread of its own and closes the pipe (a program that never reads
/// holds up only that thread, until it is stopped).
pub fn feed(stdin: Option<std::process::ChildStdin>, input: Vec<u8>) {
    if let Some(mut stdin) = stdin {
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
}

/// Reads a stream to its end on a thread of its own, up to [`MOST_OUTPUT`]; sends the text
/// and whether there was more.
fn drain(stream: Option<impl Read + Send + 'static>) -> Receiver<(String, bool)> {
    let (send, got) = channel();
    match stream {
        Some(stream) => {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let limit = u64::try_from(MOST_OUTPUT + 1).unwrap_or(u64::MAX);
                let _ = stream.take(limit).read_to_end(&mut bytes);
                let flooded = bytes.len() > MOST_OUTPUT;
                bytes.truncate(MOST_OUTPUT);
                let _ = send.send((String::from_utf8_lossy(&bytes).into_owned(), flooded));
            });
        }
        None => {
            let _ = send.send((String::new(), false));
        }
    }
    got
}

/// Runs `command` to its end with `input` on stdin, stopping its whole group at `limit`.
pub fn run(command: Command, input: Vec<u8>, limit: Duration) -> std::io::Result<Finished> {
    let mut child = Contained::spawn(command)?;
    let started = Instant::now();
    feed(child.stdin(), input);
    let streams = [drain(child.stdout()), drain(child.stderr())];
    let mut texts = [None, None];
    let mut status = None;
    let mut exited_at = None;
    let mut flooded = false;
    let mut stopped = false;
    let mut timed_out = false;
    loop {
        for (text, stream) in texts.iter_mut().zip(&streams) {
            if text.is_none()
                && let Ok((got, more)) = stream.try_recv()
            {
                flooded |= more;
                *text = Some(got);
            }
        }
        if status.is_none() && !stopped {
            status = child.exited();
            exited_at = status.map(|_| Instant::now());
        }
        let read = texts.iter().all(Option::is_some);
        if (status.is_some() && read) || stopped {
            break;
        }
        let elapsed = started.elapsed();
        let overstaying = !read && exited_at.is_some_and(|at| at.elapsed() > GRACE);
        if flooded || elapsed > limit || overstaying {
            child.kill();
            stopped = true;
            timed_out = status.is_none() && !flooded;
            // The pipes close with the group; take what was read.
            for (text, stream) in texts.iter_mut().zip(&streams) {
                if text.is_none() {
                    match stream.recv_timeout(GRACE) {
                        Ok((got, more)) => {
                            flooded |= more;
                            *text = Some(got);
                        }
                        Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
                    }
                }
            }
            continue;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let [stdout, stderr] = texts.map(Option::unwrap_or_default);
    let ended = match status {
        _ if flooded => Ended::Flooded,
        Some(status) if !timed_out => Ended::Exited(status),
        _ => Ended::TimedOut,
    };
    Ok(Finished {
        ended,
        stdout,
        stderr,
    })
}
