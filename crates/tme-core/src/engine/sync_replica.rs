//! A replica's side of sync (docs/sync.md): what it has not pushed yet, and taking the
//! server's log. A replica's journal is the server's from the moment it joined, under the
//! server's command numbers, with its own unsynced commands after it; taking the log puts
//! back what those commands changed, writes the server's commands (its own pushed ones
//! among them, as the server merged them), and puts any command made meanwhile back on top.
//! So every replica that took the log up to a cursor holds the same tasks.

use std::collections::HashMap;

use uuid::Uuid;

use super::TaskManager;
use super::conflicts::Conflict;
use super::error::EngineError;
use super::session::Change;
use super::sync_apply::{Applying, Mode, uuids_in, wire_in};
use super::sync_log::check_protocol;
use crate::domain::{Command, CommandId, CommandKind, JournalEntry, Op, Task, TaskId};
use crate::store::{CommandStart, Counter, Record, StoreRead};
use crate::sync::{
    LogCommand, PullAnswer, PushedCommand, WireChange, WireKind, from_wire, named_ids,
};

/// Where a replica stands, kept in its own file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaState {
    /// The replica's uuid, made when it first synced.
    pub replica: Uuid,
    /// The newest command of the server's log it holds (0: none yet).
    pub cursor: u64,
    /// The first journal number of what it has not synced.
    pub seq: u64,
    /// How many of its commands the server has applied, ever.
    pub pushed: u64,
    /// Whether it has taken the server's tasks once.
    pub joined: bool,
}

const STAMPS: [&str; 6] = [
    "sync.replica.high",
    "sync.replica.low",
    "sync.cursor",
    "sync.seq",
    "sync.pushed",
    "sync.joined",
];

/// What taking the server's log did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Taken {
    /// Commands of the server's log taken.
    pub commands: usize,
    /// Tasks taken as they stand, when the replica joined with this sync.
    pub joined: Option<usize>,
    /// Tasks added here whose id the server gave to another task first: (here, now).
    pub renumbered: Vec<(TaskId, TaskId)>,
    /// Changes made on this machine's user's side that lost to another's.
    pub lost: Vec<Conflict>,
    /// Commands made here meanwhile, put back on top, still to push.
    pub replayed: usize,
}

fn read_state(read: &dyn StoreRead) -> Result<Option<ReplicaState>, EngineError> {
    let mut values = [0u64; 6];
    for (value, name) in values.iter_mut().zip(STAMPS) {
        *value = read.stamp(name)?.unwrap_or(0);
    }
    let [high, low, cursor, seq, pushed, joined] = values;
    if high == 0 && low == 0 {
        return Ok(None);
    }
    Ok(Some(ReplicaState {
        replica: Uuid::from_u64_pair(high, low),
        cursor,
        seq: seq.max(1),
        pushed,
        joined: joined == 1,
    }))
}

/// The local commands after `cursor`, oldest first.
fn commands_after(read: &dyn StoreRead, cursor: u64) -> Result<Vec<Command>, EngineError> {
    let mut out = Vec::new();
    read.visit_commands_newest_first(&mut |c| {
        let newer = c.id.0 > cursor;
        if newer {
            out.push(c);
        }
        newer
    })?;
    out.reverse();
    Ok(out)
}

/// The travelling form of local commands, numbered on from `pushed`. An undo of a command
/// that never synced travels as the plain change it made.
fn travelling(
    read: &dyn StoreRead,
    commands: &[Command],
    cursor: u64,
    pushed: u64,
) -> Result<Vec<PushedCommand>, EngineError> {
    let mut out = Vec::with_capacity(commands.len());
    let journal = match commands.first() {
        Some(first) => read.journal_after(CommandId(first.id.0 - 1))?,
        None => Vec::new(),
    };
    let known = uuids_in(&journal);
    let mut entries = journal.into_iter().peekable();
    for (n, command) in (pushed + 1..).zip(commands) {
        let mut of_command = Vec::new();
        while let Some(entry) = entries.next_if(|e| e.command <= command.id) {
            if entry.command == command.id {
                of_command.push(entry);
            }
        }
        let (kind, undoes) = match command.kind {
            CommandKind::User => (WireKind::User, None),
            CommandKind::System => (WireKind::System, None),
            CommandKind::Undo { of } if of.0 <= cursor => (WireKind::Undo, Some(of.0)),
            CommandKind::Undo { .. } => (WireKind::Undo, None),
        };
        let changes = of_command
            .into_iter()
            .filter(|e| e.op != Op::Conflict)
            .map(|e| WireChange {
                op: e.op.as_str().to_string(),
                before: e.before.as_ref().map(|t| wire_in(read, t, &known)),
                after: e.after.as_ref().map(|t| wire_in(read, t, &known)),
            })
            .collect();
        out.push(PushedCommand {
            number: n,
            at: command.at,
            actor: command.actor.clone(),
            summary: command.summary.clone(),
            kind,
            undoes,
            changes,
        });
    }
    Ok(out)
}

/// The id `wire` names for each task it links to, as a lookup for [`from_wire`].
fn as_named(wire: &crate::sync::WireTask) -> Result<Task, EngineError> {
    let named = named_ids(wire);
    let mut find = |u: Uuid| {
        named
            .get(&u)
            .copied()
            .ok_or_else(|| format!("task {u} has no id in what the server sent"))
    };
    from_wire(wire, &mut find).map_err(|e| {
        EngineError::Invalid(format!("the server sent a task that cannot be read: {e}"))
    })
}

/// How many commands one push carries at most.
pub const PUSH_PAGE: usize = 1_000;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synced {
    /// Commands pushed that the server had not applied before.
    pub pushed: u64,
    /// What taking the server's log did.
    pub taken: Taken,
}

impl TaskManager {
    /// Syncs with `server`: pushes what this replica has not pushed, a page at a time, pulls
    /// the log since its cursor, and takes it ([`TaskManager::sync_take`]).
    pub fn sync_with(&self, server: &dyn crate::sync::SyncServer) -> Result<Synced, EngineError> {
        let state = self.replica_state()?;
        let outbox = self.sync_outbox(&state)?;
        let mut acknowledged = state.pushed;
        for page in outbox.chunks(PUSH_PAGE) {
            let body = crate::sync::PushBody {
                protocol: crate::sync::PROTOCOL,
                replica: state.replica,
                commands: page.to_vec(),
            };
            match server.push(&body) {
                Ok(answer) => acknowledged = answer.acknowledged,
                // Restored from a backup or copied: the same commands again under a new name
                // (the merge makes what the server already has change nothing). The new name
                // has pushed nothing, so this is not met again.
                Err(why) if why.contains(super::sync_log::NOT_THE_SAME_REPLICA) => {
                    self.rename_replica(&state)?;
                    return self.sync_with(server);
                }
                Err(why) => return Err(EngineError::Sync(why)),
            }
        }
        let mut pages = Vec::new();
        let mut after = if state.joined { state.cursor } else { 0 };
        loop {
            let page = server.pull(after).map_err(EngineError::Sync)?;
            let more = page.more && page.cursor > after;
            after = page.cursor;
            pages.push(page);
            if !more {
                break;
            }
        }
        let taken = self.sync_take(&state, acknowledged, &pages)?;
        Ok(Synced {
            pushed: acknowledged - state.pushed,
            taken,
        })
    }

    /// Where this replica stands; the first time, it is given its uuid.
    pub fn replica_state(&self) -> Result<ReplicaState, EngineError> {
        if let Some(state) = read_state(&*self.store.read()?)? {
            return Ok(state);
        }
        let mut tx = self.store.write()?;
        if let Some(state) = read_state(&*tx)? {
            return Ok(state);
        }
        let (high, low) = Uuid::new_v4().as_u64_pair();
        tx.set_stamp(STAMPS[0], high)?;
        tx.set_stamp(STAMPS[1], low)?;
        tx.commit()?;
        read_state(&*self.store.read()?)?
            .ok_or_else(|| EngineError::Invalid("the replica's uuid was not kept".into()))
    }

    /// Gives this replica a new uuid, its pushes numbered from 1 again (keeping the log it
    /// holds): what a file restored from a backup, or copied, needs before it pushes.
    fn rename_replica(&self, state: &ReplicaState) -> Result<(), EngineError> {
        let mut tx = self.store.write()?;
        if read_state(&*tx)?.as_ref() != Some(state) {
            return Err(EngineError::NotAllowed(
                "another sync ran meanwhile; run `tme sync` again".into(),
            ));
        }
        let (high, low) = Uuid::new_v4().as_u64_pair();
        tx.set_stamp(STAMPS[0], high)?;
        tx.set_stamp(STAMPS[1], low)?;
        tx.set_stamp(STAMPS[4], 0)?;
        tracing::warn!("this replica's file was not the one that pushed under its name; renamed");
        Ok(tx.commit()?)
    }

    /// The newest command of the server's log this replica holds (0 before it first synced),
    /// read without writing anything.
    pub fn sync_cursor(&self) -> Result<u64, EngineError> {
        Ok(read_state(&*self.store.read()?)?.map_or(0, |s| s.cursor))
    }

    /// The commands this replica has not pushed, numbered on from what the server applied.
    pub fn sync_outbox(&self, state: &ReplicaState) -> Result<Vec<PushedCommand>, EngineError> {
        let read = self.store.read()?;
        let commands = commands_after(&*read, state.cursor)?;
        travelling(&*read, &commands, state.cursor, state.pushed)
    }

    /// Takes the server's log (`pages`, oldest first, as pulled from `state.cursor`, or from
    /// the start when the replica had not joined), after the server applied this replica's
    /// commands up to `acknowledged`. In one transaction: what the replica had not synced is
    /// put back, the server's commands are written under the server's numbers, and the local
    /// commands the server had not applied are merged back on top, to push next time.
    pub fn sync_take(
        &self,
        state: &ReplicaState,
        acknowledged: u64,
        pages: &[PullAnswer],
    ) -> Result<Taken, EngineError> {
        for page in pages {
            check_protocol(page.protocol)?;
        }
        let tx = self.store.write()?;
        if read_state(&*tx)?.as_ref() != Some(state) {
            return Err(EngineError::NotAllowed(
                "another sync ran meanwhile; run `tme sync` again".into(),
            ));
        }
        let local = commands_after(&*tx, state.cursor)?;
        let acked = usize::try_from(acknowledged.saturating_sub(state.pushed))
            .unwrap_or(usize::MAX)
            .min(local.len());
        let (sent, rest) = local.split_at(acked);
        let replay = travelling(&*tx, rest, state.cursor, acknowledged)?;
        let mut entries: Vec<JournalEntry> = tx.journal_after(CommandId(state.cursor))?;
        let provisional: Vec<(Uuid, TaskId)> = entries
            .iter()
            .filter(|e| e.before.is_none() && sent.iter().any(|c| c.id == e.command))
            .filter_map(|e| e.after.as_ref().map(|t| (t.uuid, t.id)))
            .collect();
        let mut s = self.session_on(tx, CommandId(0), CommandKind::System, self.now());
        entries.sort_by_key(|e| e.seq);
        for entry in entries.iter().rev() {
            s.tx.mirror_row(entry.task, entry.before.as_ref())?;
        }
        let joining = pages.first().and_then(|p| p.snapshot.as_ref());
        let mut seq = state.seq;
        let mut taken = Taken::default();
        let mut highest = 0u64;
        if let Some(snapshot) = joining {
            let mut left = Vec::new();
            s.tx.visit_closed(&mut |t| {
                left.push(t.id);
                true
            })?;
            left.extend(s.tx.open_tasks()?.iter().map(|t| t.id));
            for id in left {
                s.tx.mirror_row(id, None)?;
            }
            s.tx.forget_since(1, CommandId(1))?;
            seq = 1;
            let cursor = pages.first().map_or(0, |p| p.cursor);
            if !snapshot.is_empty() {
                s.tx.load_record(Record::Counter(Counter::Command, cursor.max(1)))?;
                s.command = s.tx.begin_command(CommandStart {
                    at: self.now(),
                    actor: "sync".into(),
                    summary: format!(
                        "joined the server's {} task(s) as they stood at its command {cursor}; their history before is on the server",
                        snapshot.len()
                    ),
                    kind: CommandKind::System,
                })?;
            }
            for wire in snapshot {
                let task = as_named(wire)?;
                highest = highest.max(task.id.0);
                s.tx.put_task(Op::Add, &task, self.now())?;
                seq += 1;
                s.changes.push(Change { op: Op::Add, task });
            }
            taken.joined = Some(snapshot.len());
        } else {
            s.tx.forget_since(state.seq, CommandId(state.cursor + 1))?;
        }
        let mut cursor = state.cursor;
        for page in pages {
            for command in &page.commands {
                seq += self.mirror(&mut s, command, &mut highest)?;
                taken.commands += 1;
            }
            cursor = page.cursor;
        }
        let next = s.tx.claim_task_id(TaskId(highest + 1))?;
        s.tx.load_record(Record::Counter(Counter::TaskId, next.0))?;
        for (uuid, was) in provisional {
            if let Some(now) = s.tx.id_by_uuid(uuid)?
                && now != was
            {
                taken.renumbered.push((was, now));
            }
        }
        for page in pages {
            for command in page
                .commands
                .iter()
                .filter(|c| c.changes.iter().any(|ch| ch.op == "conflict"))
            {
                taken.lost.extend(
                    super::conflicts::of_command(&*s.tx, CommandId(command.id))?
                        .into_iter()
                        .filter(|c| c.lost_by(&self.actor)),
                );
            }
        }
        let mut replayed: HashMap<u64, CommandId> = HashMap::new();
        for (command, original) in replay.iter().zip(rest) {
            let kind = match original.kind {
                CommandKind::Undo { of } => match replayed.get(&of.0) {
                    Some(new) => CommandKind::Undo { of: *new },
                    None if of.0 <= cursor => CommandKind::Undo { of },
                    None => CommandKind::User,
                },
                other => other,
            };
            s.next_command(command.at, &command.actor, &command.summary, kind)?;
            replayed.insert(original.id.0, s.command);
            let mut applying = Applying {
                session: &mut s,
                at: command.at,
                actor: command.actor.clone(),
                mode: Mode::Replay,
            };
            for change in &command.changes {
                applying.change(change)?;
            }
            if let CommandKind::Undo { of } = kind
                && s.tx.command(of)?.is_some()
            {
                s.tx.mark_undone(of, s.command)?;
            }
            taken.replayed += 1;
        }
        let values = [
            state.replica.as_u64_pair().0,
            state.replica.as_u64_pair().1,
            cursor,
            seq,
            acknowledged,
            1,
        ];
        for (name, value) in STAMPS.into_iter().zip(values) {
            s.tx.set_stamp(name, value)?;
        }
        self.commit(s)?;
        Ok(taken)
    }

    /// Writes one command of the server's log under its number; gives how many journal
    /// entries it wrote.
    fn mirror(
        &self,
        s: &mut super::session::Session<'_>,
        command: &LogCommand,
        highest: &mut u64,
    ) -> Result<u64, EngineError> {
        let kind = match (command.kind, command.undoes) {
            (WireKind::Undo, Some(of)) => CommandKind::Undo { of: CommandId(of) },
            (WireKind::System, _) => CommandKind::System,
            _ => CommandKind::User,
        };
        s.tx.load_record(Record::Counter(Counter::Command, command.id))?;
        s.next_command(command.at, &command.actor, &command.summary, kind)?;
        let mut written = 0;
        for change in &command.changes {
            let op = Op::ALL
                .into_iter()
                .find(|op| op.as_str() == change.op)
                .ok_or_else(|| {
                    EngineError::Invalid(format!(
                        "the server sent a change of a kind this build does not know ('{}')",
                        change.op
                    ))
                })?;
            let id = TaskId(change.task);
            let before = change.before.as_ref().map(as_named).transpose()?;
            let after = change.after.as_ref().map(as_named).transpose()?;
            if op == Op::Conflict {
                s.tx.note_entry(op, id, (before.as_ref(), after.as_ref()), command.at)?;
            } else if let Some(task) = after {
                *highest = (*highest).max(task.id.0);
                s.tx.put_task(op, &task, command.at)?;
                s.changes.push(Change { op, task });
            } else {
                s.tx.remove_task(op, id, command.at)?;
                if let Some(task) = before {
                    s.changes.push(Change { op, task });
                }
            }
            written += 1;
        }
        if let Some(undo) = command.undone_by {
            s.tx.mark_undone(s.command, CommandId(undo))?;
        }
        if let CommandKind::Undo { of } = kind
            && s.tx.command(of)?.is_some()
        {
            s.tx.mark_undone(of, s.command)?;
        }
        Ok(written)
    }
}
