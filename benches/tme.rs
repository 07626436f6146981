//! In-process benchmarks: capture parsing; adding, querying and undo on a database of 20,000
//! tasks (5,000 open); and the TUI with 100,000 open tasks: loading them, and the cost of a key
//! press (update plus a full redraw); the recurrence ticker with 10,000 templates; and
//! dependency checks on 100,000 tasks with 50,000 edges.
//! Whole-process timings, and the comparison with Taskwarrior, are in `scripts/bench.sh` and
//! `scripts/bench-tui.sh`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashSet;
use tme::config::{Dirs, Environment, Flags, load};

use tme::domain::tree::{Direction, Graph, flatten};
use tme::domain::{
    Category, DepKind, Dependency, Filter, NewTask, RecurrenceRule, TaskChanges, TaskId,
    TimeContext, When, capture,
};
use tme::engine::{Clock, EngineError, FixedClock, SortKey, TaskManager};
use tme::store::RedbStore;
use tme::tui::data::Scope;
use tme::tui::initial_model;
use tme::tui::model::Model;
use tme::tui::msg::{Cmd, Msg};
use tme::tui::update::update;
use tme::tui::view::draw;
use tme::tui::worker::Worker;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A database with `total` tasks, `open` of them pending, made through the engine.
fn filled(total: usize, open: usize) -> (tempfile::TempDir, TaskManager) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let store =
        RedbStore::open(dir.path().join("bench.redb")).unwrap_or_else(|e| panic!("open: {e}"));
    let clock = Arc::new(FixedClock::new(now() - Duration::days(365)));
    let tm = TaskManager::builder(store).clock(clock.clone()).build();
    let categories = ["Work.Backend", "Home", "Research.ML", "Finance"];
    for start in (0..total).step_by(5_000) {
        tm.transaction("fill", |s| {
            for i in start..(start + 5_000).min(total) {
                let new = NewTask {
                    title: format!("Task number {i}"),
                    category: Category::parse(categories[i % categories.len()]).ok(),
                    ..NewTask::default()
                };
                if i >= total - open {
                    s.create(new)?
                } else {
                    s.log(new)?
                };
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("fill: {e}"));
        clock.advance(Duration::days(1));
    }
    clock.set(now());
    (dir, tm)
}

fn capture_parsing(c: &mut Criterion) {
    let ctx = TimeContext::new(now(), chrono_tz::Europe::Berlin);
    let line = "Pay rent #Finance due:eom every:monthly pri:H +bills est:30m \"with a note\"";
    c.bench_function("capture/parse_new_task", |b| {
        b.iter(|| capture::parse_new_task(&capture::lex(black_box(line)), &ctx))
    });
    c.bench_function("capture/parse_filter", |b| {
        b.iter(|| {
            capture::parse_filter(
                &capture::lex(black_box("#Work +urgent -later due.before:eow report")),
                &ctx,
            )
        })
    });
}

fn engine_operations(c: &mut Criterion) {
    let (_dir, tm) = filled(20_000, 5_000);
    let mut group = c.benchmark_group("engine_20k");
    group.bench_function("add_task", |b| {
        b.iter(|| tm.add_task(black_box("Benchmark task"), Some("Work")))
    });
    group.bench_function("query_open", |b| {
        b.iter(|| tm.query(black_box(&Filter::default())))
    });
    group.bench_function("summary", |b| b.iter(|| tm.summary()));
    group.bench_function("add_then_undo", |b| {
        b.iter(|| tm.add_task("Undo me", None).and_then(|_| tm.undo()))
    });
    group.finish();
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The default settings, with every directory inside `dir`.
fn config_in(dir: &std::path::Path) -> tme::config::Config {
    let env = Environment {
        vars: Default::default(),
        cwd: dir.to_path_buf(),
        dirs: Some(Dirs {
            config: dir.join("config"),
            data: dir.join("data"),
            log: dir.join("log"),
        }),
    };
    load(&env, &Flags::default()).unwrap_or_else(|e| panic!("config: {e}"))
}

/// The application layer for `config`, as the TUI has it.
fn app_for(config: &tme::config::Config) -> tme::app::App {
    let front = tme::app::FrontEnd {
        args: "tme".into(),
        command: "tui".into(),
        keep_feedback: true,
    };
    tme::app::App::new(config.clone(), &front)
}

/// The terminal size the TUI benchmarks draw on.
const SIZE: (u16, u16) = (200, 50);

/// A TUI model for `tm`, not loaded yet.
fn model_for(config: &tme::config::Config, tm: &TaskManager) -> Model {
    initial_model(config, tm.time(), SIZE).unwrap_or_else(|e| panic!("model: {e}"))
}

fn tui_with_100k_open_tasks(c: &mut Criterion) {
    let (dir, tm) = filled(100_000, 100_000);
    let config = config_in(dir.path());
    let app = app_for(&config);
    let worker = Worker::new(&tm, &app, &tme::cli::run_captured);
    let mut model = model_for(&config, &tm);
    let mut group = c.benchmark_group("tui_100k");
    let load = |model: Option<&mut Model>| {
        let mut msgs = Vec::new();
        worker.run(Cmd::Load(Scope::Open), &mut |msg| {
            msgs.push(msg);
            true
        });
        if let Some(model) = model {
            for msg in msgs {
                update(model, msg);
            }
        }
    };
    group.bench_function("load_and_sort_open_tasks", |b| b.iter(|| load(None)));
    load(Some(&mut model));
    let mut terminal =
        Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap_or_else(|e| match e {});
    let mut press = |model: &mut Model, msg: Msg| {
        update(model, msg);
        terminal
            .draw(|frame| draw(model, frame))
            .unwrap_or_else(|e| match e {});
    };
    group.bench_function("key_down_and_redraw", |b| {
        b.iter(|| press(&mut model, key('j')))
    });
    group.bench_function("toggle_detail_and_redraw", |b| {
        b.iter(|| {
            press(
                &mut model,
                Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            )
        })
    });
    for sort in SortKey::ALL {
        model.arrangement.sort = sort;
        group.bench_function(format!("resort_by_{}_and_redraw", sort.name()), |b| {
            b.iter(|| press(&mut model, key('S')))
        });
    }
    model.arrangement = Default::default();
    update(&mut model, key('/'));
    group.bench_function("filter_keystroke_and_redraw", |b| {
        b.iter(|| {
            press(&mut model, key('x'));
            press(
                &mut model,
                Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
            );
        })
    });
    group.finish();
}

/// A database of `count` daily recurring templates (each with today's instance), and the clock
/// its engine reads.
fn templates(count: usize) -> (tempfile::TempDir, Arc<FixedClock>, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("ticker.redb");
    let clock = Arc::new(FixedClock::new(now()));
    let store = RedbStore::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let tm = TaskManager::builder(store).clock(clock.clone()).build();
    let rule = RecurrenceRule::parse("daily").unwrap_or_else(|e| panic!("rule: {e}"));
    tm.transaction("fill", |s| {
        for i in 0..count {
            s.create(NewTask {
                title: format!("Habit {i}"),
                recurrence: Some(rule.clone()),
                ..NewTask::default()
            })?;
        }
        Ok(())
    })
    .unwrap_or_else(|e| panic!("fill: {e}"));
    (dir, clock, path)
}

fn engine_on(path: &std::path::Path, clock: Arc<FixedClock>) -> TaskManager {
    let store = RedbStore::open(path).unwrap_or_else(|e| panic!("open: {e}"));
    TaskManager::builder(store).clock(clock).build()
}

/// The recurrence ticker: a tick with nothing due, with 10 and with 10,000 templates (the same
/// cost: it reads one index key), and a tick that spawns a day's instances of 10,000.
fn ticker(c: &mut Criterion) {
    let mut group = c.benchmark_group("ticker");
    for count in [10, 10_000] {
        let (_dir, clock, path) = templates(count);
        let tm = engine_on(&path, clock);
        group.bench_function(format!("idle_tick_{count}_templates"), |b| {
            b.iter(|| tm.catch_up())
        });
    }
    let (dir, clock, path) = templates(10_000);
    group.sample_size(10);
    group.bench_function("tick_spawning_10000_instances", |b| {
        b.iter_custom(|iterations| {
            let mut total = StdDuration::ZERO;
            for i in 0..iterations {
                let copy = dir.path().join(format!("copy-{i}.redb"));
                std::fs::copy(&path, &copy).unwrap_or_else(|e| panic!("copy: {e}"));
                let day_later = Arc::new(FixedClock::new(clock.now() + Duration::days(1)));
                let tm = engine_on(&copy, day_later);
                let started = std::time::Instant::now();
                let spawned = tm.catch_up().unwrap_or_else(|e| panic!("tick: {e}"));
                total += started.elapsed();
                assert_eq!(spawned.len(), 10_000);
                drop(tm);
                let _ = std::fs::remove_file(&copy);
            }
            total
        })
    });
    group.finish();
}

/// The calendar on 100,000 open tasks due over four months (one in ten at a time of day):
/// opening it, moving a day (the same month: only the day's rows change), moving a month (the
/// tasks are placed again) and switching to the agenda, each with a full redraw.
fn calendar_100k(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let store =
        RedbStore::open(dir.path().join("cal.redb")).unwrap_or_else(|e| panic!("open: {e}"));
    let tm = TaskManager::builder(store)
        .clock(Arc::new(FixedClock::new(now())))
        .build();
    let today = tm.time().today();
    for start in (0..100_000u32).step_by(10_000) {
        tm.transaction("fill", |s| {
            for i in start..start + 10_000 {
                let day = today + chrono::Days::new(u64::from(i % 120));
                let due = if i % 10 == 0 {
                    When::At(
                        day.and_hms_opt(8 + i % 10, 0, 0)
                            .unwrap_or_default()
                            .and_utc(),
                    )
                } else {
                    When::Day(day)
                };
                s.create(NewTask {
                    title: format!("Task number {i}"),
                    due: Some(due),
                    ..NewTask::default()
                })?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("fill: {e}"));
    }
    let config = config_in(dir.path());
    let app = app_for(&config);
    let worker = Worker::new(&tm, &app, &tme::cli::run_captured);
    let mut model = model_for(&config, &tm);
    let run = |model: &mut Model, cmds: Vec<Cmd>| {
        let mut queue = cmds;
        while let Some(cmd) = queue.pop() {
            let mut msgs = Vec::new();
            worker.run(cmd, &mut |msg| {
                msgs.push(msg);
                true
            });
            for msg in msgs {
                queue.extend(update(model, msg));
            }
        }
    };
    run(&mut model, vec![Cmd::Load(Scope::Open)]);
    let mut terminal =
        Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap_or_else(|e| match e {});
    let mut press = |model: &mut Model, c: char| {
        let cmds = update(model, key(c));
        run(model, cmds);
        terminal
            .draw(|frame| draw(model, frame))
            .unwrap_or_else(|e| match e {});
    };
    let mut group = c.benchmark_group("calendar_100k");
    group.sample_size(10);
    let cases: [(&str, &[char]); 4] = [
        ("open_calendar_and_redraw", &['1', '3']),
        ("next_day_and_back_and_redraw", &['l', 'h']),
        ("next_month_and_back_and_redraw", &['L', 'H']),
        ("agenda_and_back_and_redraw", &['w', 'w', 'w']),
    ];
    for (name, keys) in cases {
        group.bench_function(name, |b| {
            b.iter(|| {
                for c in keys {
                    press(&mut model, *c);
                }
            })
        });
    }
    group.finish();
}

/// 100,000 open tasks and 50,000 finish-to-start edges: every other task depends on a random
/// earlier one, and tasks 1..=1,000 form one long chain (1,000 depends on 999, …).
fn dependency_graph() -> (tempfile::TempDir, TaskManager) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let store =
        RedbStore::open(dir.path().join("deps.redb")).unwrap_or_else(|e| panic!("open: {e}"));
    let tm = TaskManager::builder(store)
        .clock(Arc::new(FixedClock::new(now())))
        .build();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        1 + seed % below
    };
    for start in (1..=100_000u64).step_by(10_000) {
        tm.transaction("fill", |s| {
            for id in start..start + 10_000 {
                let on = match id {
                    1 => None,
                    2..=1_000 => Some(id - 1),
                    _ if id % 2 == 0 => Some(next(id - 1)),
                    _ => None,
                };
                s.create(NewTask {
                    title: format!("Step {id}"),
                    depends: on
                        .map(|on| Dependency {
                            on: TaskId(on),
                            kind: DepKind::FinishToStart,
                        })
                        .into_iter()
                        .collect(),
                    ..NewTask::default()
                })?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("fill: {e}"));
    }
    (dir, tm)
}

/// Dependency checks on 100,000 tasks with 50,000 edges: the cycle check of adding an edge
/// (the change is made and then dropped, so the file does not grow), a refused edge that would
/// close a cycle through a chain of 1,000, blocked state of one task from the indexes, and of
/// every open task at once.
fn dependencies(c: &mut Criterion) {
    let (_dir, tm) = dependency_graph();
    let mut group = c.benchmark_group("deps_100k");
    let mut pick: u64 = 7;
    group.bench_function("add_edge_checked_not_committed", |b| {
        b.iter(|| {
            pick = pick * 6_364_136_223_846_793_005 % 99_991 + 1;
            let (task, on) = (TaskId(1_000 + pick % 99_000), TaskId(1 + pick % 999));
            let outcome = tm.transaction("bench", |s| {
                s.add_dependency(task, on, DepKind::FinishToStart)?;
                Err::<(), _>(EngineError::NothingToUndo)
            });
            assert!(
                matches!(outcome, Err(EngineError::NothingToUndo)),
                "{outcome:?}"
            );
        })
    });
    group.bench_function("refuse_cycle_through_1000_chain", |b| {
        b.iter(|| {
            let outcome = tm.transaction("bench", |s| {
                s.add_dependency(TaskId(1), TaskId(1_000), DepKind::FinishToStart)
            });
            assert!(matches!(outcome, Err(EngineError::Cycle(ref path)) if path.len() == 1_001));
        })
    });
    group.bench_function("blocked_state_of_one_task", |b| {
        b.iter(|| tm.view(TaskId(50_000)))
    });
    group.sample_size(10);
    group.bench_function("blocked_state_of_all_100k", |b| b.iter(|| tm.snapshot()));
    let views = tm
        .snapshot()
        .unwrap_or_else(|e| panic!("snapshot: {e}"))
        .views;
    let graph = Graph::new(views.iter().map(|v| v.task.clone()));
    group.bench_function("tree_graph_only", |b| {
        b.iter(|| Graph::new(views.iter().map(|v| v.task.clone())).len())
    });
    group.bench_function("tree_roots_only", |b| {
        b.iter(|| graph.roots(Direction::Up).len())
    });
    let roots = graph.roots(Direction::Up);
    group.bench_function("tree_lines_only", |b| {
        b.iter(|| flatten(&graph, &roots, Direction::Up, &HashSet::new()).len())
    });
    group.bench_function("tree_of_all_100k_graph_and_lines", |b| {
        b.iter(|| {
            let graph = Graph::new(views.iter().map(|v| v.task.clone()));
            let roots = graph.roots(Direction::Up);
            flatten(&graph, &roots, Direction::Up, &HashSet::new()).len()
        })
    });
    group.finish();
}

/// Sync in process (the server an engine on its own file, no HTTP): a replica offline for
/// 1,000 commands (500 adds, 500 changes) syncing them with a server of 10,000 tasks, each
/// run from copies of the same two files.
fn sync_1000_offline(c: &mut Criterion) {
    let (server_dir, server) = filled(10_000, 2_000);
    let replica_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let open = |path: &std::path::Path| {
        let store = RedbStore::open(path).unwrap_or_else(|e| panic!("open: {e}"));
        TaskManager::builder(store)
            .clock(Arc::new(FixedClock::new(now())))
            .actor("ann via bench on laptop")
            .build()
    };
    let replica_path = replica_dir.path().join("replica.redb");
    {
        let replica = open(&replica_path);
        replica
            .sync_with(&server)
            .unwrap_or_else(|e| panic!("join: {e}"));
        for i in 0..500 {
            replica
                .add_task(&format!("Offline {i}"), None)
                .unwrap_or_else(|e| panic!("add: {e}"));
        }
        let changes = TaskChanges {
            priority: Some(Some(tme::domain::Priority::High)),
            ..TaskChanges::default()
        };
        for id in 9_000..9_500 {
            replica
                .update(TaskId(id), &changes)
                .unwrap_or_else(|e| panic!("modify: {e}"));
        }
    }
    drop(server);
    let server_path = server_dir.path().join("bench.redb");
    c.bench_function("sync_1000_offline_commands", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
                for (from, to) in [
                    (&server_path, "server.redb"),
                    (&replica_path, "replica.redb"),
                ] {
                    std::fs::copy(from, dir.path().join(to))
                        .unwrap_or_else(|e| panic!("copy: {e}"));
                }
                let server = open(&dir.path().join("server.redb"));
                let replica = open(&dir.path().join("replica.redb"));
                (dir, server, replica)
            },
            |(_dir, server, replica)| {
                let synced = replica
                    .sync_with(&server)
                    .unwrap_or_else(|e| panic!("sync: {e}"));
                assert_eq!(synced.pushed, 1_000);
            },
            criterion::BatchSize::PerIteration,
        );
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(StdDuration::from_millis(500))
        .measurement_time(StdDuration::from_secs(2));
    targets = capture_parsing, engine_operations, tui_with_100k_open_tasks, ticker, dependencies, calendar_100k, sync_1000_offline
}
criterion_main!(benches);
