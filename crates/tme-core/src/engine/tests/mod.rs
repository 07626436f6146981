use super::*;
use crate::domain::{
    Dependency, Duration, Filter, Op, Priority, Status, StatusFilter, Tag, TaskChanges, When,
    capture,
};
use chrono::{NaiveDate, TimeZone};

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Fixture {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    tm: TaskManager,
}

/// An engine on a temporary file, at Thursday 2026-11-26 09:00 in Berlin.
fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let start = Utc
        .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .ok_or("date")?;
    let clock = Arc::new(FixedClock::new(start));
    let tm = TaskManager::builder(RedbStore::open(dir.path().join("t.redb"))?)
        .clock(clock.clone())
        .time_zone(chrono_tz::Europe::Berlin)
        .actor("tester")
        .build();
    Ok(Fixture {
        _dir: dir,
        clock,
        tm,
    })
}

fn add(tm: &TaskManager, text: &str) -> Result<Task, Box<dyn std::error::Error>> {
    let new = capture::parse_new_task(&capture::lex(text), &tm.time())?;
    Ok(tm.create(new)?)
}

fn filter(tm: &TaskManager, text: &str) -> Result<Filter, Box<dyn std::error::Error>> {
    Ok(capture::parse_filter(&capture::lex(text), &tm.time())?)
}

fn titles(tasks: &[Task]) -> Vec<&str> {
    tasks.iter().map(|t| t.title.as_str()).collect()
}

#[test]
fn create_and_read_back() -> TestResult {
    let f = fixture()?;
    let task = add(&f.tm, "Pay rent #Finance due:eom pri:H +bills est:30m")?;
    assert_eq!(task.id, TaskId(1));
    let stored = f.tm.task(task.id)?;
    assert_eq!(stored, task);
    assert_eq!(stored.created, f.tm.now());
    assert_eq!(
        stored.due,
        Some(When::Day(
            NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?
        ))
    );
    assert!(matches!(
        f.tm.task(TaskId(9)),
        Err(EngineError::NotFound(TaskId(9)))
    ));
    Ok(())
}

#[test]
fn get_tasks_by_every_kind_of_filter() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "Write report #Work.Docs +urgent due:tomorrow")?;
    add(&f.tm, "Fix build #Work.Backend due:+10d")?;
    add(&f.tm, "Buy milk #Shopping +errand")?;
    let done = add(&f.tm, "Old report #Work")?;
    f.tm.mark_completed(done.id)?;

    let by = |text: &str| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        Ok(f.tm
            .get_tasks(&filter(&f.tm, text)?)?
            .into_iter()
            .map(|t| t.title)
            .collect())
    };
    assert_eq!(by("#Work")?, ["Write report", "Fix build"]);
    assert_eq!(
        by("#Work status:all")?,
        ["Write report", "Fix build", "Old report"]
    );
    assert_eq!(by("status:completed")?, ["Old report"]);
    assert_eq!(by("+urgent")?, ["Write report"]);
    assert_eq!(by("-urgent #Work")?, ["Fix build"]);
    assert_eq!(by("report")?, ["Write report"]);
    assert_eq!(by("due.before:+3d")?, ["Write report"]);
    assert_eq!(by("due.after:+3d")?, ["Fix build"]);
    assert_eq!(by("due:")?, ["Buy milk"]);
    assert_eq!(
        titles(&f.tm.get_tasks_by_category("work")?),
        ["Write report", "Fix build", "Old report"]
    );
    assert!(matches!(
        f.tm.get_tasks_by_category("no..pe"),
        Err(EngineError::Invalid(_))
    ));
    Ok(())
}

#[test]
fn update_changes_fields() -> TestResult {
    let f = fixture()?;
    let task = add(&f.tm, "Draft +a +b pri:L due:fri")?;
    let changes = capture::parse_changes(
        &capture::lex("Final draft -a +c pri:H due: #Writing"),
        &f.tm.time(),
    )?;
    f.clock.advance(chrono::Duration::minutes(5));
    let updated = f.tm.update(task.id, &changes)?;
    assert_eq!(updated.title, "Final draft");
    assert_eq!(
        updated.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["b", "c"]
    );
    assert_eq!(updated.priority, Some(Priority::High));
    assert_eq!(updated.due, None);
    assert_eq!(
        updated.category.map(|c| c.to_string()),
        Some("Writing".into())
    );
    assert_eq!(updated.modified, f.tm.now());
    assert_eq!(updated.created, task.created);
    let blank = TaskChanges {
        title: Some("  ".into()),
        ..TaskChanges::default()
    };
    assert!(matches!(
        f.tm.update(task.id, &blank),
        Err(EngineError::MissingTitle(_))
    ));
    Ok(())
}

#[test]
fn lifecycle_and_time_tracking() -> TestResult {
    let f = fixture()?;
    let task = add(&f.tm, "Experiment")?;
    f.tm.transaction("start", |s| s.start(task.id))?;
    f.clock.advance(chrono::Duration::minutes(30));
    let stopped = f.tm.transaction("stop", |s| s.stop(task.id))?;
    assert_eq!(stopped.spent, Duration::from_secs(1800));
    assert_eq!(stopped.status, Status::Pending);
    f.tm.transaction("start", |s| s.start(task.id))?;
    f.clock.advance(chrono::Duration::minutes(10));
    let done = f.tm.mark_completed(task.id)?;
    assert_eq!(done.spent, Duration::from_secs(2400));
    assert_eq!(done.started, Some(stopped.started.ok_or("started")?));
    assert_eq!(done.completed, Some(f.tm.now()));
    assert!(matches!(
        f.tm.mark_completed(task.id),
        Err(EngineError::NotAllowed(_))
    ));
    assert!(matches!(
        f.tm.transaction("start", |s| s.start(task.id)),
        Err(EngineError::NotAllowed(_))
    ));
    let deleted = f.tm.delete(task.id)?;
    assert_eq!(deleted.status, Status::Deleted);
    assert!(matches!(
        f.tm.delete(task.id),
        Err(EngineError::NotAllowed(_))
    ));
    let logged = f.tm.transaction("log", |s| {
        s.log(NewTask {
            title: "Already done".into(),
            ..NewTask::default()
        })
    })?;
    assert_eq!(logged.status, Status::Completed);
    Ok(())
}

#[test]
fn annotations() -> TestResult {
    let f = fixture()?;
    let task = add(&f.tm, "Read paper")?;
    let noted =
        f.tm.transaction("annotate", |s| s.annotate(task.id, "  see section 3 "))?;
    assert_eq!(noted.annotations.len(), 1);
    assert_eq!(noted.annotations[0].text, "see section 3");
    assert!(matches!(
        f.tm.transaction("annotate", |s| s.annotate(task.id, " ")),
        Err(EngineError::Invalid(_))
    ));
    Ok(())
}

#[test]
fn cycles_are_refused_and_named() -> TestResult {
    let f = fixture()?;
    let a = add(&f.tm, "a")?;
    let b = add(&f.tm, "b")?;
    let c = add(&f.tm, "c")?;
    f.tm.assign_dependency(a.id, b.id)?;
    f.tm.assign_dependency(b.id, c.id)?;
    let err =
        f.tm.assign_dependency(c.id, a.id)
            .err()
            .ok_or("cycle accepted")?;
    assert_eq!(err.to_string(), "that would make a cycle: 3 → 1 → 2 → 3");
    assert!(matches!(
        f.tm.assign_dependency(a.id, a.id),
        Err(EngineError::NotAllowed(_))
    ));
    assert!(matches!(
        f.tm.assign_dependency(a.id, TaskId(99)),
        Err(EngineError::NotAllowed(_))
    ));
    // relates links may go both ways
    f.tm.transaction("rel", |s| s.add_dependency(c.id, a.id, DepKind::Relates))?;

    let child = add(&f.tm, "child parent:1")?;
    let grandchild = add(&f.tm, &format!("grandchild parent:{}", child.id))?;
    let loop_back = TaskChanges {
        parent: Some(Some(grandchild.id)),
        ..TaskChanges::default()
    };
    let err =
        f.tm.update(a.id, &loop_back)
            .err()
            .ok_or("parent loop accepted")?;
    assert_eq!(err.to_string(), "that would make a cycle: 1 → 5 → 4 → 1");
    Ok(())
}

#[test]
fn blocked_and_blocking_are_derived_both_ways() -> TestResult {
    let f = fixture()?;
    let blocker = add(&f.tm, "blocker")?;
    let waiting = add(&f.tm, "waiting dep:1")?;
    let related = add(&f.tm, "related dep:rel:1")?;
    let views = f.tm.query(&Filter::default())?;
    let find = |id: TaskId| {
        views
            .iter()
            .find(|v| v.task.id == id)
            .cloned()
            .ok_or("missing")
    };
    assert!(find(blocker.id)?.blocking && !find(blocker.id)?.blocked);
    assert!(find(waiting.id)?.blocked && !find(waiting.id)?.blocking);
    assert!(!find(related.id)?.blocked);
    assert_eq!(views[0].task.id, blocker.id, "blocking work comes first");

    let one = f.tm.view(waiting.id)?;
    assert!(one.blocked);
    assert!(f.tm.view(blocker.id)?.blocking);
    f.tm.mark_completed(blocker.id)?;
    assert!(!f.tm.view(waiting.id)?.blocked);
    assert!(!f.tm.query(&Filter::default())?.iter().any(|v| v.blocked));
    Ok(())
}

#[test]
fn undo_reverts_whole_commands_newest_first() -> TestResult {
    let f = fixture()?;
    let a = add(&f.tm, "a")?;
    let b = add(&f.tm, "b")?;
    f.tm.transaction("done 1 2", |s| {
        s.complete(a.id)?;
        s.complete(b.id)
    })?;
    assert_eq!(f.tm.get_tasks(&Filter::default())?.len(), 0);

    let report = f.tm.undo()?;
    assert_eq!(report.command.summary, "done 1 2");
    assert_eq!(report.tasks, [b.id, a.id]);
    assert_eq!(f.tm.task(a.id)?, a);
    assert_eq!(f.tm.task(b.id)?, b);

    let report = f.tm.undo()?;
    assert_eq!(report.command.summary, "add 'b'");
    assert!(matches!(f.tm.task(b.id), Err(EngineError::NotFound(_))));
    f.tm.undo()?;
    assert!(matches!(f.tm.undo(), Err(EngineError::NothingToUndo)));
    assert_eq!(f.tm.get_tasks(&Filter::all())?.len(), 0);

    // The journal keeps everything, undo included.
    let history = f.tm.history(a.id)?;
    let ops: Vec<Op> = history.iter().map(|e| e.op).collect();
    assert_eq!(ops, [Op::Add, Op::Complete, Op::Revert, Op::Revert]);
    let undo_command = f.tm.command(history[2].command)?.ok_or("command")?;
    assert_eq!(undo_command.summary, "undo done 1 2");
    assert_eq!(undo_command.actor, "tester");
    Ok(())
}

#[test]
fn undo_never_overwrites_a_later_change() -> TestResult {
    let f = fixture()?;
    let a = add(&f.tm, "a")?;
    // Work the engine does by itself (recurrence, automation) is not undone, but it may change a
    // task a user command touched: undoing that command must then refuse.
    let mut tx = f.tm.store().write()?;
    tx.begin_command(CommandStart {
        at: f.tm.now(),
        actor: "system".into(),
        summary: "automation".into(),
        kind: CommandKind::System,
    })?;
    let mut changed = a.clone();
    changed.title = "changed by automation".into();
    tx.put_task(Op::Modify, &changed, f.tm.now())?;
    tx.commit()?;
    let err = f.tm.undo().err().ok_or("undo overwrote a later change")?;
    assert!(matches!(err, EngineError::UndoConflict { task, .. } if task == a.id));
    assert_eq!(f.tm.task(a.id)?.title, "changed by automation");
    Ok(())
}

#[test]
fn a_failed_command_writes_nothing() -> TestResult {
    let f = fixture()?;
    let a = add(&f.tm, "a")?;
    let result = f.tm.transaction("done 1 99", |s| {
        s.complete(a.id)?;
        s.complete(TaskId(99))
    });
    assert!(matches!(result, Err(EngineError::NotFound(TaskId(99)))));
    assert_eq!(f.tm.task(a.id)?.status, Status::Pending);
    assert_eq!(f.tm.recent_commands(10)?.len(), 1);
    Ok(())
}

#[test]
fn waiting_tasks_are_hidden_until_their_date() -> TestResult {
    let f = fixture()?;
    let later = add(&f.tm, "later wait:+2d")?;
    assert!(f.tm.get_tasks(&Filter::default())?.is_empty());
    let waiting = Filter {
        status: StatusFilter::Only(vec![Status::Waiting]),
        ..Filter::default()
    };
    assert_eq!(f.tm.get_tasks(&waiting)?.len(), 1);
    assert_eq!(f.tm.view(later.id)?.status, Status::Waiting);
    f.clock.advance(chrono::Duration::days(3));
    assert_eq!(f.tm.get_tasks(&Filter::default())?.len(), 1);
    Ok(())
}

#[test]
fn urgency_orders_the_next_list() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "someday")?;
    add(&f.tm, "important pri:H")?;
    add(&f.tm, "overdue due:-3d")?;
    add(&f.tm, "next +next")?;
    let order: Vec<String> =
        f.tm.query(&Filter::default())?
            .into_iter()
            .map(|v| v.task.title.clone())
            .collect();
    assert_eq!(order, ["next", "overdue", "important", "someday"]);
    Ok(())
}

#[test]
fn summary_counts() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "overdue due:yesterday")?;
    add(&f.tm, "today due:today")?;
    add(&f.tm, "later due:+5d dep:1")?;
    add(&f.tm, "hidden wait:+1d")?;
    let started = add(&f.tm, "started")?;
    f.tm.transaction("start", |s| s.start(started.id))?;
    let done = add(&f.tm, "done")?;
    f.tm.mark_completed(done.id)?;
    let s = f.tm.summary()?;
    assert_eq!(
        s,
        Summary {
            pending: 3,
            started: 1,
            waiting: 1,
            recurring: 0,
            overdue: 1,
            due_today: 1,
            blocked: 1,
            completed_today: 1,
            completed_this_week: 1,
            closed: 1,
        }
    );
    f.clock.advance(chrono::Duration::days(1));
    assert_eq!(f.tm.summary()?.completed_today, 0);
    assert_eq!(f.tm.summary()?.completed_this_week, 1);
    Ok(())
}

#[test]
fn tags_and_dependencies_are_kept_tidy() -> TestResult {
    let f = fixture()?;
    let a = add(&f.tm, "a +Home +home")?;
    assert_eq!(a.tags.len(), 1);
    let b = add(&f.tm, "b dep:1 dep:ss:1")?;
    assert_eq!(
        b.depends,
        [Dependency {
            on: a.id,
            kind: DepKind::FinishToStart
        }]
    );
    let changes = TaskChanges {
        add_depends: vec![Dependency {
            on: a.id,
            kind: DepKind::FinishToFinish,
        }],
        remove_tags: vec![Tag::parse("x").map_err(|e| e.to_string())?],
        ..TaskChanges::default()
    };
    let b = f.tm.update(b.id, &changes)?;
    assert_eq!(
        b.depends,
        [Dependency {
            on: a.id,
            kind: DepKind::FinishToFinish
        }]
    );
    Ok(())
}

#[test]
fn sort_orders() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "beta #Work pri:L due:+3d")?;
    f.clock.advance(chrono::Duration::minutes(1));
    add(&f.tm, "Alpha pri:H")?;
    f.clock.advance(chrono::Duration::minutes(1));
    add(&f.tm, "gamma #Home due:tomorrow +next")?;
    let views = f.tm.query(&Filter::default())?;
    let order = |key: SortKey| -> Vec<u64> {
        let mut v = views.clone();
        v.sort_by(|a, b| key.compare(a, b));
        v.iter().map(|v| v.task.id.0).collect()
    };
    assert_eq!(
        order(SortKey::Urgency),
        [3, 1, 2],
        "next tag, then due soon with a category, then priority alone"
    );
    assert_eq!(order(SortKey::Due), [3, 1, 2], "no due date last");
    assert_eq!(order(SortKey::Priority), [2, 1, 3], "H, L, none");
    assert_eq!(order(SortKey::Id), [1, 2, 3]);
    assert_eq!(order(SortKey::Title), [2, 1, 3], "ignoring case");
    assert_eq!(order(SortKey::Category), [3, 1, 2], "Home, Work, none");
    assert_eq!(order(SortKey::Created), [3, 2, 1], "newest first");
    Ok(())
}

mod sort_values {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn urgency_order_matches_the_numbers(a in -1e6f64..1e6, b in -1e6f64..1e6) {
            let view = |u: f64| TaskView {
                task: Arc::new(Task::new(TaskId(1), uuid::Uuid::nil(), "x", Utc::now())),
                status: Status::Pending,
                urgency: u,
                blocked: false,
                blocking: false,
                progress: None,
            };
            prop_assert_eq!(SortKey::Urgency.compare(&view(a), &view(b)), b.total_cmp(&a));
        }
    }
}

mod dependencies;
mod model;
mod recurrence;
mod transfer;

/// Keeps what it is told: the operations of each committed command.
#[derive(Default)]
struct Listener(std::sync::Mutex<Vec<Vec<Op>>>);

impl ChangeObserver for Listener {
    fn committed(&self, changes: &[Change]) {
        if let Ok(mut heard) = self.0.lock() {
            heard.push(changes.iter().map(|c| c.op).collect());
        }
    }
}

#[test]
fn every_observer_hears_every_committed_command_undo_included() -> TestResult {
    let mut f = fixture()?;
    let (one, two) = (Arc::new(Listener::default()), Arc::new(Listener::default()));
    f.tm.add_observer(one.clone());
    f.tm.add_observer(two.clone());
    let task = add(&f.tm, "Write report")?;
    assert!(
        f.tm.mark_completed(TaskId(99)).is_err(),
        "a refused command is not heard"
    );
    f.tm.mark_completed(task.id)?;
    f.tm.undo()?;
    let expected = vec![vec![Op::Add], vec![Op::Complete], vec![Op::Revert]];
    for listener in [one, two] {
        assert_eq!(*listener.0.lock().map_err(|_| "lock")?, expected);
    }
    Ok(())
}

/// A hook that marks each task it sees, and the first time it is asked lets "another process"
/// add a task (so the command's task gets another id than the one the hook was shown).
struct Meddling {
    path: std::path::PathBuf,
    seen: std::sync::Mutex<Vec<TaskId>>,
}

impl ChangeHooks for Meddling {
    fn on_add(&self, task: &Task) -> Result<Task, String> {
        let first = self
            .seen
            .lock()
            .map(|mut seen| {
                seen.push(task.id);
                seen.len() == 1
            })
            .unwrap_or(false);
        if first {
            let other = TaskManager::open(&self.path).map_err(|e| e.to_string())?;
            other
                .add_task("Added elsewhere", None)
                .map_err(|e| e.to_string())?;
        }
        Ok(Task {
            title: format!("{} (checked)", task.title),
            ..task.clone()
        })
    }

    fn on_modify(&self, _: &Task, after: &Task) -> Result<Task, String> {
        Ok(after.clone())
    }
}

#[test]
fn hooks_are_asked_outside_the_write_and_again_when_others_wrote_meanwhile() -> TestResult {
    let mut f = fixture()?;
    let hooks = Arc::new(Meddling {
        path: f._dir.path().join("t.redb"),
        seen: std::sync::Mutex::default(),
    });
    f.tm.set_hooks(hooks.clone());
    // The hook writes through another handle while it is asked: with the command's write
    // transaction open, that would wait for ever.
    let task = add(&f.tm, "Write report")?;
    assert_eq!(task.title, "Write report (checked)");
    assert_eq!(task.id, TaskId(2), "task 1 was taken meanwhile");
    assert_eq!(
        *hooks.seen.lock().map_err(|_| "lock")?,
        [TaskId(1), TaskId(2)],
        "asked again about what it had not been shown"
    );
    let titles: Vec<String> =
        f.tm.get_tasks(&Filter::default())?
            .into_iter()
            .map(|t| t.title)
            .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(f.tm.check_records()?.problems.is_empty());
    Ok(())
}

/// Ranked pages are kept between changes and worked out again after one, made by this engine
/// or by another on the same file.
#[test]
fn ranked_pages_follow_every_change() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "First")?;
    let other = TaskManager::builder(RedbStore::open(f._dir.path().join("t.redb"))?)
        .clock(f.clock.clone())
        .build();
    let page = |tm: &TaskManager| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let views = tm
            .query_page(&Filter::default(), SortKey::Urgency, false, Some(10))?
            .views;
        Ok(views.iter().map(|v| v.task.title.clone()).collect())
    };
    assert_eq!(page(&f.tm)?, ["First"]);
    assert_eq!(page(&f.tm)?, ["First"]);
    add(&other, "Second pri:H")?;
    assert_eq!(page(&f.tm)?, ["Second", "First"]);
    f.tm.mark_completed(TaskId(2))?;
    assert_eq!(page(&f.tm)?, ["First"]);
    assert_eq!(page(&other)?, ["First"]);
    // Undo writes tasks back as they were, and takes an added one away again.
    f.tm.undo()?;
    assert_eq!(page(&f.tm)?, ["Second", "First"]);
    add(&f.tm, "Third +next")?;
    assert_eq!(page(&f.tm)?, ["Third", "Second", "First"]);
    f.tm.undo()?;
    assert_eq!(page(&f.tm)?, ["Second", "First"]);
    // What a page shows of each task is worked out again too: task 1 now waits on task 2.
    f.tm.assign_dependency(TaskId(1), TaskId(2))?;
    let views =
        f.tm.query_page(&Filter::default(), SortKey::Id, false, Some(10))?
            .views;
    assert_eq!(
        views
            .iter()
            .map(|v| (v.task.id.0, v.blocked, v.blocking))
            .collect::<Vec<_>>(),
        [(1, true, false), (2, false, true)]
    );
    assert_eq!(page(&other)?, page(&f.tm)?);
    Ok(())
}
