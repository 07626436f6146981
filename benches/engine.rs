//! In-process benchmarks of the engine: capture parsing, adding, querying and undo on a
//! database of 20,000 tasks (5,000 open). Whole-process timings, and the comparison with
//! Taskwarrior, are in `scripts/bench.sh`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use tme::domain::{Category, Filter, NewTask, TimeContext, capture};
use tme::engine::{FixedClock, TaskManager};
use tme::store::RedbStore;

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

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(StdDuration::from_millis(500))
        .measurement_time(StdDuration::from_secs(2));
    targets = capture_parsing, engine_operations
}
criterion_main!(benches);
