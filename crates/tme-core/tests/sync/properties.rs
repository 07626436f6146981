//! Sync, proved on random runs: three replicas and a server, random offline edits of every
//! kind (recurring series and the ticker among them) and random sync orders. Whatever
//! happened, once every replica has synced twice all hold what the server holds, field for
//! field; no occurrence of a series is there twice; and every change the server acknowledged
//! is in its journal (it stood at some point, or it is kept as the losing side of a conflict).
//!
//! `TME_SYNC_CASES` sets how many runs (48 by default); each prints nothing unless it fails,
//! when proptest shrinks it to the shortest failing run.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Duration;
use proptest::prelude::*;
use serde_json::Value;
use tme_core::TaskManager;
use tme_core::domain::{
    AttrValue, Filter, NewTask, Op, Priority, RecurrenceLink, RecurrenceRule, Tag, Task,
    TaskChanges, TaskId, When,
};
use tme_core::sync::{
    PullAnswer, PushAnswer, PushBody, PushedCommand, SyncServer, WireTask, changed_fields,
    field_value, to_wire,
};

use super::replicas::{Net, all_tasks};

/// One step of a run.
#[derive(Debug, Clone)]
enum Step {
    Add(usize),
    AddSeries,
    Title(usize, usize),
    Priority(usize, u8),
    Tag(usize, usize, bool),
    Complete(usize),
    Delete(usize),
    Start(usize),
    Stop(usize),
    Annotate(usize, usize),
    Depend(usize, usize),
    Parent(usize, usize),
    Undo,
    Tick(u8),
    Sync,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (0..5usize).prop_map(Step::Add),
        1 => Just(Step::AddSeries),
        3 => (any::<usize>(), 0..4usize).prop_map(|(t, v)| Step::Title(t, v)),
        3 => (any::<usize>(), 0..4u8).prop_map(|(t, p)| Step::Priority(t, p)),
        2 => (any::<usize>(), 0..3usize, any::<bool>()).prop_map(|(t, g, on)| Step::Tag(t, g, on)),
        2 => any::<usize>().prop_map(Step::Complete),
        1 => any::<usize>().prop_map(Step::Delete),
        1 => any::<usize>().prop_map(Step::Start),
        1 => any::<usize>().prop_map(Step::Stop),
        1 => (any::<usize>(), 0..3usize).prop_map(|(t, n)| Step::Annotate(t, n)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Step::Depend(a, b)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Step::Parent(a, b)),
        2 => Just(Step::Undo),
        1 => (1..30u8).prop_map(Step::Tick),
        4 => Just(Step::Sync),
    ]
}

/// A server that keeps what it acknowledged.
struct Recording<'a> {
    server: &'a TaskManager,
    acknowledged: RefCell<Vec<PushedCommand>>,
}

impl SyncServer for Recording<'_> {
    fn push(&self, body: &PushBody) -> Result<PushAnswer, String> {
        let answer = self.server.push(body)?;
        let mut kept = self.acknowledged.borrow_mut();
        let known: BTreeSet<(String, u64)> =
            kept.iter().map(|c| (c.actor.clone(), c.number)).collect();
        kept.extend(
            body.commands
                .iter()
                .filter(|c| c.number <= answer.acknowledged)
                .filter(|c| !known.contains(&(c.actor.clone(), c.number)))
                .cloned(),
        );
        Ok(answer)
    }

    fn pull(&self, after: u64) -> Result<PullAnswer, String> {
        self.server.pull(after)
    }
}

/// Makes each title set in a run its own, so that a value found on the server is that change's.
static UNIQUE: AtomicU64 = AtomicU64::new(0);

fn pick(tm: &TaskManager, n: usize) -> Option<TaskId> {
    let tasks = all_tasks(tm);
    (!tasks.is_empty()).then(|| tasks[n % tasks.len()].id)
}

fn run_step(net: &Net, server: &Recording<'_>, who: usize, step: &Step) {
    // Each step a moment after the last, as commands are made.
    net.advance(Duration::seconds(1));
    let tm = &net.at(who).tm;
    let change = |n: usize, changes: TaskChanges| {
        if let Some(id) = pick(tm, n) {
            let _ = tm.update(id, &changes);
        }
    };
    match step {
        Step::Add(n) => {
            let _ = tm.create(NewTask {
                title: format!("Task {n} from {who}"),
                ..NewTask::default()
            });
        }
        Step::AddSeries => {
            let _ = tm.create(NewTask {
                title: format!("Series from {who}"),
                recurrence: RecurrenceRule::parse("daily").ok(),
                due: Some(When::At(net.now() + Duration::hours(2))),
                ..NewTask::default()
            });
        }
        Step::Title(t, v) => change(
            *t,
            TaskChanges {
                title: Some(format!(
                    "Title {v} #{}",
                    UNIQUE.fetch_add(1, Ordering::Relaxed)
                )),
                ..Default::default()
            },
        ),
        Step::Priority(t, p) => change(
            *t,
            TaskChanges {
                priority: Some(
                    [
                        None,
                        Some(Priority::High),
                        Some(Priority::Medium),
                        Some(Priority::Low),
                    ][usize::from(*p)],
                ),
                ..Default::default()
            },
        ),
        Step::Tag(t, g, on) => {
            let tag = Tag::parse(["home", "work", "later"][*g])
                .ok()
                .into_iter()
                .collect();
            let changes = match on {
                true => TaskChanges {
                    add_tags: tag,
                    ..Default::default()
                },
                false => TaskChanges {
                    remove_tags: tag,
                    ..Default::default()
                },
            };
            change(*t, changes);
        }
        Step::Complete(t) => {
            if let Some(id) = pick(tm, *t) {
                let _ = tm.mark_completed(id);
            }
        }
        Step::Delete(t) => {
            if let Some(id) = pick(tm, *t) {
                let _ = tm.delete(id);
            }
        }
        Step::Start(t) | Step::Stop(t) => {
            if let Some(id) = pick(tm, *t) {
                let start = matches!(step, Step::Start(_));
                let _ = tm.transaction("track", |s| if start { s.start(id) } else { s.stop(id) });
            }
        }
        Step::Annotate(t, n) => {
            if let Some(id) = pick(tm, *t) {
                let _ = tm.transaction("annotate", |s| s.annotate(id, &format!("Note {n}")));
            }
        }
        Step::Depend(a, b) => {
            if let (Some(a), Some(b)) = (pick(tm, *a), pick(tm, *b)) {
                let _ = tm.assign_dependency(a, b);
            }
        }
        Step::Parent(a, b) => {
            if let (Some(a), Some(b)) = (pick(tm, *a), pick(tm, *b)) {
                let _ = tm.update(
                    a,
                    &TaskChanges {
                        parent: Some(Some(b)),
                        ..Default::default()
                    },
                );
            }
        }
        Step::Undo => {
            let _ = tm.undo();
        }
        Step::Tick(hours) => {
            net.advance(Duration::hours(i64::from(*hours)));
            tm.catch_up().map(|_| ()).unwrap_or_default();
        }
        Step::Sync => {
            tm.sync_with(server).expect("sync");
        }
    }
}

/// Every journal entry of the server, by task uuid.
fn server_journal(tm: &TaskManager) -> HashMap<uuid::Uuid, Vec<tme_core::domain::JournalEntry>> {
    let mut out: HashMap<uuid::Uuid, Vec<_>> = HashMap::new();
    let highest = tm
        .get_tasks(&Filter::all())
        .expect("tasks")
        .iter()
        .map(|t| t.id.0)
        .max()
        .unwrap_or(0);
    for id in 1..=highest + 200 {
        for entry in tm.history(TaskId(id)).unwrap_or_default() {
            if let Some(uuid) = entry
                .after
                .as_ref()
                .or(entry.before.as_ref())
                .map(|t| t.uuid)
            {
                out.entry(uuid).or_default().push(entry);
            }
        }
    }
    out
}

fn without_ids(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != "id")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn set_elements(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.iter().map(without_ids).collect(),
        _ => Vec::new(),
    }
}

/// Checks that every acknowledged change is in the server's journal.
fn assert_traced(server: &TaskManager, acknowledged: &[PushedCommand]) {
    let journal = server_journal(server);
    let mut commands = HashMap::new();
    for entry in journal.values().flatten() {
        if let Some(c) = server.command(entry.command).expect("a command") {
            commands.insert(entry.command, (c.actor, c.at, c.summary));
        }
    }
    let wire = |t: &Task| to_wire(t, |_| uuid::Uuid::nil());
    for command in acknowledged {
        let this = (command.actor.clone(), command.at, command.summary.clone());
        for change in &command.changes {
            let Some(after) = &change.after else { continue };
            let uuid = tme_core::sync::uuid_of_wire(after).expect("a uuid");
            let Some(entries) = journal.get(&uuid) else {
                panic!(
                    "task {uuid} of '{}' is nowhere on the server",
                    command.summary
                );
            };
            let Some(before) = &change.before else {
                continue;
            };
            let afters = |of_this: bool| -> Vec<WireTask> {
                entries
                    .iter()
                    .filter(|e| e.op != Op::Conflict)
                    .filter(|e| !of_this || commands.get(&e.command) == Some(&this))
                    .filter_map(|e| e.after.as_ref().map(wire))
                    .collect()
            };
            // What the server made of this very command, when it changed the task; when it
            // changed nothing, the task already held the change.
            let applied = match afters(true) {
                mine if mine.is_empty() => afters(false),
                mine => mine,
            };
            let lost: Vec<(String, Value)> = entries
                .iter()
                .filter(|e| e.op == Op::Conflict)
                .filter_map(|e| e.before.as_ref())
                .filter_map(|t| {
                    match (
                        t.attrs.get("tme.conflict.field"),
                        t.attrs.get("tme.conflict.lost"),
                    ) {
                        (Some(AttrValue::Text(f)), Some(AttrValue::Text(v))) => {
                            Some((f.clone(), serde_json::from_str(v).unwrap_or(Value::Null)))
                        }
                        _ => None,
                    }
                })
                .collect();
            for field in changed_fields(before, after) {
                if ["parent", "recurrence", "depends"].contains(&field.as_str()) {
                    // Links are compared by uuid, which this check's forms leave out.
                    continue;
                }
                let wanted = field_value(after, &field);
                if ["tags", "annotations"].contains(&field.as_str()) {
                    let had = set_elements(&field_value(before, &field));
                    for element in set_elements(&wanted)
                        .into_iter()
                        .filter(|e| !had.contains(e))
                    {
                        let seen = applied
                            .iter()
                            .any(|a| set_elements(&field_value(a, &field)).contains(&element));
                        assert!(
                            seen,
                            "{field} {element} of '{}' on task {uuid} is nowhere on the server",
                            command.summary
                        );
                    }
                    continue;
                }
                // A status both sides reached stands with the first side's times (docs/sync.md).
                let same = |a: &Value| match field.as_str() {
                    "status" => a.get(0) == wanted.get(0),
                    _ => *a == wanted,
                };
                let stood = applied.iter().any(|a| same(&field_value(a, &field)));
                let kept = lost.iter().any(|(f, v)| *f == field && *v == wanted);
                assert!(
                    stood || kept,
                    "{field} = {wanted} of '{}' on task {uuid} is nowhere on the server",
                    command.summary
                );
            }
        }
    }
}

/// No occurrence of a series is there twice.
fn assert_no_duplicate(tm: &TaskManager) {
    let mut seen = BTreeSet::new();
    for task in all_tasks(tm) {
        if let Some(RecurrenceLink::Instance {
            template,
            occurrence,
        }) = task.recurrence
        {
            assert!(
                seen.insert((template, occurrence)),
                "occurrence {occurrence} of task {template} twice"
            );
        }
    }
}

fn cases() -> u32 {
    std::env::var("TME_SYNC_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_without_duplicates_or_untraced_losses(
        steps in prop::collection::vec((0..3usize, step()), 1..60)
    ) {
        let net = Net::new(3);
        let server = Recording { server: &net.server.tm, acknowledged: RefCell::new(Vec::new()) };
        for (who, step) in &steps {
            run_step(&net, &server, *who, step);
        }
        for _ in 0..2 {
            for who in 0..net.len() {
                net.at(who).tm.sync_with(&server).expect("sync");
            }
        }
        net.assert_converged();
        assert_no_duplicate(&net.server.tm);
        assert_traced(&net.server.tm, &server.acknowledged.borrow());
    }
}
