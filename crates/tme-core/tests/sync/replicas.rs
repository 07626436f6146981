//! A server and replicas, each an engine on its own file, sharing one stopped clock.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use tme_core::TaskManager;
use tme_core::domain::{Filter, NewTask, Priority, Task, TaskChanges};
use tme_core::engine::{Clock, FixedClock, Synced};
use tme_core::store::RedbStore;
use tme_core::sync::{PROTOCOL, PushBody, PushedCommand, WireKind, to_wire};

/// One engine on its own file.
pub struct Node {
    /// The engine.
    pub tm: TaskManager,
    _dir: tempfile::TempDir,
}

fn node(actor: &str, clock: Arc<FixedClock>) -> Node {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let store = RedbStore::open(dir.path().join("tasks.redb")).expect("a store");
    let tm = TaskManager::builder(store)
        .clock(clock)
        .actor(actor)
        .time_zone(chrono_tz::UTC)
        .build();
    Node { tm, _dir: dir }
}

/// A server and `n` replicas.
pub struct Net {
    /// The server.
    pub server: Node,
    replicas: Vec<Node>,
    clock: Arc<FixedClock>,
}

impl Net {
    /// `n` replicas at a fixed instant.
    pub fn new(n: usize) -> Net {
        Net::at_time(
            n,
            Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0)
                .single()
                .expect("a time"),
        )
    }

    /// `n` replicas, the clock at `at`.
    pub fn at_time(n: usize, at: DateTime<Utc>) -> Net {
        let clock = Arc::new(FixedClock::new(at));
        Net {
            server: node("server via serve", clock.clone()),
            replicas: (0..n)
                .map(|i| node(&format!("user{i} via test on machine{i}"), clock.clone()))
                .collect(),
            clock,
        }
    }

    /// Replica `i`.
    pub fn at(&self, i: usize) -> &Node {
        &self.replicas[i]
    }

    /// How many replicas there are.
    pub fn len(&self) -> usize {
        self.replicas.len()
    }

    /// The shared clock's time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Moves the shared clock on.
    pub fn advance(&self, by: Duration) {
        self.clock.set(self.clock.now() + by);
    }

    /// A replica that has not synced yet, outside the others.
    pub fn join(&self) -> Node {
        node("late via test on machine9", self.clock.clone())
    }

    /// A copy of replica `i`'s file as it is now, opened as another machine would (a backup
    /// restored later, or a file copied to a second machine).
    pub fn copy_of(&self, i: usize) -> Node {
        let dir = tempfile::tempdir().expect("a scratch directory");
        let path = dir.path().join("tasks.redb");
        self.at(i).tm.backup_to(&path).expect("a backup");
        let tm = TaskManager::builder(RedbStore::open(&path).expect("a store"))
            .clock(self.clock.clone())
            .actor(format!("user{i} via test on machine{i}"))
            .time_zone(chrono_tz::UTC)
            .build();
        Node { tm, _dir: dir }
    }

    /// Syncs replica `i`.
    pub fn sync(&self, i: usize) -> Synced {
        self.at(i).tm.sync_with(&self.server.tm).expect("sync")
    }

    /// Syncs every replica once, in order.
    pub fn sync_all(&self) {
        for i in 0..self.len() {
            self.sync(i);
        }
    }

    /// A push body.
    pub fn body(&self, replica: uuid::Uuid, commands: Vec<PushedCommand>) -> PushBody {
        PushBody {
            protocol: PROTOCOL,
            replica,
            commands,
        }
    }

    /// Every replica and the server hold the same tasks, field for field.
    pub fn assert_converged(&self) {
        let server = state(&self.server.tm);
        for (i, replica) in self.replicas.iter().enumerate() {
            let mine = state(&replica.tm);
            assert_eq!(
                mine.len(),
                server.len(),
                "replica {i} holds another number of tasks"
            );
            for (a, b) in mine.iter().zip(&server) {
                assert_eq!(a, b, "replica {i} differs from the server");
            }
            let check = replica.tm.check_records().expect("check");
            assert!(
                check.problems.is_empty(),
                "replica {i}: {:?}",
                check.problems
            );
        }
    }
}

/// Every task of an engine, by id.
pub fn all_tasks(tm: &TaskManager) -> Vec<Task> {
    tm.get_tasks(&Filter::all()).expect("tasks")
}

/// Every task in its travelling form, by id.
pub fn state(tm: &TaskManager) -> Vec<tme_core::sync::WireTask> {
    let tasks = all_tasks(tm);
    let uuid_of = |id| {
        tasks
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.uuid)
            .unwrap_or_default()
    };
    tasks.iter().map(|t| to_wire(t, uuid_of)).collect()
}

/// A new task with a title.
pub fn new_task(title: &str) -> NewTask {
    NewTask {
        title: title.into(),
        ..NewTask::default()
    }
}

/// A pushed command with no changes, numbered `n`.
pub fn pushed(n: u64) -> PushedCommand {
    PushedCommand {
        number: n,
        at: Utc::now(),
        actor: "someone via test".into(),
        summary: "nothing".into(),
        kind: WireKind::User,
        undoes: None,
        changes: Vec::new(),
    }
}

/// A change of priority alone.
pub fn priority(p: Priority) -> TaskChanges {
    TaskChanges {
        priority: Some(Some(p)),
        ..TaskChanges::default()
    }
}

/// A change of title alone.
pub fn title(text: &str) -> TaskChanges {
    TaskChanges {
        title: Some(text.into()),
        ..TaskChanges::default()
    }
}
