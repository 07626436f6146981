//! One suite for every backend: the same scenarios run on a redb file and on PostgreSQL.
//!
//! PostgreSQL needs a server: `TME_TEST_POSTGRES_URL` names one (`.ci/run` starts one and sets
//! it), and each scenario gets a database of its own, created and dropped. Without the
//! variable the PostgreSQL scenarios are reported as ignored, with a line saying why, and the
//! redb ones still run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{TimeZone, Utc};
use libtest_mimic::{Arguments, Failed, Trial};
use tme_core::TaskManager;
use tme_core::domain::capture::{lex, parse_filter, parse_new_task};
use tme_core::domain::{Status, TaskId};
use tme_core::engine::{FixedClock, SortKey};
use tme_core::store::{PG_SCHEMA_VERSION, PgStore, RedbStore, Store};

#[path = "support/scratch.rs"]
mod scratch;

use scratch::Scratch;

type Outcome = Result<(), Failed>;

/// A scenario: what it is called, how many handles on one database it needs, and its steps.
type Scenario = (&'static str, usize, fn(Vec<TaskManager>) -> Outcome);

/// A PostgreSQL test of its own: its name and what it does with the server's admin URL.
type ServerTest = (&'static str, fn(&str) -> Outcome);

/// Where a scenario keeps its tasks.
#[derive(Clone, Copy)]
enum Backend {
    Redb,
    Postgres,
}

/// Opens a fresh store of `backend` (as many handles as asked, all on the same data) and runs
/// `scenario` on them.
fn on(backend: Backend, handles: usize, scenario: fn(Vec<TaskManager>) -> Outcome) -> Outcome {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .ok_or("no time")?;
    let clock = Arc::new(FixedClock::new(now));
    let build = |store: Box<dyn FnOnce() -> Result<Box<dyn StoreBox>, Failed>>| -> Result<TaskManager, Failed> {
        let store = store()?;
        Ok(store.into_manager(clock.clone()))
    };
    match backend {
        Backend::Redb => {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let path = dir.path().join("tasks.redb");
            let mut managers = Vec::new();
            for _ in 0..handles {
                let path = path.clone();
                managers.push(build(Box::new(move || {
                    Ok(Box::new(RedbStore::open(&path).map_err(|e| e.to_string())?)
                        as Box<dyn StoreBox>)
                }))?);
            }
            scenario(managers)
        }
        Backend::Postgres => {
            let admin = std::env::var("TME_TEST_POSTGRES_URL").map_err(|_| "no server")?;
            let scratch = Scratch::new(&admin)?;
            let mut managers = Vec::new();
            for _ in 0..handles {
                let url = scratch.url.clone();
                managers.push(build(Box::new(move || {
                    Ok(Box::new(PgStore::open(&url).map_err(|e| e.to_string())?)
                        as Box<dyn StoreBox>)
                }))?);
            }
            let outcome = scenario(managers);
            drop(scratch);
            outcome
        }
    }
}

/// A store of either kind, made into an engine.
trait StoreBox {
    fn into_manager(self: Box<Self>, clock: Arc<FixedClock>) -> TaskManager;
}

/// An engine on a store, for scenarios that hold the store themselves.
trait IntoManager {
    fn into_manager_boxed(self) -> TaskManager;
}

impl<S: Store + 'static> IntoManager for S {
    fn into_manager_boxed(self) -> TaskManager {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
            .single()
            .unwrap_or_default();
        Box::new(self).into_manager(Arc::new(FixedClock::new(now)))
    }
}

impl<S: Store + 'static> StoreBox for S {
    fn into_manager(self: Box<Self>, clock: Arc<FixedClock>) -> TaskManager {
        TaskManager::builder(*self)
            .clock(clock)
            .time_zone(chrono_tz::Europe::Berlin)
            .actor("tester")
            .build()
    }
}

fn add(tm: &TaskManager, line: &str) -> Result<TaskId, Failed> {
    let new = parse_new_task(&lex(line), &tm.time()).map_err(|e| e.to_string())?;
    Ok(tm.create(new).map_err(|e| e.to_string())?.id)
}

fn check(condition: bool, what: &str) -> Outcome {
    if condition { Ok(()) } else { Err(what.into()) }
}

fn tasks_undo_and_history(tms: Vec<TaskManager>) -> Outcome {
    let tm = &tms[0];
    let rent = add(tm, "Pay rent #Finance due:2026-11-30 pri:H +bills")?;
    let bank = add(tm, "Call the bank #Finance.Bank +phone")?;
    let milk = add(tm, "Buy milk #Home")?;
    check(
        (rent, bank, milk) == (TaskId(1), TaskId(2), TaskId(3)),
        "ids are 1, 2, 3",
    )?;
    let finance = parse_filter(&lex("#Finance"), &tm.time()).map_err(|e| e.to_string())?;
    let found: Vec<TaskId> = tm
        .query(&finance)
        .map_err(|e| e.to_string())?
        .iter()
        .map(|v| v.task.id)
        .collect();
    check(
        found.len() == 2 && found.contains(&bank),
        "#Finance holds its subcategory",
    )?;
    let tagged = parse_filter(&lex("+phone"), &tm.time()).map_err(|e| e.to_string())?;
    check(
        tm.query(&tagged).map_err(|e| e.to_string())?.len() == 1,
        "+phone finds one",
    )?;
    tm.transaction("done", |s| s.complete(milk))
        .map_err(|e| e.to_string())?;
    check(
        tm.task(milk).map_err(|e| e.to_string())?.status == Status::Completed,
        "milk is done",
    )?;
    tm.undo().map_err(|e| e.to_string())?;
    check(
        tm.task(milk).map_err(|e| e.to_string())?.status == Status::Pending,
        "undo reopens it",
    )?;
    let history = tm.history(milk).map_err(|e| e.to_string())?;
    check(history.len() == 3, "added, completed, reopened")?;
    let report = tm.check_records().map_err(|e| e.to_string())?;
    check(
        report.problems.is_empty(),
        &format!("check: {:?}", report.problems),
    )
}

fn dependencies_and_subtasks(tms: Vec<TaskManager>) -> Outcome {
    let tm = &tms[0];
    let release = add(tm, "Release 1.0")?;
    let fix = add(tm, "Fix crash parent:1")?;
    let repro = add(tm, "Reproduce crash")?;
    tm.transaction("dep", |s| {
        s.add_dependency(fix, repro, tme_core::domain::DepKind::FinishToStart)
    })
    .map_err(|e| e.to_string())?;
    let views = tm.snapshot().map_err(|e| e.to_string())?.views;
    let view = |id| views.iter().find(|v| v.task.id == id);
    check(
        view(fix).is_some_and(|v| v.blocked),
        "the fix waits on the reproduction",
    )?;
    check(
        view(repro).is_some_and(|v| v.blocking),
        "the reproduction holds it back",
    )?;
    check(
        view(release).and_then(|v| v.progress).is_some(),
        "the release shows its subtasks",
    )?;
    tm.transaction("done", |s| s.complete(repro))
        .map_err(|e| e.to_string())?;
    let views = tm.snapshot().map_err(|e| e.to_string())?.views;
    check(
        views.iter().any(|v| v.task.id == fix && !v.blocked),
        "done, it holds nothing back",
    )
}

fn recurrence_spawns_each_occurrence_once(tms: Vec<TaskManager>) -> Outcome {
    let template = add(&tms[0], "Water plants due:2026-11-26 every:daily")?;
    // Every handle catches up, as every process would: one instance per occurrence.
    for tm in &tms {
        tm.catch_up().map_err(|e| e.to_string())?;
    }
    let tm = &tms[0];
    let instances: Vec<_> = tm
        .snapshot()
        .map_err(|e| e.to_string())?
        .views
        .into_iter()
        .filter(|v| v.task.title == "Water plants" && v.task.id != template)
        .collect();
    check(
        instances.len() == 1,
        &format!("one instance, not {}", instances.len()),
    )?;
    let upcoming = tm
        .upcoming(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27).ok_or("date")?,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?,
        )
        .map_err(|e| e.to_string())?;
    check(
        upcoming.len() == 4,
        &format!("four to come, not {}", upcoming.len()),
    )
}

fn writers_never_share_an_id(tms: Vec<TaskManager>) -> Outcome {
    std::thread::scope(|scope| {
        for (n, tm) in tms.iter().enumerate() {
            scope.spawn(move || {
                for i in 0..15 {
                    let _ = add(tm, &format!("Task {i} from writer {n}"));
                }
            });
        }
    });
    let tm = &tms[0];
    let views = tm.snapshot().map_err(|e| e.to_string())?.views;
    let mut ids: Vec<u64> = views.iter().map(|v| v.task.id.0).collect();
    ids.sort_unstable();
    ids.dedup();
    check(
        views.len() == 15 * tms.len(),
        &format!("{} tasks, not {}", 15 * tms.len(), views.len()),
    )?;
    check(ids.len() == views.len(), "every id once")?;
    check(
        ids.first() == Some(&1) && ids.last() == Some(&(views.len() as u64)),
        "no gaps",
    )
}

/// API tokens are kept in the database: one handle makes them, another (another process, or
/// another server on the same database) knows them by their secret, a revoked one is gone for
/// both, a name is used once, and the check reads them.
fn tokens_are_shared_and_revoked(tms: Vec<TaskManager>) -> Outcome {
    use tme_core::domain::Role;
    let (maker, server) = (&tms[0], &tms[1]);
    let (bot, bot_secret) = maker
        .create_token("ci-bot", Role::Write, None, None)
        .map_err(|e| e.to_string())?;
    let limited = tme_core::domain::Category::parse("Work").ok();
    let (_, reader_secret) = maker
        .create_token("viewer", Role::Read, limited, None)
        .map_err(|e| e.to_string())?;
    check(
        maker
            .create_token("ci-bot", Role::Read, None, None)
            .is_err(),
        "a name was used twice",
    )?;
    let found = server.token_for(&bot_secret).map_err(|e| e.to_string())?;
    check(found.as_ref() == Some(&bot), &format!("found {found:?}"))?;
    let viewer = server
        .token_for(&reader_secret)
        .map_err(|e| e.to_string())?
        .ok_or("the viewer's secret is unknown")?;
    check(
        viewer.role == Role::Read && viewer.category.as_ref().map(|c| c.as_str()) == Some("Work"),
        &format!("{viewer:?}"),
    )?;
    check(
        server
            .token_for("tme_not-a-secret")
            .map_err(|e| e.to_string())?
            .is_none(),
        "a made-up secret was taken",
    )?;
    maker.revoke_token("ci-bot").map_err(|e| e.to_string())?;
    check(
        server
            .token_for(&bot_secret)
            .map_err(|e| e.to_string())?
            .is_none(),
        "a revoked token still works",
    )?;
    check(maker.revoke_token("ci-bot").is_err(), "revoked twice")?;
    let names: Vec<String> = server
        .tokens()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|t| t.name)
        .collect();
    check(names == ["viewer"], &format!("{names:?}"))?;
    let report = server.check_records().map_err(|e| e.to_string())?;
    check(
        report.problems.is_empty(),
        &format!("{:?}", report.problems),
    )
}

/// A process waiting for a change hears of another's commit at once, not at its timeout.
fn a_waiter_hears_of_another_commit(tms: Vec<TaskManager>) -> Outcome {
    let (watcher, writer) = (&tms[0], &tms[1]);
    let seen = watcher.change_stamp().map_err(|e| e.to_string())?;
    let quiet = watcher
        .wait_for_change(seen, std::time::Duration::from_millis(50))
        .map_err(|e| e.to_string())?;
    check(quiet == seen, "nothing changed, nothing heard")?;
    let start = std::time::Instant::now();
    let heard = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            add(writer, "Heard about")
        });
        watcher.wait_for_change(seen, std::time::Duration::from_secs(20))
    })
    .map_err(|e| e.to_string())?;
    check(heard != seen, "the commit moved the stamp")?;
    check(
        start.elapsed() < std::time::Duration::from_secs(5),
        &format!("heard after {:?}", start.elapsed()),
    )
}

/// The commands of the random model run: adds of every kind of series, completions,
/// deletions, dependencies, undo and time passing.
#[derive(Debug, Clone)]
enum Step {
    Add(usize),
    Done(usize),
    Delete(usize),
    Depend(usize, usize),
    Undo,
    Pass(u16),
}

const ADDS: [&str; 8] = [
    "Plain task +home",
    "Dated task due:2026-11-28 #Work.Backend",
    "Daily every:daily",
    "After completion every:+3d",
    "Weekdays every:weekday due:09:00",
    "Ending every:monthly until:+40d",
    "Urgent +next pri:H due:2026-11-27 scheduled:2026-11-26",
    "Later pri:L wait:2026-11-29",
];

fn steps() -> impl proptest::strategy::Strategy<Value = Vec<Step>> {
    use proptest::prelude::*;
    let step = prop_oneof![
        3 => (0..ADDS.len()).prop_map(Step::Add),
        2 => (0usize..30).prop_map(Step::Done),
        1 => (0usize..30).prop_map(Step::Delete),
        1 => (0usize..30, 0usize..30).prop_map(|(a, b)| Step::Depend(a, b)),
        1 => Just(Step::Undo),
        1 => (1u16..24 * 5).prop_map(Step::Pass),
    ];
    prop::collection::vec(step, 1..25)
}

/// Runs one step on one engine; refusals (a cycle, nothing to undo) are part of the model.
fn apply(tm: &TaskManager, clock: &FixedClock, step: &Step) {
    let pick = |n: usize| -> Option<TaskId> {
        let ids: Vec<TaskId> = tm
            .get_tasks(&tme_core::domain::Filter::all())
            .ok()?
            .iter()
            .map(|t| t.id)
            .collect();
        (!ids.is_empty()).then(|| ids[n % ids.len()])
    };
    let _ = match step {
        Step::Add(kind) => add(tm, ADDS[*kind]).map(drop).map_err(|e| format!("{e:?}")),
        Step::Done(n) => pick(*n).map_or(Ok(()), |id| {
            tm.transaction("done", |s| s.complete(id))
                .map(drop)
                .map_err(|e| e.to_string())
        }),
        Step::Delete(n) => pick(*n).map_or(Ok(()), |id| {
            tm.delete(id).map(drop).map_err(|e| e.to_string())
        }),
        Step::Depend(a, b) => match (pick(*a), pick(*b)) {
            (Some(task), Some(on)) => tm
                .transaction("dep", |s| {
                    s.add_dependency(task, on, tme_core::domain::DepKind::FinishToStart)
                })
                .map(drop)
                .map_err(|e| e.to_string()),
            _ => Ok(()),
        },
        Step::Undo => tm.undo().map(drop).map_err(|e| e.to_string()),
        Step::Pass(hours) => {
            clock.advance(chrono::Duration::hours(i64::from(*hours)));
            tm.catch_up().map(drop).map_err(|e| e.to_string())
        }
    };
}

/// What the model compares: every task with its fields, UUIDs left out (each engine makes its
/// own).
fn state(tm: &TaskManager) -> Result<Vec<String>, Failed> {
    Ok(tm
        .get_tasks(&tme_core::domain::Filter::all())
        .map_err(|e| e.to_string())?
        .iter()
        .map(|t| {
            let depends: Vec<u64> = t.depends.iter().map(|d| d.on.0).collect();
            format!(
                "{} {:?} {} {:?} {:?} {:?} {:?}",
                t.id, t.status, t.title, t.due, t.parent, depends, t.completed
            )
        })
        .collect())
}

/// A page ranked from what the store keeps for ranking (`query_page` with a limit) holds the
/// same tasks, with the same derived fields, as the first rows of the whole query sorted; the
/// counts of `tme status`, made from the same, equal those made from the whole tasks.
fn pages_agree(tm: &TaskManager) -> Outcome {
    use tme_core::domain::{Filter, Priority, Status, StatusFilter};
    let filters = [
        Filter::default(),
        Filter {
            overdue: true,
            ..Filter::default()
        },
        Filter {
            priority: Some(Some(Priority::High)),
            ..Filter::default()
        },
        Filter {
            status: StatusFilter::Only(vec![Status::Waiting, Status::Recurring]),
            ..Filter::default()
        },
        Filter {
            after_id: Some(TaskId(3)),
            ..Filter::default()
        },
    ];
    for filter in &filters {
        for sort in SortKey::ALL {
            for reverse in [false, true] {
                let page = tm
                    .query_page(filter, sort, reverse, Some(3))
                    .map_err(|e| e.to_string())?;
                let mut whole = tm
                    .query_page(filter, sort, reverse, None)
                    .map_err(|e| e.to_string())?;
                whole.views.truncate(3);
                check(
                    page == whole,
                    &format!("{filter:?} by {sort:?} reversed {reverse}: {page:?} != {whole:?}"),
                )?;
            }
        }
    }
    let counted = tm.summary().map_err(|e| e.to_string())?;
    let whole = tm.snapshot().map_err(|e| e.to_string())?.summary;
    check(
        counted == whole,
        &format!("the counts from ranks {counted:?} != from the tasks {whole:?}"),
    )
}

/// The same random command sequences on a redb file and on PostgreSQL end in the same tasks,
/// and both pass their check after every sequence.
fn random_commands_end_alike_on_both(admin: &str) -> Outcome {
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 40,
        ..Config::default()
    });
    let runs = AtomicUsize::new(0);
    runner
        .run(&steps(), |steps| {
            runs.fetch_add(1, Ordering::Relaxed);
            let fail = |e: Failed| TestCaseError::fail(format!("{e:?}"));
            let now = Utc
                .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
                .single()
                .unwrap_or_default();
            let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let scratch = Scratch::new(admin).map_err(fail)?;
            let engines: Vec<(TaskManager, Arc<FixedClock>)> = [true, false]
                .into_iter()
                .map(|file| {
                    let clock = Arc::new(FixedClock::new(now));
                    let store: Box<dyn StoreBox> = if file {
                        Box::new(
                            RedbStore::open(dir.path().join("t.redb"))
                                .map_err(|e| TestCaseError::fail(e.to_string()))?,
                        )
                    } else {
                        Box::new(
                            PgStore::open(&scratch.url)
                                .map_err(|e| TestCaseError::fail(e.to_string()))?,
                        )
                    };
                    Ok((store.into_manager(clock.clone()), clock))
                })
                .collect::<Result<_, TestCaseError>>()?;
            for step in &steps {
                for (tm, clock) in &engines {
                    apply(tm, clock, step);
                }
            }
            let file = state(&engines[0].0).map_err(fail)?;
            let server = state(&engines[1].0).map_err(fail)?;
            proptest::prop_assert_eq!(&file, &server, "after {:?}", steps);
            for (tm, _) in &engines {
                pages_agree(tm).map_err(fail)?;
                let report = tm
                    .check_records()
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                proptest::prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
            }
            Ok(())
        })
        .map_err(|e| Failed::from(e.to_string()))?;
    eprintln!(
        "random model: {} sequences on both backends",
        runs.into_inner()
    );
    Ok(())
}

/// PostgreSQL's own: the connections the store keeps are dropped by the server (as when it
/// restarts, or an administrator ends them) between two commands; the next command reconnects
/// without the user seeing anything.
fn a_dropped_connection_is_replaced(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let store = PgStore::open(&scratch.url).map_err(|e| e.to_string())?;
    let tm = store.into_manager_boxed();
    add(&tm, "Before the restart")?;
    check(
        scratch.end_connections()? > 0,
        "a connection was there to end",
    )?;
    let id = add(&tm, "After the restart")?;
    check(id == TaskId(2), "the second task is task 2")?;
    check(
        tm.snapshot().map_err(|e| e.to_string())?.views.len() == 2,
        "both are there",
    )
}

/// A database whose schema a newer TME wrote is refused, and named without its password.
/// PostgreSQL's own: the connection is killed (`pg_terminate_backend`) in the middle of a
/// command that adds two tasks. The engine runs the command again on a new connection: both
/// tasks are there once, with the ids they would have had, and the check passes.
fn a_connection_killed_mid_command_is_retried(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let tm = PgStore::open(&scratch.url)
        .map_err(|e| e.to_string())?
        .into_manager_boxed();
    let attempts = AtomicUsize::new(0);
    let parse = |line: &str| parse_new_task(&lex(line), &tm.time()).map_err(|e| e.to_string());
    let (one, two) = (parse("First of two")?, parse("Second of two")?);
    let made = tm
        .transaction("add two", |s| {
            let first = s.create(one.clone())?;
            if attempts.fetch_add(1, Ordering::Relaxed) == 0 {
                scratch
                    .end_connections()
                    .map_err(tme_core::engine::EngineError::Invalid)?;
            }
            let second = s.create(two.clone())?;
            Ok((first.id, second.id))
        })
        .map_err(|e| e.to_string())?;
    check(attempts.into_inner() == 2, "the command ran twice")?;
    check(made == (TaskId(1), TaskId(2)), &format!("ids {made:?}"))?;
    let titles: Vec<String> = tm
        .get_tasks(&tme_core::domain::Filter::all())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|t| t.title)
        .collect();
    check(
        titles == ["First of two", "Second of two"],
        &format!("{titles:?}"),
    )?;
    let report = tm.check_records().map_err(|e| e.to_string())?;
    check(
        report.problems.is_empty(),
        &format!("{:?}", report.problems),
    )
}

/// PostgreSQL's own: the server ends the session while it commits (a deferred trigger kills
/// its own backend once). The commit did not land, so the command runs again; it is saved
/// once.
fn a_connection_lost_while_committing_is_retried(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let tm = PgStore::open(&scratch.url)
        .map_err(|e| e.to_string())?
        .into_manager_boxed();
    let mut client =
        postgres::Client::connect(&scratch.url, postgres::NoTls).map_err(|e| e.to_string())?;
    client
        .batch_execute(
            "CREATE SEQUENCE kill_once;
             CREATE FUNCTION kill_once() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF nextval('kill_once') = 1 THEN
                     PERFORM pg_terminate_backend(pg_backend_pid());
                 END IF;
                 RETURN NULL;
             END $$;
             CREATE CONSTRAINT TRIGGER kill_once AFTER INSERT ON tasks
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kill_once();",
        )
        .map_err(|e| e.to_string())?;
    let attempts = AtomicUsize::new(0);
    let new = parse_new_task(&lex("Saved once"), &tm.time()).map_err(|e| e.to_string())?;
    tm.transaction("add one", |s| {
        attempts.fetch_add(1, Ordering::Relaxed);
        s.create(new.clone())
    })
    .map_err(|e| e.to_string())?;
    check(attempts.into_inner() == 2, "the command ran twice")?;
    let tasks = tm
        .get_tasks(&tme_core::domain::Filter::all())
        .map_err(|e| e.to_string())?;
    check(
        tasks.len() == 1 && tasks[0].id == TaskId(1),
        &format!("{tasks:?}"),
    )?;
    let report = tm.check_records().map_err(|e| e.to_string())?;
    check(
        report.problems.is_empty(),
        &format!("{:?}", report.problems),
    )
}

/// TLS as the URL asks: `sslmode=require` encrypts (when the server offers TLS; a server
/// without it is refused with a message saying so), `disable` does not, and `verify-full`
/// checks the certificate, refusing a server whose certificate no known root signed.
fn tls_follows_sslmode(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let mut client =
        postgres::Client::connect(admin, postgres::NoTls).map_err(|e| e.to_string())?;
    let offered: String = client
        .query_one("SHOW ssl", &[])
        .map_err(|e| e.to_string())?
        .get(0);
    let encrypted = |client: &mut postgres::Client| -> Result<Vec<bool>, Failed> {
        Ok(client
            .query(
                "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                 WHERE a.datname = $1",
                &[&scratch.name()],
            )
            .map_err(|e| e.to_string())?
            .iter()
            .map(|r| r.get(0))
            .collect())
    };
    let plain =
        PgStore::open(&format!("{}?sslmode=disable", scratch.url)).map_err(|e| e.to_string())?;
    check(
        encrypted(&mut client)? == [false],
        "sslmode=disable is not encrypted",
    )?;
    drop(plain);
    let required = PgStore::open(&format!("{}?sslmode=require", scratch.url));
    if offered == "on" {
        let _kept = required.map_err(|e| e.to_string())?;
        check(
            encrypted(&mut client)? == [true],
            "sslmode=require is encrypted",
        )?;
    } else {
        let refused = required.err().map(|e| e.to_string()).unwrap_or_default();
        check(
            refused.contains("TLS"),
            &format!("a server without TLS: {refused}"),
        )?;
    }
    let verified = PgStore::open(&format!("{}?sslmode=verify-full", scratch.url));
    let refused = verified.err().map(|e| e.to_string()).unwrap_or_default();
    check(
        refused.contains("cannot connect")
            && (refused.contains("certificate") || refused.contains("TLS")),
        &format!("verify-full against an unknown certificate: {refused}"),
    )
}

/// A watcher (the TUI's) is told at once when the database is gone, instead of being held
/// while the store waits for the server to come back, so that it can stop when asked.
fn a_watcher_hears_at_once_that_the_database_is_gone(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let tm = PgStore::open(&scratch.url)
        .map_err(|e| e.to_string())?
        .into_manager_boxed();
    let seen = tm.change_stamp().map_err(|e| e.to_string())?;
    tm.wait_for_change(seen, std::time::Duration::from_millis(10))
        .map_err(|e| e.to_string())?;
    drop(scratch);
    let start = std::time::Instant::now();
    let outcome = tm.wait_for_change(seen, std::time::Duration::from_secs(20));
    check(outcome.is_err(), "the wait failed")?;
    check(
        start.elapsed() < std::time::Duration::from_secs(3),
        &format!("told after {:?}", start.elapsed()),
    )
}

/// A backlog large enough to be read by every core (20,001 open tasks, some depending on
/// others) reads alike from a file and from its copy in PostgreSQL: the same open tasks, the
/// same first page by urgency, the same counts.
fn a_large_backlog_reads_alike(admin: &str) -> Outcome {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = RedbStore::open(dir.path().join("t.redb"))
        .map_err(|e| e.to_string())?
        .into_manager_boxed();
    let base = parse_new_task(&lex("Backlog item pri:M due:2026-11-30"), &file.time())
        .map_err(|e| e.to_string())?;
    file.transaction("fill", |s| {
        for i in 0..20_001u64 {
            let mut new = base.clone();
            new.title = format!("Backlog item {i}");
            if i % 7 == 3 {
                new.depends.push(tme_core::domain::Dependency {
                    on: TaskId(i),
                    kind: tme_core::domain::DepKind::FinishToStart,
                });
            }
            s.create(new)?;
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    let scratch = Scratch::new(admin)?;
    let server = PgStore::open(&scratch.url).map_err(|e| e.to_string())?;
    tme_core::store::copy(
        &RedbStore::open(dir.path().join("t.redb")).map_err(|e| e.to_string())?,
        &server,
    )
    .map_err(|e| e.to_string())?;
    let server = server.into_manager_boxed();
    let seen = |tm: &TaskManager| -> Result<(Vec<TaskId>, Vec<TaskId>, u64), Failed> {
        let snapshot = tm.snapshot().map_err(|e| e.to_string())?;
        let mut open: Vec<TaskId> = snapshot.views.iter().map(|v| v.task.id).collect();
        open.sort_unstable();
        let page = tm
            .query_page(
                &tme_core::domain::Filter::default(),
                SortKey::Urgency,
                false,
                Some(50),
            )
            .map_err(|e| e.to_string())?;
        Ok((
            open,
            page.views.iter().map(|v| v.task.id).collect(),
            snapshot.summary.blocked,
        ))
    };
    let (from_file, from_server) = (seen(&file)?, seen(&server)?);
    check(from_file.0.len() == 20_001, "every open task is read")?;
    check(from_file.2 > 0, "some are blocked")?;
    check(from_file == from_server, "the file and the server agree")
}

/// A database made by the first schema (without the kept counts, the rank records and the
/// API tokens) is brought up to date when opened: the counts are worked out once and every
/// open task gets its rank record, then both are kept by every write, and the check agrees.
fn a_first_schema_database_is_upgraded(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    let tm = PgStore::open(&scratch.url)
        .map_err(|e| e.to_string())?
        .into_manager_boxed();
    let done = add(&tm, "Finished")?;
    add(&tm, "Still open")?;
    tm.mark_completed(done).map_err(|e| e.to_string())?;
    drop(tm);
    let mut client =
        postgres::Client::connect(&scratch.url, postgres::NoTls).map_err(|e| e.to_string())?;
    client
        .batch_execute(
            "DELETE FROM tme_meta WHERE key LIKE 'count_%';
             DROP TABLE task_ranks;
             DROP TABLE api_tokens;
             UPDATE tme_meta SET value = 1 WHERE key = 'schema_version'",
        )
        .map_err(|e| e.to_string())?;
    let tm = PgStore::open(&scratch.url)
        .map_err(|e| e.to_string())?
        .into_manager_boxed();
    add(&tm, "After the upgrade")?;
    let summary = tm.summary().map_err(|e| e.to_string())?;
    check(
        (summary.pending, summary.closed) == (2, 1),
        &format!("counts after the upgrade: {summary:?}"),
    )?;
    let page = tm
        .query_page(&Default::default(), SortKey::Id, false, Some(5))
        .map_err(|e| e.to_string())?;
    let titles: Vec<&str> = page.views.iter().map(|v| v.task.title.as_str()).collect();
    check(
        titles == ["Still open", "After the upgrade"],
        &format!("ranked after the upgrade: {titles:?}"),
    )?;
    let version: i64 = client
        .query_one(
            "SELECT value FROM tme_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(|e| e.to_string())?
        .get(0);
    check(version == PG_SCHEMA_VERSION, "the schema is up to date")?;
    let report = tm.check_records().map_err(|e| e.to_string())?;
    check(
        report.problems.is_empty(),
        &format!("{:?}", report.problems),
    )
}

fn a_newer_schema_is_refused(admin: &str) -> Outcome {
    let scratch = Scratch::new(admin)?;
    drop(PgStore::open(&scratch.url).map_err(|e| e.to_string())?);
    let mut client =
        postgres::Client::connect(&scratch.url, postgres::NoTls).map_err(|e| e.to_string())?;
    client
        .batch_execute("UPDATE tme_meta SET value = 99 WHERE key = 'schema_version'")
        .map_err(|e| e.to_string())?;
    match PgStore::open(&scratch.url) {
        Ok(_) => Err("a newer schema was opened".into()),
        Err(e) => check(
            e.to_string().contains(&format!(
                "has schema version 99, but this TME understands up to {PG_SCHEMA_VERSION}"
            )),
            &e.to_string(),
        ),
    }
}

fn main() {
    let args = Arguments::from_args();
    let server = scratch::server();
    let scenarios: [Scenario; 6] = [
        (
            "tokens_are_shared_and_revoked",
            2,
            tokens_are_shared_and_revoked,
        ),
        (
            "a_waiter_hears_of_another_commit",
            2,
            a_waiter_hears_of_another_commit,
        ),
        ("tasks_undo_and_history", 1, tasks_undo_and_history),
        ("dependencies_and_subtasks", 1, dependencies_and_subtasks),
        (
            "recurrence_spawns_each_occurrence_once",
            3,
            recurrence_spawns_each_occurrence_once,
        ),
        ("writers_never_share_an_id", 4, writers_never_share_an_id),
    ];
    let mut trials = Vec::new();
    for (name, handles, scenario) in scenarios {
        trials.push(Trial::test(format!("redb::{name}"), move || {
            on(Backend::Redb, handles, scenario)
        }));
        trials.push(
            Trial::test(format!("postgres::{name}"), move || {
                on(Backend::Postgres, handles, scenario)
            })
            .with_ignored_flag(server.is_none()),
        );
    }
    let own: [ServerTest; 9] = [
        ("a_large_backlog_reads_alike", a_large_backlog_reads_alike),
        (
            "a_watcher_hears_at_once_that_the_database_is_gone",
            a_watcher_hears_at_once_that_the_database_is_gone,
        ),
        ("tls_follows_sslmode", tls_follows_sslmode),
        (
            "random_commands_end_alike_on_both",
            random_commands_end_alike_on_both,
        ),
        (
            "a_dropped_connection_is_replaced",
            a_dropped_connection_is_replaced,
        ),
        ("a_newer_schema_is_refused", a_newer_schema_is_refused),
        (
            "a_first_schema_database_is_upgraded",
            a_first_schema_database_is_upgraded,
        ),
        (
            "a_connection_killed_mid_command_is_retried",
            a_connection_killed_mid_command_is_retried,
        ),
        (
            "a_connection_lost_while_committing_is_retried",
            a_connection_lost_while_committing_is_retried,
        ),
    ];
    for (name, test) in own {
        let admin = server.clone().unwrap_or_default();
        trials.push(
            Trial::test(format!("postgres::{name}"), move || test(&admin))
                .with_ignored_flag(server.is_none()),
        );
    }
    libtest_mimic::run(&args, trials).exit();
}
