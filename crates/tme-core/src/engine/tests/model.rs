//! The engine's model test: random sequences of user commands (every kind of series, subtasks,
//! dependencies, imports, undo, time passing) against a real file, with every index and the
//! journal checked after each step.

use super::*;
use proptest::prelude::*;

/// The capture texts tasks are added with: plain, dated, and one of every kind of series.
const ADDS: &[&str] = &[
    "Plain task",
    "Dated task due:tomorrow +home",
    "Timed task due:2026-11-27T14:00 #Work.Backend",
    "Daily every:daily",
    "Weekdays every:weekday due:09:00",
    "After completion every:+3d",
    "Fortnight every:2w",
    "Last friday every:\"last fri\"",
    "Raw rule every:\"FREQ=WEEKLY;BYDAY=MO,TH\"",
    "Ending every:monthly until:+40d",
    "With duration every:daily due:10:00 est:1h",
];

#[derive(Debug, Clone)]
enum Step {
    Add(usize),
    Subtask(usize, usize),
    Depend(usize, usize, u8),
    Done(usize),
    Delete(usize),
    Start(usize),
    Stop(usize),
    Retitle(usize),
    Import(usize, usize),
    Undo,
    Pass(u16),
}

fn step() -> impl Strategy<Value = Step> {
    let task = || 0usize..40;
    prop_oneof![
        4 => (0..ADDS.len()).prop_map(Step::Add),
        1 => (task(), task()).prop_map(|(a, b)| Step::Subtask(a, b)),
        1 => (task(), task(), 0u8..4).prop_map(|(a, b, k)| Step::Depend(a, b, k)),
        2 => task().prop_map(Step::Done),
        1 => task().prop_map(Step::Delete),
        1 => task().prop_map(Step::Start),
        1 => task().prop_map(Step::Stop),
        1 => task().prop_map(Step::Retitle),
        1 => (task(), task()).prop_map(|(a, b)| Step::Import(a, b)),
        2 => Just(Step::Undo),
        2 => (1u16..24 * 10).prop_map(Step::Pass),
    ]
}

/// The id of the `n`th task there is (any status), if there are any.
fn pick(tm: &TaskManager, n: usize) -> Option<TaskId> {
    let ids: Vec<TaskId> = tm
        .get_tasks(&Filter::all())
        .ok()?
        .iter()
        .map(|t| t.id)
        .collect();
    (!ids.is_empty()).then(|| ids[n % ids.len()])
}

/// Runs one step. Refusals (a cycle, completing a template, nothing to undo) are part of the
/// model: what matters is that the file stays sound either way.
fn apply(f: &Fixture, step: &Step) {
    let tm = &f.tm;
    let both = |a: usize, b: usize| Some((pick(tm, a)?, pick(tm, b)?));
    let _ = match step {
        Step::Add(kind) => add(tm, ADDS[*kind]).map(drop).map_err(|e| e.to_string()),
        Step::Subtask(a, b) => match both(*a, *b) {
            Some((task, parent)) => tm
                .update(
                    task,
                    &TaskChanges {
                        parent: Some(Some(parent)),
                        ..TaskChanges::default()
                    },
                )
                .map(drop)
                .map_err(|e| e.to_string()),
            None => Ok(()),
        },
        Step::Depend(a, b, kind) => match both(*a, *b) {
            Some((task, on)) => {
                let kind = [
                    DepKind::FinishToStart,
                    DepKind::StartToStart,
                    DepKind::FinishToFinish,
                    DepKind::Relates,
                ][usize::from(*kind)];
                tm.transaction("dep add", |s| s.add_dependency(task, on, kind))
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            None => Ok(()),
        },
        Step::Done(n) => one(tm, *n, |s, id| s.complete(id)),
        Step::Delete(n) => one(tm, *n, |s, id| s.delete(id)),
        Step::Start(n) => one(tm, *n, |s, id| s.start(id)),
        Step::Stop(n) => one(tm, *n, |s, id| s.stop(id)),
        Step::Retitle(n) => one(tm, *n, |s, id| {
            s.update(
                id,
                &TaskChanges {
                    title: Some(format!("Renamed {id}")),
                    ..TaskChanges::default()
                },
            )
        }),
        Step::Import(a, b) => match both(*a, *b) {
            Some((known, other)) => import(tm, known, other),
            None => Ok(()),
        },
        Step::Undo => tm.undo().map(drop).map_err(|e| e.to_string()),
        Step::Pass(hours) => {
            f.clock.advance(chrono::Duration::hours(i64::from(*hours)));
            tm.catch_up().map(drop).map_err(|e| e.to_string())
        }
    };
}

fn one(
    tm: &TaskManager,
    n: usize,
    change: impl Fn(&mut Session<'_>, TaskId) -> Result<Task, EngineError>,
) -> Result<(), String> {
    match pick(tm, n) {
        Some(id) => tm
            .change_each("step", &[id], change)
            .map(drop)
            .map_err(|e| e.to_string()),
        None => Ok(()),
    }
}

/// An import that updates one known task (by uuid) and adds a new one that is its subtask and
/// depends on another.
fn import(tm: &TaskManager, known: TaskId, other: TaskId) -> Result<(), String> {
    let mut task = tm.task(known).map_err(|e| e.to_string())?;
    let other = tm.task(other).map_err(|e| e.to_string())?;
    task.title = format!("Imported {}", task.title);
    let mut fresh = Incoming::new(Task {
        uuid: uuid::Uuid::new_v4(),
        title: "Arrived by import".into(),
        ..task.clone()
    });
    fresh.task.recurrence = None;
    fresh.subtask_of = Some(task.uuid);
    fresh.depends = vec![(other.uuid, DepKind::FinishToStart)];
    let records = vec![Ok(Incoming::new(task)), Ok(fresh)];
    tm.import(records, true, &mut |_| {})
        .map(drop)
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn every_command_leaves_the_file_sound(steps in prop::collection::vec(step(), 1..30)) {
        let f = fixture().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (n, step) in steps.iter().enumerate() {
            apply(&f, step);
            let report = f.tm.check_records().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(
                report.problems.is_empty(),
                "after step {} ({:?}) of {:?}: {:?}",
                n + 1,
                step,
                steps,
                report.problems
            );
        }
    }
}
