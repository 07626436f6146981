//! Dependencies held to their kind, forced steps, subtasks and what the graph derives.

use super::*;
use crate::domain::Step;

fn start(tm: &TaskManager, id: TaskId) -> Result<Task, EngineError> {
    tm.transaction("start", |s| s.start(id))
}

fn forced(tm: &TaskManager, id: TaskId, step: Step) -> Result<Task, EngineError> {
    tm.transaction("forced", |s| {
        s.force();
        match step {
            Step::Start => s.start(id),
            Step::Complete => s.complete(id),
        }
    })
}

#[test]
fn finish_to_start_holds_back_starting_and_completing() -> TestResult {
    let f = fixture()?;
    let data = add(&f.tm, "Collect data")?;
    let paper = add(&f.tm, "Write paper dep:1")?;
    let err = start(&f.tm, paper.id).err().ok_or("start allowed")?;
    assert_eq!(
        err.to_string(),
        "task 2 cannot start yet: it waits on task 1 'Collect data' (finish-to-start); finish it first, or start it anyway"
    );
    assert!(matches!(
        f.tm.mark_completed(paper.id),
        Err(EngineError::Blocked {
            step: Step::Complete,
            ..
        })
    ));
    assert_eq!(
        f.tm.task(paper.id)?.status,
        Status::Pending,
        "nothing written"
    );
    let applied =
        f.tm.change_each("done", &[data.id], |s, id| s.complete(id))?;
    assert_eq!(titles(&applied.unblocked), ["Write paper"]);
    assert_eq!(start(&f.tm, paper.id)?.status, Status::Started);
    Ok(())
}

#[test]
fn start_to_start_waits_for_the_other_to_start() -> TestResult {
    let f = fixture()?;
    let build = add(&f.tm, "Build")?;
    let watch = add(&f.tm, "Watch the build dep:ss:1")?;
    assert!(f.tm.view(watch.id)?.blocked);
    let err = start(&f.tm, watch.id).err().ok_or("start allowed")?;
    assert!(err.to_string().contains("(start-to-start)"), "{err}");
    start(&f.tm, build.id)?;
    assert!(!f.tm.view(watch.id)?.blocked);
    assert!(!f.tm.query(&Filter::default())?.iter().any(|v| v.blocked));
    start(&f.tm, watch.id)?;
    f.tm.mark_completed(watch.id)?;
    Ok(())
}

#[test]
fn finish_to_finish_lets_work_start_but_not_end() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "Write code")?;
    let docs = add(&f.tm, "Write docs dep:ff:1")?;
    assert!(!f.tm.view(docs.id)?.blocked, "ff does not block starting");
    start(&f.tm, docs.id)?;
    let err = f.tm.mark_completed(docs.id).err().ok_or("done allowed")?;
    assert!(
        err.to_string().starts_with("task 2 cannot complete yet"),
        "{err}"
    );
    f.tm.mark_completed(TaskId(1))?;
    f.tm.mark_completed(docs.id)?;
    Ok(())
}

#[test]
fn relates_never_holds_back_and_deleting_a_blocker_frees() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "Idea")?;
    let related = add(&f.tm, "Related dep:rel:1")?;
    start(&f.tm, related.id)?;
    let blocker = add(&f.tm, "Blocker")?;
    let waiting = add(&f.tm, &format!("Waiting dep:{}", blocker.id))?;
    assert!(f.tm.view(blocker.id)?.blocking);
    let applied =
        f.tm.change_each("rm", &[blocker.id], |s, id| s.delete(id))?;
    assert_eq!(titles(&applied.unblocked), ["Waiting"]);
    assert!(!f.tm.view(waiting.id)?.blocked);
    Ok(())
}

#[test]
fn a_forced_step_passes_and_is_noted_in_the_journal() -> TestResult {
    let f = fixture()?;
    add(&f.tm, "Collect data")?;
    let paper = add(&f.tm, "Write paper dep:1")?;
    let started = forced(&f.tm, paper.id, Step::Start)?;
    assert_eq!(started.status, Status::Started);
    let note = &started.annotations.last().ok_or("no note")?.text;
    assert_eq!(
        note,
        "Started while waiting on task 1 'Collect data' (finish-to-start) (forced)"
    );
    let history = f.tm.history(paper.id)?;
    let last = history.last().ok_or("no history")?;
    assert_eq!(last.op, Op::Start);
    assert_eq!(last.after.as_ref().map(|t| t.annotations.len()), Some(1));
    let done = forced(&f.tm, paper.id, Step::Complete)?;
    assert_eq!(done.status, Status::Completed);
    assert_eq!(done.annotations.len(), 2);
    Ok(())
}

#[test]
fn a_parent_with_open_subtasks_is_completed_with_them_or_not_at_all() -> TestResult {
    let f = fixture()?;
    let release = add(&f.tm, "Release")?;
    let notes = add(&f.tm, "Notes parent:1")?;
    let tag = add(&f.tm, "Tag parent:1")?;
    let deep = add(&f.tm, &format!("Check tag parent:{}", tag.id))?;
    // The tag must wait for the notes: completing with subtasks finds an order.
    f.tm.assign_dependency(tag.id, notes.id)?;
    assert_eq!(
        f.tm.view(release.id)?.progress.map(|p| p.to_string()),
        Some("0/3".into())
    );
    let err =
        f.tm.mark_completed(release.id)
            .err()
            .ok_or("done allowed")?;
    assert_eq!(
        err.to_string(),
        "task 1 has open subtasks (2, 3, 4); complete them first, or complete it with them"
    );
    f.tm.mark_completed(deep.id)?;
    let snapshot = f.tm.snapshot()?;
    let progress = |id: TaskId| {
        snapshot
            .views
            .iter()
            .find(|v| v.task.id == id)
            .and_then(|v| v.progress)
            .map(|p| p.to_string())
    };
    assert_eq!(progress(release.id), Some("1/3".into()));
    assert_eq!(progress(tag.id), Some("1/1".into()));
    assert_eq!(progress(notes.id), None);
    f.tm.transaction("done", |s| s.complete_with_subtasks(release.id))?;
    for id in [release.id, notes.id, tag.id] {
        assert_eq!(f.tm.task(id)?.status, Status::Completed);
    }
    assert_eq!(
        f.tm.view(release.id)?.progress.map(|p| p.to_string()),
        Some("3/3".into())
    );
    f.tm.undo()?;
    assert_eq!(
        f.tm.task(notes.id)?.status,
        Status::Pending,
        "undone as one"
    );
    Ok(())
}

#[test]
fn with_subtasks_still_refuses_what_an_outside_task_holds_back() -> TestResult {
    let f = fixture()?;
    let outside = add(&f.tm, "Outside")?;
    let parent = add(&f.tm, "Parent")?;
    add(
        &f.tm,
        &format!("Child parent:{} dep:{}", parent.id, outside.id),
    )?;
    let err =
        f.tm.transaction("done", |s| s.complete_with_subtasks(parent.id))
            .err()
            .ok_or("allowed")?;
    assert!(matches!(err, EngineError::Blocked { .. }), "{err}");
    assert_eq!(f.tm.task(parent.id)?.status, Status::Pending);
    let deleted = add(&f.tm, &format!("Dropped parent:{}", parent.id))?;
    f.tm.delete(deleted.id)?;
    assert_eq!(
        f.tm.view(parent.id)?.progress.map(|p| p.to_string()),
        Some("0/1".into()),
        "deleted subtasks do not count"
    );
    Ok(())
}

mod properties {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::{DepKind, Progress};

    #[derive(Debug, Clone)]
    enum Step {
        Add,
        Depend(u64, u64, u8),
        Undepend(u64, u64),
        Parent(u64, u64),
        Start(u64),
        Complete(u64),
        Delete(u64),
    }

    fn step() -> impl Strategy<Value = Step> {
        let id = 1u64..=8;
        prop_oneof![
            2 => Just(Step::Add),
            6 => (id.clone(), id.clone(), 0u8..4).prop_map(|(a, b, k)| Step::Depend(a, b, k)),
            1 => (id.clone(), id.clone()).prop_map(|(a, b)| Step::Undepend(a, b)),
            2 => (id.clone(), id.clone()).prop_map(|(a, b)| Step::Parent(a, b)),
            1 => id.clone().prop_map(Step::Start),
            2 => id.clone().prop_map(Step::Complete),
            1 => id.prop_map(Step::Delete),
        ]
    }

    fn kind(k: u8) -> DepKind {
        [
            DepKind::FinishToStart,
            DepKind::StartToStart,
            DepKind::FinishToFinish,
            DepKind::Relates,
        ][usize::from(k % 4)]
    }

    /// Every task, open or closed, read one by one.
    fn all_tasks(tm: &TaskManager) -> HashMap<TaskId, Task> {
        (1..=40)
            .filter_map(|i| tm.task(TaskId(i)).ok())
            .map(|t| (t.id, t))
            .collect()
    }

    /// A path along dependencies that order work, from some task back to itself.
    fn has_cycle(tasks: &HashMap<TaskId, Task>) -> bool {
        fn visit(
            id: TaskId,
            tasks: &HashMap<TaskId, Task>,
            state: &mut HashMap<TaskId, u8>,
        ) -> bool {
            match state.get(&id) {
                Some(1) => return true,
                Some(_) => return false,
                None => {}
            }
            state.insert(id, 1);
            let deps = tasks
                .get(&id)
                .map(|t| t.depends.clone())
                .unwrap_or_default();
            for dep in deps.iter().filter(|d| d.kind != DepKind::Relates) {
                if visit(dep.on, tasks, state) {
                    return true;
                }
            }
            state.insert(id, 2);
            false
        }
        let mut state = HashMap::new();
        tasks.keys().any(|id| visit(*id, tasks, &mut state))
    }

    /// Blocked, blocking and progress worked out from scratch, by their definitions.
    fn expected(tasks: &HashMap<TaskId, Task>, id: TaskId) -> (bool, bool, Option<Progress>) {
        let holds = |t: &Task, dep: &crate::domain::Dependency| {
            let Some(on) = tasks.get(&dep.on) else {
                return false;
            };
            let open = on.status.is_open();
            let holds = match dep.kind {
                DepKind::FinishToStart => open,
                DepKind::StartToStart => open && on.started.is_none(),
                _ => false,
            };
            holds && t.status.is_open()
        };
        let task = &tasks[&id];
        let blocked = task.depends.iter().any(|d| holds(task, d));
        let blocking = task.status.is_open()
            && tasks
                .values()
                .any(|t| t.depends.iter().any(|d| d.on == id && holds(t, d)));
        let mut progress = Progress::default();
        let mut stack: Vec<TaskId> = tasks
            .values()
            .filter(|t| t.parent == Some(id))
            .map(|t| t.id)
            .collect();
        let mut seen = std::collections::HashSet::from([id]);
        while let Some(at) = stack.pop() {
            if !seen.insert(at) || tasks[&at].status == Status::Deleted {
                continue;
            }
            progress.total += 1;
            progress.done += u32::from(tasks[&at].status == Status::Completed);
            stack.extend(
                tasks
                    .values()
                    .filter(|t| t.parent == Some(at))
                    .map(|t| t.id),
            );
        }
        (blocked, blocking, (progress.total > 0).then_some(progress))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn no_cycle_ever_and_derived_state_matches_a_recount(steps in prop::collection::vec(step(), 1..40)) {
            let f = fixture().map_err(|e| TestCaseError::fail(e.to_string()))?;
            for i in 0..6 {
                f.tm.add_task(&format!("t{i}"), None).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            for step in steps {
                // Refusals are part of the game; only what is stored afterwards is checked.
                let _ = match step {
                    Step::Add => f.tm.add_task("more", None).map(|_| ()),
                    Step::Depend(a, b, k) => f.tm.transaction("dep", |s| s.add_dependency(TaskId(a), TaskId(b), kind(k))).map(|_| ()),
                    Step::Undepend(a, b) => f.tm.update(TaskId(a), &TaskChanges { remove_depends: vec![TaskId(b)], ..TaskChanges::default() }).map(|_| ()),
                    Step::Parent(a, b) => f.tm.update(TaskId(a), &TaskChanges { parent: Some(Some(TaskId(b))), ..TaskChanges::default() }).map(|_| ()),
                    Step::Start(a) => f.tm.transaction("start", |s| s.start(TaskId(a))).map(|_| ()),
                    Step::Complete(a) => f.tm.mark_completed(TaskId(a)).map(|_| ()),
                    Step::Delete(a) => f.tm.delete(TaskId(a)).map(|_| ()),
                };
                let tasks = all_tasks(&f.tm);
                prop_assert!(!has_cycle(&tasks), "a cycle got in: {tasks:?}");
                let snapshot = f.tm.snapshot().map_err(|e| TestCaseError::fail(e.to_string()))?;
                for view in &snapshot.views {
                    let want = expected(&tasks, view.task.id);
                    prop_assert_eq!((view.blocked, view.blocking, view.progress), want, "in memory, task {}", view.task.id);
                }
                for id in tasks.keys() {
                    let one = f.tm.view(*id).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    let want = expected(&tasks, *id);
                    let got = (one.blocked, one.blocking, one.progress);
                    if one.status.is_open() {
                        prop_assert_eq!(got, want, "from the indexes, task {}", id);
                    } else {
                        prop_assert_eq!(got, (false, false, want.2), "closed task {}", id);
                    }
                }
            }
        }
    }
}

#[test]
fn the_demo_data_imports_with_its_links() -> TestResult {
    let f = fixture()?;
    let records = crate::interop::demo::records(f.tm.now(), f.tm.time().tz);
    let report = f.tm.import(records, false, &mut |_| {})?;
    assert!(
        report.failed.is_empty() && report.created.len() > 50,
        "{report:?}"
    );
    let snapshot = f.tm.snapshot()?;
    let paper = snapshot
        .views
        .iter()
        .find(|v| v.task.title == "Submit the dropout paper")
        .ok_or("no paper")?;
    assert_eq!(paper.progress.map(|p| p.to_string()), Some("2/5".into()));
    assert!(
        snapshot.views.iter().any(|v| v.blocked),
        "some work waits on other work"
    );
    assert!(
        snapshot.views.iter().any(|v| v.status == Status::Recurring),
        "series came in"
    );
    let again = f.tm.import(
        crate::interop::demo::records(f.tm.now(), f.tm.time().tz),
        false,
        &mut |_| {},
    )?;
    assert_eq!(again.created.len(), 0, "by uuid, nothing twice");
    Ok(())
}

#[test]
fn a_long_chain_of_dependencies_and_subtasks_stays_cheap_and_sound() -> TestResult {
    let f = fixture()?;
    let n = 3000u64;
    let uuid_of = |i: u64| uuid::Uuid::from_u128(u128::from(i));
    let records = (1..=n)
        .map(|i| {
            let mut record = Incoming::new(Task::new(
                TaskId(0),
                uuid_of(i),
                format!("Step {i}"),
                f.tm.now(),
            ));
            record.id = Some(TaskId(i));
            if i > 1 {
                record.depends = vec![(uuid_of(i - 1), DepKind::FinishToStart)];
                record.subtask_of = Some(uuid_of(i - 1));
            }
            Ok(record)
        })
        .collect();
    // Each link's cycle check meets the end of the chain at once; a search that walked the
    // chain for each link would make this import take minutes.
    f.tm.import(records, false, &mut |_| {})?;
    let all: Vec<TaskView> = f.tm.query(&Filter::default())?;
    let first = all
        .iter()
        .find(|v| v.task.id == TaskId(1))
        .ok_or("task 1")?;
    assert_eq!(first.progress.map(|p| (p.done, p.total)), Some((0, 2999)));
    let middle = all
        .iter()
        .find(|v| v.task.id == TaskId(1500))
        .ok_or("task 1500")?;
    assert_eq!(middle.progress.map(|p| p.total), Some(1500));
    assert!(middle.blocked);
    // The tree from the top reaches every task, each with its own progress (counted once for
    // all of them, not once per task).
    let below =
        f.tm.reach(TaskId(1), crate::domain::tree::Direction::Down)?;
    assert_eq!(below.len(), 3000);
    let deep = below
        .iter()
        .find(|v| v.task.id == TaskId(2990))
        .ok_or("task 2990")?;
    assert_eq!(deep.progress.map(|p| p.total), Some(10));
    // Closing the loop is refused, whichever way, with the whole loop named.
    let Err(EngineError::Cycle(cycle)) = f.tm.assign_dependency(TaskId(1), TaskId(n)) else {
        return Err("a dependency cycle was allowed".into());
    };
    assert_eq!(cycle.len(), 3001, "{:?}…", &cycle[..4]);
    assert_eq!(
        (cycle[0], cycle[1], cycle[3000]),
        (TaskId(1), TaskId(n), TaskId(1))
    );
    let as_part = TaskChanges {
        parent: Some(Some(TaskId(n))),
        ..TaskChanges::default()
    };
    let Err(EngineError::Cycle(chain)) = f.tm.update(TaskId(1), &as_part) else {
        return Err("a subtask loop was allowed".into());
    };
    assert_eq!(chain.len(), 3001);
    assert_eq!(
        (chain[0], chain[1], chain[3000]),
        (TaskId(1), TaskId(n), TaskId(1))
    );
    assert!(f.tm.check_records()?.problems.is_empty());
    Ok(())
}
