//! The server's side of sync (docs/sync.md): a replica's pushed commands applied, merged by
//! field, into the log of record; and that log handed out after a cursor.

use uuid::Uuid;

use super::TaskManager;
use super::error::EngineError;
use super::sync_apply::{Applying, Mode, uuids_in, uuids_of, wire_in};
use crate::domain::{Command, CommandId, CommandKind, Task, check_note, check_title};
use crate::store::StoreRead;
use crate::sync::{
    LogChange, LogCommand, PROTOCOL, PullAnswer, PushAnswer, PushBody, PushedCommand, WireKind,
};

/// How many commands one pull hands out at most.
pub const PULL_PAGE: usize = 2_000;

/// How many journal entries beyond four a task make a log long enough that a new replica
/// joins from the tasks as they stand rather than from the whole log.
pub const SNAPSHOT_PAST: u64 = 1_000;

/// The stamp under which the server keeps the last number it applied from a replica.
fn acknowledged(replica: Uuid) -> String {
    format!("sync.ack.{replica}")
}

/// The stamp under which the server keeps a digest of the last command it applied from a
/// replica, to know a push sent again from one sent by another file under the same name.
fn last_digest(replica: Uuid) -> String {
    format!("sync.last.{replica}")
}

/// The start of the refusal a replica meets when its file is not the one that pushed under
/// its name before (restored from a backup, or copied to another machine).
pub const NOT_THE_SAME_REPLICA: &str =
    "this replica's file is not the one that pushed under its name before";

/// A digest of a pushed command, as it came.
fn digest(command: &PushedCommand) -> u64 {
    use sha2::Digest;
    let bytes = serde_json::to_vec(command).unwrap_or_default();
    let hash = sha2::Sha256::digest(bytes);
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    // 63 bits: every store keeps it as a signed 64-bit number.
    u64::from_be_bytes(first) >> 1
}

/// Checks that a push that starts at or below what was acknowledged is the same push sent
/// again (it then holds the last command applied, unchanged); a file restored from a backup or
/// copied to a second machine pushes other commands under the same numbers, which would
/// otherwise be passed over unapplied.
fn check_same_replica(
    read: &dyn StoreRead,
    body: &PushBody,
    acked: u64,
) -> Result<(), EngineError> {
    let Some(first) = body.commands.first() else {
        return Ok(());
    };
    if first.number > acked {
        return Ok(());
    }
    let kept = read.stamp(&last_digest(body.replica))?;
    let again = body.commands.iter().find(|c| c.number == acked);
    match (again, kept) {
        (Some(command), Some(kept)) if digest(command) == kept => Ok(()),
        _ => Err(EngineError::NotAllowed(format!(
            "{NOT_THE_SAME_REPLICA} (restored from a backup, or copied?); it syncs on as a new replica"
        ))),
    }
}

/// Refuses a request of another protocol version.
pub(super) fn check_protocol(protocol: u32) -> Result<(), EngineError> {
    match protocol {
        PROTOCOL => Ok(()),
        other => Err(EngineError::Invalid(format!(
            "protocol {other} is not one this server speaks (it speaks {PROTOCOL})"
        ))),
    }
}

/// The journal's kind for a pushed command; an undo names a synced command that exists and
/// is not undone yet, or it is kept as the plain change it made.
fn kind_of(read: &dyn StoreRead, command: &PushedCommand) -> Result<CommandKind, EngineError> {
    Ok(match (command.kind, command.undoes) {
        (WireKind::System, _) => CommandKind::System,
        (WireKind::Undo, Some(of)) => match read.command(CommandId(of))? {
            Some(target) if target.undone_by.is_none() => CommandKind::Undo { of: target.id },
            _ => CommandKind::User,
        },
        (WireKind::Undo | WireKind::User, _) => CommandKind::User,
    })
}

fn check_words(command: &PushedCommand) -> Result<(), EngineError> {
    let bad = |what: &str, e: crate::domain::TextError| {
        EngineError::Invalid(format!("command {}: {what}: {e}", command.number))
    };
    if command.actor.trim().is_empty() {
        return Err(EngineError::Invalid(format!(
            "command {}: actor: a command says who made it",
            command.number
        )));
    }
    if !crate::domain::When::At(command.at).in_calendar(chrono_tz::UTC) {
        return Err(EngineError::Invalid(format!(
            "command {}: at: {} is outside the calendar TME keeps (years 1 to 9999)",
            command.number, command.at
        )));
    }
    check_title(&command.actor).map_err(|e| bad("actor", e))?;
    check_note(&command.summary, "summary").map_err(|e| bad("summary", e))
}

impl TaskManager {
    /// Applies the commands a replica pushed that the server has not applied yet, in order,
    /// each merged by field onto the tasks as they are, in one transaction; says the highest
    /// number applied. A number already applied is passed over (a push sent again after a
    /// lost answer changes nothing); one that leaves a gap is refused.
    pub fn sync_push(&self, body: &PushBody) -> Result<PushAnswer, EngineError> {
        check_protocol(body.protocol)?;
        let stamp = acknowledged(body.replica);
        let tx = self.store.write()?;
        let mut acked = tx.stamp(&stamp)?.unwrap_or(0);
        check_same_replica(&*tx, body, acked)?;
        let first = acked;
        let mut last = None;
        let mut session = self.session_on(tx, CommandId(0), CommandKind::System, self.now());
        let s = &mut session;
        for command in &body.commands {
            if command.number <= acked {
                continue;
            }
            if command.number != acked + 1 {
                return Err(EngineError::NotAllowed(format!(
                    "command {} was pushed before command {}; push from {}",
                    command.number,
                    acked + 1,
                    acked + 1
                )));
            }
            check_words(command)?;
            let kind = kind_of(&*s.tx, command)?;
            s.next_command(command.at, &command.actor, &command.summary, kind)?;
            let mut applying = Applying {
                session: s,
                at: command.at,
                actor: command.actor.clone(),
                mode: Mode::Server,
            };
            for change in &command.changes {
                applying.change(change).map_err(|e| match e {
                    EngineError::Invalid(why) => {
                        EngineError::Invalid(format!("command {}: {why}", command.number))
                    }
                    other => other,
                })?;
            }
            if let CommandKind::Undo { of } = kind {
                s.tx.mark_undone(of, s.command)?;
            }
            acked = command.number;
            last = Some(digest(command));
        }
        if acked > first {
            session.tx.set_stamp(&stamp, acked)?;
            if let Some(last) = last {
                session.tx.set_stamp(&last_digest(body.replica), last)?;
            }
            self.commit(session)?;
        }
        Ok(PushAnswer {
            protocol: PROTOCOL,
            acknowledged: acked,
        })
    }

    /// The server's log after command `after`, oldest first, a page at a time. From the start
    /// (`after` 0) it is the whole log, so that the replica has every task's history, unless
    /// the log is long beside the tasks (more than [`SNAPSHOT_PAST`] entries beyond four a
    /// task) or does not hold them all: then every task as it stands, and the cursor that is
    /// at.
    pub fn sync_pull(&self, after: u64) -> Result<PullAnswer, EngineError> {
        let read = self.store.read()?;
        let counts = read.counts()?;
        let tasks = counts.open + counts.closed;
        // A log that does not hold every task (a file filled without one) is no way in either.
        let long = counts.journal > SNAPSHOT_PAST + 4 * tasks || counts.journal < tasks;
        let mut newer: Vec<Command> = Vec::new();
        read.visit_commands_newest_first(&mut |c| {
            let go_on = c.id.0 > after;
            if go_on {
                newer.push(c);
            }
            go_on && (after > 0 || !long || newer.is_empty())
        })?;
        if after == 0 && long {
            let cursor = newer.first().map_or(0, |c| c.id.0);
            let mut tasks: Vec<Task> = read.open_tasks()?.iter().map(|t| (**t).clone()).collect();
            read.visit_closed(&mut |t| {
                tasks.push(t);
                true
            })?;
            // Every task is in hand: links are named from here, not read again.
            let known = uuids_of(&tasks);
            let snapshot = tasks.iter().map(|t| wire_in(&*read, t, &known)).collect();
            return Ok(PullAnswer {
                protocol: PROTOCOL,
                cursor,
                snapshot: Some(snapshot),
                commands: Vec::new(),
                more: false,
            });
        }
        newer.reverse();
        let more = newer.len() > PULL_PAGE;
        newer.truncate(PULL_PAGE);
        let journal = read.journal_after(CommandId(after))?;
        let known = uuids_in(&journal);
        let mut entries = journal.into_iter().peekable();
        let mut commands = Vec::with_capacity(newer.len());
        for command in newer {
            let mut of_command = Vec::new();
            while let Some(entry) = entries.next_if(|e| e.command <= command.id) {
                if entry.command == command.id {
                    of_command.push(entry);
                }
            }
            let changes = of_command
                .into_iter()
                .map(|e| LogChange {
                    task: e.task.0,
                    op: e.op.as_str().to_string(),
                    before: e.before.as_ref().map(|t| wire_in(&*read, t, &known)),
                    after: e.after.as_ref().map(|t| wire_in(&*read, t, &known)),
                })
                .collect();
            let (kind, undoes) = match command.kind {
                CommandKind::User => (WireKind::User, None),
                CommandKind::System => (WireKind::System, None),
                CommandKind::Undo { of } => (WireKind::Undo, Some(of.0)),
            };
            commands.push(LogCommand {
                id: command.id.0,
                at: command.at,
                actor: command.actor,
                summary: command.summary,
                kind,
                undoes,
                undone_by: command.undone_by.map(|u| u.0),
                changes,
            });
        }
        Ok(PullAnswer {
            protocol: PROTOCOL,
            cursor: commands.last().map_or(after, |c| c.id),
            snapshot: None,
            commands,
            more,
        })
    }
}
