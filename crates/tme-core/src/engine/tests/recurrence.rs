//! Recurring series through the engine: spawning, the ticker, missed occurrences, editing
//! templates and instances, ending a series, undo.

use super::*;
use crate::domain::{MissedPolicy, RecurrenceLink};

/// An engine at Thursday 2026-11-26 09:00 in Berlin with the given schedule.
fn scheduled(schedule: Schedule) -> Result<Fixture, Box<dyn std::error::Error>> {
    let mut f = fixture()?;
    let path = f._dir.path().join("t.redb");
    drop(f.tm);
    f.tm = TaskManager::builder(RedbStore::open(path)?)
        .clock(f.clock.clone())
        .time_zone(chrono_tz::Europe::Berlin)
        .actor("tester")
        .schedule(schedule)
        .build();
    Ok(f)
}

fn missed(policy: MissedPolicy) -> Schedule {
    Schedule {
        missed: policy,
        ..Schedule::default()
    }
}

/// The instances of a template (any status), by occurrence.
fn instances(tm: &TaskManager, template: TaskId) -> Result<Vec<Task>, Box<dyn std::error::Error>> {
    let read = tm.store().read()?;
    let mut out = Vec::new();
    for (_, id) in read.instances(template)? {
        out.push(read.task(id)?.ok_or("instance row")?);
    }
    Ok(out)
}

/// Due dates of the open instances, as shown.
fn open_dues(
    tm: &TaskManager,
    template: TaskId,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(instances(tm, template)?
        .iter()
        .filter(|t| t.status.is_open())
        .map(|t| {
            t.due
                .map(|d| d.display(chrono_tz::Europe::Berlin))
                .unwrap_or_default()
        })
        .collect())
}

fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

#[test]
fn a_template_spawns_its_first_instance_and_stays_out_of_lists() -> TestResult {
    let f = fixture()?;
    let template = add(
        &f.tm,
        "Pay rent #Finance due:eom every:monthly pri:H +bills",
    )?;
    assert!(template.is_template());
    let open = f.tm.get_tasks(&Filter::default())?;
    assert_eq!(titles(&open), ["Pay rent"]);
    let instance = &open[0];
    assert_ne!(instance.id, template.id);
    assert_eq!(
        instance.due.map(|d| d.to_string()).as_deref(),
        Some("2026-11-30")
    );
    assert_eq!(instance.priority, Some(Priority::High));
    assert_eq!(instance.category, template.category);
    assert_eq!(instance.tags, template.tags);
    assert!(matches!(
        instance.recurrence,
        Some(RecurrenceLink::Instance { template: t, .. }) if t == template.id
    ));
    let series = f.tm.get_tasks(&filter(&f.tm, "status:recurring")?)?;
    assert_eq!(
        series.iter().map(|t| t.id).collect::<Vec<_>>(),
        [template.id]
    );
    assert_eq!(f.tm.summary()?.recurring, 1);
    assert_eq!(f.tm.summary()?.pending, 1);
    Ok(())
}

#[test]
fn completing_an_instance_brings_the_next_and_undo_takes_it_back() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Pay rent due:eom every:monthly")?;
    let first = instances(&f.tm, template.id)?.remove(0);
    f.tm.mark_completed(first.id)?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-12-31"]);
    f.tm.mark_completed(instances(&f.tm, template.id)?[1].id)?;
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2027-01-31"],
        "due at the end of every month"
    );
    f.tm.undo()?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-12-31"]);
    assert_eq!(
        instances(&f.tm, template.id)?.len(),
        2,
        "the spawned one is gone"
    );
    Ok(())
}

#[test]
fn the_ticker_spawns_what_came_due_and_costs_nothing_otherwise() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Stand-up due:09:30 every:weekday")?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-11-26 09:30"]);
    let commands = f.tm.recent_commands(100)?.len();
    assert!(f.tm.catch_up()?.is_empty());
    assert_eq!(
        f.tm.recent_commands(100)?.len(),
        commands,
        "no command when nothing is due"
    );
    // Friday: its occurrence comes due at its start.
    f.clock.advance(days(1));
    let spawned = f.tm.catch_up()?;
    assert_eq!(spawned.len(), 1);
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2026-11-26 09:30", "2026-11-27 09:30"]
    );
    let command = &f.tm.recent_commands(1)?[0];
    assert_eq!(command.kind, CommandKind::System);
    // Undo skips the ticker's work.
    assert!(matches!(f.tm.undo()?.command.summary.as_str(), s if s.starts_with("add")));
    Ok(())
}

/// A weekly series whose first instance is done, then two weeks and a half without TME.
fn away_two_weeks(policy: MissedPolicy) -> Result<(Fixture, TaskId), Box<dyn std::error::Error>> {
    let f = scheduled(missed(policy))?;
    let template = add(&f.tm, "Weekly review due:2026-11-30 every:weekly")?;
    f.tm.mark_completed(instances(&f.tm, template.id)?[0].id)?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-12-07"]);
    f.clock.advance(days(28));
    f.tm.catch_up()?;
    Ok((f, template.id))
}

#[test]
fn after_an_absence_skip_spawns_none_of_the_missed() -> TestResult {
    let (f, template) = away_two_weeks(MissedPolicy::Skip)?;
    assert_eq!(open_dues(&f.tm, template)?, ["2026-12-07"]);
    Ok(())
}

#[test]
fn after_an_absence_latest_spawns_one_overdue_instance() -> TestResult {
    let (f, template) = away_two_weeks(MissedPolicy::Latest)?;
    assert_eq!(open_dues(&f.tm, template)?, ["2026-12-07", "2026-12-21"]);
    Ok(())
}

#[test]
fn after_an_absence_all_spawns_every_missed_one() -> TestResult {
    let (f, template) = away_two_weeks(MissedPolicy::All)?;
    assert_eq!(
        open_dues(&f.tm, template)?,
        ["2026-12-07", "2026-12-14", "2026-12-21"]
    );
    Ok(())
}

#[test]
fn a_daily_task_after_two_weeks_away_is_one_task_by_default() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Water plants every:daily")?;
    f.tm.mark_completed(instances(&f.tm, template.id)?[0].id)?;
    f.clock.advance(days(14));
    f.tm.catch_up()?;
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2026-11-27", "2026-12-10"],
        "the one that was showing, and today's: not fourteen"
    );
    Ok(())
}

#[test]
fn the_horizon_spawns_ahead_of_time() -> TestResult {
    let f = scheduled(Schedule {
        horizon: days(3),
        ..Schedule::default()
    })?;
    let template = add(&f.tm, "Water plants every:daily")?;
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    );
    Ok(())
}

#[test]
fn spawning_can_be_turned_off() -> TestResult {
    let f = scheduled(Schedule {
        enabled: false,
        ..Schedule::default()
    })?;
    let template = add(&f.tm, "Water plants every:daily")?;
    f.clock.advance(days(3));
    assert!(f.tm.catch_up()?.is_empty());
    assert!(instances(&f.tm, template.id)?.is_empty());
    Ok(())
}

#[test]
fn spawning_is_idempotent_across_threads_and_failed_commands() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Water plants every:daily")?;
    f.clock.advance(days(1));
    // A command that spawns and then fails writes nothing.
    let failed = f.tm.transaction("boom", |s| {
        s.advance_series(template.id)?;
        Err::<(), _>(EngineError::Invalid("crash".into()))
    });
    assert!(failed.is_err());
    assert_eq!(instances(&f.tm, template.id)?.len(), 1);
    let spawned: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| f.tm.catch_up().map(|s| s.len()).unwrap_or(99)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or(99))
            .collect()
    });
    assert_eq!(spawned.iter().sum::<usize>(), 1, "{spawned:?}");
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-11-26", "2026-11-27"]);
    Ok(())
}

#[test]
fn deleting_the_template_ends_the_series_and_undo_restores_it() -> TestResult {
    let f = scheduled(Schedule {
        horizon: days(2),
        ..Schedule::default()
    })?;
    let template = add(&f.tm, "Water plants every:daily")?;
    let done = instances(&f.tm, template.id)?[0].id;
    f.tm.mark_completed(done)?;
    assert_eq!(open_dues(&f.tm, template.id)?.len(), 2);
    f.tm.delete(template.id)?;
    assert!(open_dues(&f.tm, template.id)?.is_empty());
    assert_eq!(
        f.tm.task(done)?.status,
        Status::Completed,
        "done work stays done"
    );
    f.clock.advance(days(5));
    assert!(
        f.tm.catch_up()?.is_empty(),
        "an ended series spawns nothing"
    );
    f.tm.undo()?;
    assert_eq!(open_dues(&f.tm, template.id)?.len(), 2);
    assert_eq!(f.tm.task(template.id)?.status, Status::Pending);
    assert!(
        !f.tm.catch_up()?.is_empty(),
        "the restored series is ticking again"
    );
    Ok(())
}

#[test]
fn a_template_cannot_be_completed_or_started() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Water plants every:daily")?;
    let err =
        f.tm.mark_completed(template.id)
            .err()
            .ok_or("completed a template")?;
    assert!(err.to_string().contains("recurring"), "{err}");
    assert!(f.tm.transaction("start", |s| s.start(template.id)).is_err());
    Ok(())
}

#[test]
fn pending_instances_follow_template_edits_but_keep_their_own() -> TestResult {
    let f = scheduled(Schedule {
        horizon: days(2),
        ..Schedule::default()
    })?;
    let template = add(&f.tm, "Water plants +home every:daily")?;
    let ids: Vec<TaskId> = instances(&f.tm, template.id)?
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids.len(), 3);
    f.tm.update(
        ids[1],
        &TaskChanges {
            title: Some("Water the ferns too".into()),
            ..TaskChanges::default()
        },
    )?;
    f.tm.mark_completed(ids[0])?;
    f.tm.update(
        template.id,
        &TaskChanges {
            title: Some("Water the plants".into()),
            priority: Some(Some(Priority::High)),
            ..TaskChanges::default()
        },
    )?;
    let now: Vec<(String, Option<Priority>)> = instances(&f.tm, template.id)?
        .into_iter()
        .map(|t| (t.title, t.priority))
        .collect();
    assert_eq!(
        now,
        [
            ("Water plants".to_string(), None),
            ("Water the ferns too".to_string(), Some(Priority::High)),
            ("Water the plants".to_string(), Some(Priority::High)),
        ],
        "completed work is history; a renamed instance keeps its name"
    );
    Ok(())
}

#[test]
fn a_new_rule_replaces_pending_future_instances() -> TestResult {
    let f = scheduled(Schedule {
        horizon: days(7),
        ..Schedule::default()
    })?;
    let template = add(&f.tm, "Gym due:2026-11-27 every:\"mon,fri\"")?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-11-27", "2026-11-30"]);
    let changes = capture::parse_changes(&capture::lex("every:\"tue,fri\""), &f.tm.time())?;
    f.tm.update(template.id, &changes)?;
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2026-11-27", "2026-12-01"],
        "Monday's went, Tuesday's came"
    );
    Ok(())
}

#[test]
fn changing_an_instance_and_the_future() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Team sync due:2026-11-30T10:00 every:weekly")?;
    let first = instances(&f.tm, template.id)?[0].id;
    // This one only: a new title.
    f.tm.update(
        first,
        &TaskChanges {
            title: Some("Team sync (short)".into()),
            ..TaskChanges::default()
        },
    )?;
    assert_eq!(f.tm.task(template.id)?.title, "Team sync");
    // From this one on: an hour later on Tuesday.
    let changes =
        capture::parse_changes(&capture::lex("due:2026-12-01T11:00 +meeting"), &f.tm.time())?;
    f.tm.transaction("modify --future", |s| s.update_series_from(first, &changes))?;
    let template = f.tm.task(template.id)?;
    assert_eq!(
        template
            .due
            .map(|d| d.display(chrono_tz::Europe::Berlin))
            .as_deref(),
        Some("2026-12-01 11:00")
    );
    assert!(template.tags.iter().any(|t| t.as_str() == "meeting"));
    f.tm.mark_completed(first)?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-12-08 11:00"]);
    // The rule itself belongs to the template.
    let rule = capture::parse_changes(&capture::lex("every:daily"), &f.tm.time())?;
    let next = instances(&f.tm, template.id)?[1].id;
    let err =
        f.tm.update(next, &rule)
            .err()
            .ok_or("changed an instance's rule")?;
    assert!(err.to_string().contains("from this instance on"), "{err}");
    Ok(())
}

#[test]
fn counting_from_completion() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Haircut due:2026-11-28 every:+3w")?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-11-28"]);
    f.clock.advance(days(5));
    assert!(f.tm.catch_up()?.is_empty(), "nothing until it is done");
    f.tm.mark_completed(instances(&f.tm, template.id)?[0].id)?;
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2026-12-22"],
        "three weeks after it was done, not after it was due"
    );
    Ok(())
}

#[test]
fn counting_from_completion_done_twice_in_a_day_keeps_going() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Water plants every:+3d")?;
    f.tm.mark_completed(instances(&f.tm, template.id)?[0].id)?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-11-29"]);
    // Done again the same day, before its date: the next one follows it, not back onto it.
    f.tm.mark_completed(instances(&f.tm, template.id)?[1].id)?;
    assert_eq!(open_dues(&f.tm, template.id)?, ["2026-12-02"]);
    assert!(f.tm.check_records()?.problems.is_empty());
    Ok(())
}

#[test]
fn a_template_cannot_become_part_of_its_own_instance() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Water plants every:+3d")?;
    let instance = instances(&f.tm, template.id)?[0].id;
    let as_part = TaskChanges {
        parent: Some(Some(instance)),
        ..TaskChanges::default()
    };
    let err = f.tm.update(template.id, &as_part).err().ok_or("refused")?;
    assert!(err.to_string().contains("own parent"), "{err}");
    assert_eq!(
        open_dues(&f.tm, template.id)?.len(),
        1,
        "the instance stays"
    );
    assert!(f.tm.check_records()?.problems.is_empty());
    Ok(())
}

#[test]
fn a_series_ends_at_its_until_date() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Daily log every:daily until:2026-11-27")?;
    f.tm.mark_completed(instances(&f.tm, template.id)?[0].id)?;
    let last = instances(&f.tm, template.id)?[1].id;
    f.tm.mark_completed(last)?;
    assert_eq!(
        f.tm.task(template.id)?.status,
        Status::Completed,
        "the series ended"
    );
    let err = add(&f.tm, "Too late every:daily until:2026-11-01")
        .err()
        .ok_or("a series without occurrences")?;
    assert!(err.to_string().contains("no occurrences"), "{err}");
    Ok(())
}

#[test]
fn wall_clock_times_hold_across_dst_in_new_york() -> TestResult {
    let dir = tempfile::tempdir()?;
    let tz = chrono_tz::America::New_York;
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 5, 12, 0, 0)
            .single()
            .ok_or("date")?,
    ));
    let tm = TaskManager::builder(RedbStore::open(dir.path().join("t.redb"))?)
        .clock(clock.clone())
        .time_zone(tz)
        .build();
    let template = add(&tm, "Medication due:2026-03-06T08:00 every:daily")?;
    for _ in 0..5 {
        clock.advance(days(1));
        tm.catch_up()?;
    }
    let times: Vec<String> = instances(&tm, template.id)?
        .iter()
        .filter_map(|t| t.due)
        .map(|d| d.display(tz))
        .collect();
    assert_eq!(
        times,
        [
            "2026-03-06 08:00",
            "2026-03-07 08:00",
            "2026-03-08 08:00",
            "2026-03-09 08:00",
            "2026-03-10 08:00",
        ]
    );
    Ok(())
}

#[test]
fn the_outlook_shows_what_comes_next_and_the_streak() -> TestResult {
    let f = fixture()?;
    let template = add(&f.tm, "Stretch due:2026-11-23 every:daily")?;
    // Started three days ago: only today's instance comes (the latest due occurrence). Do it,
    // then the next two, each as soon as it shows.
    f.tm.mark_completed(instances(&f.tm, template.id)?[0].id)?;
    for _ in 0..2 {
        f.tm.mark_completed(instances(&f.tm, template.id)?.last().ok_or("instance")?.id)?;
        f.clock.advance(days(1));
        f.tm.catch_up()?;
    }
    let outlook = f.tm.series_outlook(template.id, 5)?.ok_or("outlook")?;
    assert_eq!(outlook.words, "every day");
    let next: Vec<String> = outlook.next.iter().map(ToString::to_string).collect();
    assert_eq!(
        next,
        [
            "2026-11-29",
            "2026-11-30",
            "2026-12-01",
            "2026-12-02",
            "2026-12-03"
        ],
        "today's is already done"
    );
    assert_eq!(outlook.streak.current, 3);
    assert_eq!(outlook.streak.done, 3);
    f.clock.advance(days(2));
    let outlook = f.tm.series_outlook(template.id, 5)?.ok_or("outlook")?;
    assert_eq!(outlook.streak.current, 0, "Saturday's was missed");
    assert_eq!(outlook.streak.best, 3);
    assert!(
        f.tm.series_outlook(outlook.open[0], 5)?.is_none(),
        "not a template"
    );
    Ok(())
}

fn declared(
    key: &str,
    title: &str,
    rule: &str,
) -> Result<DeclaredSeries, Box<dyn std::error::Error>> {
    Ok(DeclaredSeries {
        key: key.into(),
        title: title.into(),
        description: String::new(),
        category: None,
        tags: Default::default(),
        priority: None,
        rule: crate::domain::RecurrenceRule::parse(rule)?,
        start: None,
        duration: None,
        until: None,
    })
}

fn templates(tm: &TaskManager) -> Result<Vec<Task>, Box<dyn std::error::Error>> {
    Ok(tm.get_tasks(&filter(tm, "status:recurring")?)?)
}

#[test]
fn declared_series_are_synced_once_and_kept_in_step() -> TestResult {
    let f = fixture()?;
    let list = vec![
        declared("water", "Water plants", "3d")?,
        declared("review", "Weekly review", "fri")?,
    ];
    assert_eq!(f.tm.sync_declared(&list)?, 2);
    let commands = f.tm.recent_commands(100)?.len();
    assert_eq!(f.tm.sync_declared(&list)?, 0, "nothing changed");
    assert_eq!(f.tm.recent_commands(100)?.len(), commands);
    assert_eq!(
        f.tm.get_tasks(&Filter::default())?.len(),
        2,
        "one instance each"
    );
    // Renamed in the config: the template and its pending instance follow.
    let renamed = vec![
        declared("water", "Water the plants", "3d")?,
        list[1].clone(),
    ];
    assert_eq!(f.tm.sync_declared(&renamed)?, 1);
    let open = f.tm.get_tasks(&Filter::default())?;
    assert!(
        titles(&open).contains(&"Water the plants"),
        "{:?}",
        titles(&open)
    );
    // A user cannot change a declared template; the config is where it lives.
    let water = templates(&f.tm)?
        .into_iter()
        .find(|t| t.title == "Water the plants")
        .ok_or("template")?;
    let err =
        f.tm.delete(water.id)
            .err()
            .ok_or("deleted a declared template")?;
    assert!(err.to_string().contains("config"), "{err}");
    // Removed from the config: the series ends, its pending instance goes.
    assert_eq!(f.tm.sync_declared(&renamed[1..])?, 1);
    assert_eq!(
        titles(&f.tm.get_tasks(&Filter::default())?),
        ["Weekly review"]
    );
    assert_eq!(f.tm.task(water.id)?.status, Status::Deleted);
    Ok(())
}

#[test]
fn declared_series_synced_from_several_threads_exist_once() -> TestResult {
    let f = fixture()?;
    let list: Vec<DeclaredSeries> = (0..10)
        .map(|i| declared(&format!("habit-{i}"), &format!("Habit {i}"), "daily"))
        .collect::<Result<_, _>>()?;
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| f.tm.sync_declared(&list).map(|_| ()).unwrap_or(()));
        }
    });
    assert_eq!(templates(&f.tm)?.len(), 10);
    assert_eq!(f.tm.get_tasks(&Filter::default())?.len(), 10);
    Ok(())
}

#[test]
fn a_denser_rule_fills_in_between_instances_spawned_ahead() -> TestResult {
    let f = scheduled(Schedule {
        horizon: days(14),
        ..Schedule::default()
    })?;
    let template = add(&f.tm, "Practice every:weekly")?;
    assert_eq!(
        open_dues(&f.tm, template.id)?,
        ["2026-11-26", "2026-12-03", "2026-12-10"]
    );
    let changes = capture::parse_changes(&capture::lex("every:daily"), &f.tm.time())?;
    f.tm.update(template.id, &changes)?;
    let dues = open_dues(&f.tm, template.id)?;
    assert_eq!(
        dues.len(),
        15,
        "every day from today to two weeks ahead: {dues:?}"
    );
    let mut unique = dues.clone();
    unique.dedup();
    assert_eq!(unique, dues);
    Ok(())
}
