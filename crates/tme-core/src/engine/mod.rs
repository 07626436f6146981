//! The engine: [`TaskManager`], the one API through which every front end reads and changes
//! tasks. It enforces the invariants (titles, links, no cycles), journals every change as part
//! of a command, and derives what is not stored (urgency, blocked, waiting).

mod analytics;
mod blocking;
mod calendar;
mod clock;
mod conflicts;
mod declared;
mod describe;
mod error;
mod gate;
mod graph;
mod hook_pass;
mod hooks;
mod import;
mod outlook;
mod query;
mod reach;
mod recurring;
mod reminders;
mod rules;
mod session;
mod sync_apply;
mod sync_log;
mod sync_replica;
mod ticker;
mod tokens;
mod undo;

pub use calendar::{Agenda, Entry, Upcoming, occurrence_word, time_span};
pub use clock::{Clock, FixedClock, SystemClock};
pub use conflicts::{Conflict, person};
pub use declared::{DECLARED_ATTR, DeclaredSeries, DeclaredStart, declared_key};
pub use describe::{Fact, HistoryItem, HistoryJson, facts, link_name, spawned_words, status_mark};
pub use error::{Blocker, EngineError};
pub use gate::Completion;
pub use hooks::{ChangeHooks, ChangeObserver};
pub use import::{Carried, ImportReport, Incoming};
pub use outlook::SeriesOutlook;
pub use query::{Page, Snapshot, SortKey, SortValue, Summary, TaskView};
pub use recurring::Schedule;
pub use reminders::{Reminder, ReminderKind};
pub use rules::{Event, MOST_DEPTH, Rule, RuleAction, RuleReport, fill};
pub use session::{Change, Session};
pub use sync_log::{PULL_PAGE, SNAPSHOT_PAST};
pub use sync_replica::{PUSH_PAGE, ReplicaState, Synced, Taken};
pub use undo::UndoReport;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::types::TaskTypes;
use crate::domain::{
    Category, Command, CommandId, CommandKind, DepKind, JournalEntry, NewTask, Task, TaskChanges,
    TaskId, TimeContext, UrgencyWeights,
};
use crate::store::{CommandStart, RedbStore, Store, StoreError, StoreWrite};

/// The task engine.
///
/// ```
/// use tme_core::engine::TaskManager;
/// use tme_core::domain::Filter;
/// let dir = tempfile::tempdir().unwrap();
/// let tm = TaskManager::open(dir.path().join("tasks.redb")).unwrap();
/// let rent = tm.add_task("Pay rent", Some("Finance")).unwrap();
/// let bills = tm.add_task("Collect bills", Some("Finance")).unwrap();
/// tm.assign_dependency(rent.id, bills.id).unwrap();
/// tm.mark_completed(bills.id).unwrap();
/// let open = tm.get_tasks(&Filter::default()).unwrap();
/// assert_eq!(open.len(), 1);
/// tm.undo().unwrap();
/// assert_eq!(tm.get_tasks_by_category("Finance").unwrap().len(), 2);
/// ```
pub struct TaskManager {
    store: Box<dyn Store>,
    clock: Arc<dyn Clock>,
    tz: Tz,
    week_start: Weekday,
    weights: UrgencyWeights,
    schedule: Schedule,
    actor: String,
    types: Arc<TaskTypes>,
    hooks: Option<Arc<dyn ChangeHooks>>,
    rules: Arc<Vec<Rule>>,
    notes: std::sync::Mutex<Vec<String>>,
    observers: Vec<Arc<dyn ChangeObserver>>,
    /// The open tasks' ranks as of a change stamp (see `TaskManager::ranked`).
    ranked: std::sync::Mutex<Option<query::Kept>>,
}

/// How many times a command with hooks is run before it gives up (each run after the first
/// asks the hooks only about what they have not been shown).
const MOST_HOOK_ROUNDS: usize = 8;

/// How long a command cut off by the store (a lost connection to the database server) is
/// tried again before the error is reported: longer than a server takes to restart.
pub const RETRY_FOR: std::time::Duration = std::time::Duration::from_secs(20);

/// What a command did: the tasks it changed, and the recurring instances that followed
/// (completing one brings the next).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The tasks changed, in the order asked.
    pub tasks: Vec<Task>,
    /// Instances spawned on the way.
    pub spawned: Vec<Task>,
    /// Tasks that were waiting on one of these and now can start.
    pub unblocked: Vec<Task>,
}

/// Builds a [`TaskManager`] with an injected clock, zone and settings.
pub struct TaskManagerBuilder {
    manager: TaskManager,
}

impl TaskManagerBuilder {
    /// The clock to read "now" from (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> TaskManagerBuilder {
        self.manager.clock = clock;
        self
    }

    /// The user's time zone (default: UTC).
    pub fn time_zone(mut self, tz: Tz) -> TaskManagerBuilder {
        self.manager.tz = tz;
        self
    }

    /// The first day of the week (default: Monday).
    pub fn week_start(mut self, day: Weekday) -> TaskManagerBuilder {
        self.manager.week_start = day;
        self
    }

    /// The urgency weights (default: [`UrgencyWeights::default`]).
    pub fn urgency(mut self, weights: UrgencyWeights) -> TaskManagerBuilder {
        self.manager.weights = weights;
        self
    }

    /// How recurring instances are spawned (default: [`Schedule::default`]).
    pub fn schedule(mut self, schedule: Schedule) -> TaskManagerBuilder {
        self.manager.schedule = schedule;
        self
    }

    /// The task types whose attributes are checked (default: none).
    pub fn types(mut self, types: TaskTypes) -> TaskManagerBuilder {
        self.manager.types = Arc::new(types);
        self
    }

    /// The automation rules run after each command's changes (default: none).
    pub fn rules(mut self, rules: Vec<Rule>) -> TaskManagerBuilder {
        self.manager.rules = Arc::new(rules);
        self
    }

    /// What sees each user change before it is saved (default: nothing).
    pub fn hooks(mut self, hooks: Arc<dyn ChangeHooks>) -> TaskManagerBuilder {
        self.manager.hooks = Some(hooks);
        self
    }

    /// Also tells `observer` about every command's changes once saved (default: nobody).
    pub fn observer(mut self, observer: Arc<dyn ChangeObserver>) -> TaskManagerBuilder {
        self.manager.observers.push(observer);
        self
    }

    /// Who is making changes, as recorded in the journal (default: `library`).
    pub fn actor(mut self, actor: impl Into<String>) -> TaskManagerBuilder {
        self.manager.actor = actor.into();
        self
    }

    /// The engine.
    pub fn build(self) -> TaskManager {
        self.manager
    }
}

impl TaskManager {
    /// Starts building an engine over `store`.
    pub fn builder(store: impl Store + 'static) -> TaskManagerBuilder {
        TaskManagerBuilder {
            manager: TaskManager {
                store: Box::new(store),
                clock: Arc::new(SystemClock),
                tz: chrono_tz::UTC,
                week_start: Weekday::Mon,
                weights: UrgencyWeights::default(),
                schedule: Schedule::default(),
                actor: "library".into(),
                types: Arc::default(),
                hooks: None,
                rules: Arc::default(),
                notes: std::sync::Mutex::default(),
                observers: Vec::new(),
                ranked: std::sync::Mutex::default(),
            },
        }
    }

    /// Opens (or creates) the redb file at `path` with the system clock, in UTC.
    pub fn open(path: impl AsRef<Path>) -> Result<TaskManager, EngineError> {
        Ok(TaskManager::builder(RedbStore::open(path)?).build())
    }

    /// The store underneath (the engine's own tests read it directly).
    #[cfg(test)]
    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The clock this engine reads "now" from, for front ends that need the same "now".
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The current instant, to the millisecond (what the store keeps).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(3)
    }

    /// From now on, `observer` is told about every command's changes once saved (as well as
    /// the observers it had).
    pub fn add_observer(&mut self, observer: Arc<dyn ChangeObserver>) {
        self.observers.push(observer);
    }

    /// From now on, every user change passes through `hooks` before it is saved.
    pub fn set_hooks(&mut self, hooks: Arc<dyn ChangeHooks>) {
        self.hooks = Some(hooks);
    }

    /// What hooks and plugins said since this was last asked, when they keep it for the TUI.
    pub fn take_feedback(&self) -> Vec<String> {
        let mut out: Vec<String> = self.hooks.iter().flat_map(|h| h.take_feedback()).collect();
        out.extend(self.observers.iter().flat_map(|o| o.take_feedback()));
        out.extend(self.take_notes());
        out
    }

    /// What rules said since this was last asked (`notify` messages, rules skipped).
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }

    /// The automation rules.
    pub fn automation_rules(&self) -> &[Rule] {
        &self.rules
    }

    /// What rule `name` would do for task `id` if it were set off now: the changes it would
    /// make and what it would say. Nothing is saved.
    pub fn try_rule(
        &self,
        name: &str,
        id: TaskId,
    ) -> Result<(Vec<Change>, Vec<String>), EngineError> {
        let rule = self.rules.iter().find(|r| r.name == name).ok_or_else(|| {
            EngineError::Invalid(format!("there is no rule '{name}'; tme rules lists them"))
        })?;
        let mut session = self.begin(
            self.store.write()?,
            CommandKind::User,
            &self.actor,
            "rules test",
            self.now(),
        )?;
        session.task(id)?;
        let mut report = RuleReport::default();
        let time = self.time();
        for action in &rule.actions {
            session.act(rule, action, id, &time, &mut report)?;
        }
        // Dropped without committing: nothing is saved.
        Ok((session.changes().to_vec(), report.notes))
    }

    /// "Now", the zone and the week start, for parsing and display.
    pub fn time(&self) -> TimeContext {
        TimeContext {
            now: self.now(),
            tz: self.tz,
            week_start: self.week_start,
        }
    }

    /// Runs `f` as one command: all its changes commit together and are undone together. If
    /// `f` fails, nothing is written.
    ///
    /// ```
    /// use tme_core::engine::TaskManager;
    /// use tme_core::domain::NewTask;
    /// let dir = tempfile::tempdir().unwrap();
    /// let tm = TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// tm.transaction("add two", |s| {
    ///     s.create(NewTask { title: "One".into(), ..NewTask::default() })?;
    ///     s.create(NewTask { title: "Two".into(), ..NewTask::default() })
    /// }).unwrap();
    /// let report = tm.undo().unwrap();
    /// assert_eq!(report.tasks.len(), 2);
    /// ```
    pub fn transaction<T>(
        &self,
        summary: &str,
        f: impl FnMut(&mut Session<'_>) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        self.run(CommandKind::User, &self.actor, summary, f)
    }

    /// [`TaskManager::transaction`] journaled as made by `actor` rather than this manager's
    /// own (a server's caller: the name of the API token it came with).
    pub fn transaction_by<T>(
        &self,
        actor: &str,
        summary: &str,
        f: impl FnMut(&mut Session<'_>) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        self.run(CommandKind::User, actor, summary, f)
    }

    /// Runs `f` as one command of the given kind; it commits only if it wrote something. With
    /// hooks, `f` may run more than once (see [`hook_pass`]): only the last run counts. A
    /// command the store cut off before saving it (a database server's connection lost) is run
    /// again, for up to [`RETRY_FOR`], before the error is reported.
    fn run<T>(
        &self,
        kind: CommandKind,
        actor: &str,
        summary: &str,
        mut f: impl FnMut(&mut Session<'_>) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let now = self.now();
        let first = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(50);
        loop {
            match self.run_at(kind, actor, summary, now, &mut f) {
                Err(EngineError::Store(StoreError::Interrupted(why))) => {
                    if first.elapsed() >= RETRY_FOR {
                        return Err(EngineError::Store(StoreError::Interrupted(format!(
                            "{why}; tried again for {} s",
                            first.elapsed().as_secs()
                        ))));
                    }
                    tracing::warn!("'{summary}' was cut off ({why}); running it again");
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(std::time::Duration::from_secs(1));
                }
                outcome => return outcome,
            }
        }
    }

    /// One attempt of [`TaskManager::run`], at `now`.
    fn run_at<T>(
        &self,
        kind: CommandKind,
        actor: &str,
        summary: &str,
        now: DateTime<Utc>,
        f: &mut impl FnMut(&mut Session<'_>) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let hooks = self.hooks.as_ref().filter(|_| kind == CommandKind::User);
        let mut known = Vec::new();
        let mut uuids = hook_pass::FreshUuids::default();
        for _ in 0..MOST_HOOK_ROUNDS {
            let mut session = self.begin(self.store.write()?, kind, actor, summary, now)?;
            if hooks.is_some() {
                session.hooks = hook_pass::HookPass::Answered {
                    known: std::mem::take(&mut known),
                    first_unasked: None,
                    unasked: Vec::new(),
                };
            }
            session.uuids = uuids.rewound();
            let out = f(&mut session)?;
            let mut notes = Vec::new();
            if !matches!(kind, CommandKind::Undo { .. }) && !self.rules.is_empty() {
                notes = session.run_rules(&self.rules, &self.time())?.notes;
            }
            let pass = std::mem::take(&mut session.hooks);
            let Some((hooks, unasked)) = hooks.zip(pass.unasked()) else {
                self.commit(session)?;
                if let Ok(mut kept) = self.notes.lock() {
                    kept.extend(notes);
                }
                return Ok(out);
            };
            // Thrown away: the hooks are asked with no transaction open.
            uuids = session.uuids.rewound();
            drop(session);
            known = hook_pass::ask(hooks.as_ref(), unasked);
        }
        Err(EngineError::NotAllowed(format!(
            "'{summary}' was not saved: the tasks kept changing while hooks were asked about them (another process, or hooks whose answers change each other); try again"
        )))
    }

    /// Commits a session's changes, if it made any, and tells the observers.
    fn commit(&self, mut session: Session<'_>) -> Result<(), EngineError> {
        if session.tx.is_dirty() {
            let changes = std::mem::take(&mut session.changes);
            let reranked = self.rerank(session.command, &*session.tx, &changes)?;
            session.tx.commit()?;
            if let Some(kept) = reranked {
                self.keep_ranks(kept);
            }
            for observer in &self.observers {
                observer.committed(&changes);
            }
        }
        Ok(())
    }

    /// Starts a command in `tx`, at `now`.
    fn begin<'a>(
        &self,
        mut tx: Box<dyn StoreWrite + 'a>,
        kind: CommandKind,
        actor: &str,
        summary: &str,
        now: DateTime<Utc>,
    ) -> Result<Session<'a>, EngineError> {
        let command = tx.begin_command(CommandStart {
            at: now,
            actor: actor.to_string(),
            summary: summary.to_string(),
            kind,
        })?;
        Ok(self.session_on(tx, command, kind, now))
    }

    /// A session on `tx` whose changes belong to `command` (already begun).
    fn session_on<'a>(
        &self,
        tx: Box<dyn StoreWrite + 'a>,
        command: CommandId,
        kind: CommandKind,
        now: DateTime<Utc>,
    ) -> Session<'a> {
        Session {
            tx,
            now,
            command,
            kind,
            changes: Vec::new(),
            tz: self.tz,
            schedule: self.schedule,
            force: false,
            types: self.types.clone(),
            hooks: hook_pass::HookPass::Off,
            hooked: 0,
            uuids: hook_pass::FreshUuids::default(),
            made_as: None,
        }
    }

    /// Applies `change` to each task, as one command (all or nothing, undone as one).
    pub fn change_each(
        &self,
        summary: &str,
        ids: &[TaskId],
        change: impl Fn(&mut Session<'_>, TaskId) -> Result<Task, EngineError>,
    ) -> Result<Applied, EngineError> {
        self.transaction(summary, |session| {
            let tasks = ids
                .iter()
                .map(|id| change(session, *id))
                .collect::<Result<_, _>>()?;
            Ok(Applied {
                tasks,
                spawned: session.spawned(),
                unblocked: session.unblocked()?,
            })
        })
    }

    /// Adds a task with a title and, optionally, a category (`Work.Backend`).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// let task = tm.add_task("Pay rent", Some("Finance.Home")).unwrap();
    /// assert_eq!(task.category.unwrap().as_str(), "Finance.Home");
    /// assert!(tm.add_task("", None).is_err());
    /// ```
    pub fn add_task(&self, title: &str, category: Option<&str>) -> Result<Task, EngineError> {
        let category = category
            .map(Category::parse)
            .transpose()
            .map_err(|e| EngineError::Invalid(format!("category {e}")))?;
        self.create(NewTask {
            title: title.to_string(),
            category,
            ..NewTask::default()
        })
    }

    /// Adds a task with every field it is given.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::{NewTask, Priority, RecurrenceRule};
    /// let task = tm.create(NewTask {
    ///     title: "Water plants".into(),
    ///     priority: Some(Priority::Low),
    ///     recurrence: Some(RecurrenceRule::parse("2d").unwrap()),
    ///     ..NewTask::default()
    /// }).unwrap();
    /// assert!(task.is_template());
    /// ```
    pub fn create(&self, new: NewTask) -> Result<Task, EngineError> {
        let summary = format!("add '{}'", new.title);
        self.transaction(&summary, |s| s.create(new.clone()))
    }

    /// Changes a task's fields.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::{Priority, TaskChanges};
    /// let task = tm.add_task("Draft", None).unwrap();
    /// let changes = TaskChanges { title: Some("Final".into()), priority: Some(Some(Priority::High)), ..TaskChanges::default() };
    /// assert_eq!(tm.update(task.id, &changes).unwrap().title, "Final");
    /// ```
    pub fn update(&self, id: TaskId, changes: &TaskChanges) -> Result<Task, EngineError> {
        self.transaction(&format!("modify {id}"), |s| s.update(id, changes))
    }

    /// Deletes a task (undoable).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::Status;
    /// let task = tm.add_task("Mistake", None).unwrap();
    /// assert_eq!(tm.delete(task.id).unwrap().status, Status::Deleted);
    /// ```
    pub fn delete(&self, id: TaskId) -> Result<Task, EngineError> {
        self.transaction(&format!("delete {id}"), |s| s.delete(id))
    }

    /// Makes `task` depend on `depends_on` (finish-to-start).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// let paper = tm.add_task("Write paper", None).unwrap();
    /// let data = tm.add_task("Collect data", None).unwrap();
    /// tm.assign_dependency(paper.id, data.id).unwrap();
    /// assert!(tm.view(paper.id).unwrap().blocked);
    /// // The other way round would close a cycle:
    /// assert!(tm.assign_dependency(data.id, paper.id).is_err());
    /// ```
    pub fn assign_dependency(&self, task: TaskId, depends_on: TaskId) -> Result<Task, EngineError> {
        self.transaction(&format!("dep add {task} {depends_on}"), |s| {
            s.add_dependency(task, depends_on, DepKind::FinishToStart)
        })
    }

    /// Marks a task completed.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::Status;
    /// let task = tm.add_task("Ship it", None).unwrap();
    /// assert_eq!(tm.mark_completed(task.id).unwrap().status, Status::Completed);
    /// assert!(tm.mark_completed(task.id).is_err(), "already completed");
    /// ```
    pub fn mark_completed(&self, id: TaskId) -> Result<Task, EngineError> {
        self.transaction(&format!("done {id}"), |s| s.complete(id))
    }

    /// Reverts the last command of this manager's person (`alice` of `alice via cli`) that has
    /// not been undone, as a unit: the fields it changed go back; another person's change, synced
    /// here, is left for them to undo.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// let task = tm.add_task("Oops", None).unwrap();
    /// tm.delete(task.id).unwrap();
    /// let report = tm.undo().unwrap();
    /// assert_eq!(report.command.summary, format!("delete {}", task.id));
    /// assert_eq!(tm.task(task.id).unwrap().title, "Oops");
    /// ```
    pub fn undo(&self) -> Result<UndoReport, EngineError> {
        undo::undo_last(self, None)
    }

    /// Reverts the newest command `actor` made that has not been undone (another's newer
    /// commands are left as they are), journaled as made by `actor`: a server's caller undoes
    /// its own last change. Refused, naming the task, if a later command changed it since.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::NewTask;
    /// let filed = NewTask { title: "Filed by the bot".into(), ..NewTask::default() };
    /// tm.transaction_by("bot via api", "add", |s| s.create(filed.clone())).unwrap();
    /// tm.add_task("Mine", None).unwrap();
    /// let undone = tm.undo_as("bot via api").unwrap();
    /// assert_eq!(undone.command.actor, "bot via api");
    /// assert_eq!(tm.get_tasks(&Default::default()).unwrap().len(), 1);
    /// ```
    pub fn undo_as(&self, actor: &str) -> Result<UndoReport, EngineError> {
        undo::undo_last(self, Some(actor))
    }

    /// The journal of one task, oldest first.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::Op;
    /// let task = tm.add_task("Tracked", None).unwrap();
    /// tm.mark_completed(task.id).unwrap();
    /// let ops: Vec<Op> = tm.history(task.id).unwrap().iter().map(|e| e.op).collect();
    /// assert_eq!(ops, [Op::Add, Op::Complete]);
    /// ```
    pub fn history(&self, id: TaskId) -> Result<Vec<JournalEntry>, EngineError> {
        let entries = self.store.read()?.history(id)?;
        if entries.is_empty() {
            return Err(EngineError::NotFound(id));
        }
        Ok(entries)
    }

    /// Commands, newest first, up to `limit`.
    pub fn recent_commands(&self, limit: usize) -> Result<Vec<Command>, EngineError> {
        let mut out = Vec::new();
        self.store.read()?.visit_commands_newest_first(&mut |c| {
            out.push(c);
            out.len() < limit
        })?;
        Ok(out)
    }

    /// The commands after command `after`, oldest first and at most `most` of them, each with
    /// its journal entries, from one snapshot: what a live stream of changes sends, resuming
    /// where a client left off. (Commands are numbered without gaps, in commit order.)
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// let before = tm.change_stamp().unwrap();
    /// tm.add_task("Pay rent", None).unwrap();
    /// let since = tm.commands_after(before - 1, 10).unwrap();
    /// assert_eq!(since.len(), 1);
    /// assert_eq!(since[0].1[0].after.as_ref().map(|t| t.title.as_str()), Some("Pay rent"));
    /// ```
    pub fn commands_after(
        &self,
        after: u64,
        most: usize,
    ) -> Result<Vec<(Command, Vec<JournalEntry>)>, EngineError> {
        let read = self.store.read()?;
        let next = read.change_stamp()?;
        let mut out = Vec::new();
        for id in (after + 1..next).take(most) {
            if let Some(command) = read.command(CommandId(id))? {
                let entries = read.entries_of(command.id)?;
                out.push((command, entries));
            }
        }
        Ok(out)
    }

    /// One command by id.
    pub fn command(&self, id: CommandId) -> Result<Option<Command>, EngineError> {
        Ok(self.store.read()?.command(id)?)
    }

    /// Writes a consistent copy of the whole database to `to` (other writers wait meanwhile);
    /// returns its size in bytes.
    pub fn backup_to(&self, to: &Path) -> Result<u64, EngineError> {
        Ok(self.store.backup(to)?)
    }

    /// Checks the tasks, indexes and journal as they are now (see [`Store::check_records`]).
    pub fn check_records(&self) -> Result<crate::store::CheckReport, EngineError> {
        Ok(self.store.check_records()?)
    }

    /// How many reads are worth running at once on this store (a server bounds its reads by
    /// it).
    pub fn parallel_reads(&self) -> usize {
        self.store.parallel_reads()
    }

    /// A number that changes whenever any process commits a change; poll it to notice changes.
    pub fn change_stamp(&self) -> Result<u64, EngineError> {
        Ok(self.store.read()?.change_stamp()?)
    }

    /// Waits at most `timeout` for a commit by any process to move the change stamp away
    /// from `seen`; returns the stamp as it then is.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use std::time::Duration;
    /// let seen = tm.change_stamp().unwrap();
    /// assert_eq!(tm.wait_for_change(seen, Duration::from_millis(10)).unwrap(), seen);
    /// tm.add_task("Something new", None).unwrap();
    /// assert_ne!(tm.wait_for_change(seen, Duration::from_secs(5)).unwrap(), seen);
    /// ```
    pub fn wait_for_change(
        &self,
        seen: u64,
        timeout: std::time::Duration,
    ) -> Result<u64, EngineError> {
        Ok(self.store.wait_for_change(seen, timeout)?)
    }
}

#[cfg(test)]
mod tests;
