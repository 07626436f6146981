//! Every metric against numbers worked out by hand on a small, fixed set of tasks.
//!
//! Today is Thursday 2026-11-26, 12:00 UTC; a 30-day range starts on Wednesday 2026-10-28.
//!
//! | task | category | added | started | closed | due | notes |
//! |---|---|---|---|---|---|---|
//! | 1 | Work | Nov 1 09:00 | Nov 2 09:00 | done Nov 5 09:00 | Nov 6 | est 2h, spent 3h |
//! | 2 | Work | Nov 10 00:00 | | done Nov 20 00:00 | Nov 15 | 4 days late |
//! | 3 | Home | Nov 20 12:00 | Nov 21 12:00 | done Nov 22 12:00 | | est 1h, spent 30m |
//! | 4 | Home | Oct 27 12:00 | | open | Nov 20 | overdue |
//! | 5 | Work | Nov 24 12:00 | Nov 25 12:00 | open | | |
//! | 6 | | Nov 22 00:00 | | deleted Nov 23 00:00 | | |
//! | 7 | Work | Aug 30 00:00 | | done Sep 1 00:00 | | before the range |
//! | 10 | | template of "Stretch" | | | | |
//! | 23–26 | | occurrences Nov 23–26, each added at 00:00, due that day | | 23, 24 done at 08:00; 25 deleted; 26 open | | |

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::domain::{Status, TaskId, TimeContext};

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

fn time() -> TimeContext {
    TimeContext::new(at(11, 26, 12), chrono_tz::UTC)
}

fn task(id: u64, category: Option<&str>, created: DateTime<Utc>) -> ReportTask {
    ReportTask {
        id: TaskId(id),
        title: format!("Task {id}"),
        category: category.map(std::sync::Arc::from),
        status: Status::Pending,
        created,
        started: None,
        closed: None,
        deadline: None,
        estimate: None,
        spent: 0,
        instance_of: None,
        template: false,
    }
}

fn done(mut t: ReportTask, when: DateTime<Utc>) -> ReportTask {
    t.status = Status::Completed;
    t.closed = Some(when);
    t
}

fn tasks() -> Vec<ReportTask> {
    let mut t1 = done(task(1, Some("Work"), at(11, 1, 9)), at(11, 5, 9));
    t1.started = Some(at(11, 2, 9));
    t1.deadline = Some(at(11, 7, 0));
    t1.estimate = Some(2 * 3600);
    t1.spent = 3 * 3600;
    let mut t2 = done(task(2, Some("Work"), at(11, 10, 0)), at(11, 20, 0));
    t2.deadline = Some(at(11, 16, 0));
    let mut t3 = done(task(3, Some("Home"), at(11, 20, 12)), at(11, 22, 12));
    t3.started = Some(at(11, 21, 12));
    t3.estimate = Some(3600);
    t3.spent = 1800;
    let mut t4 = task(4, Some("Home"), at(10, 27, 12));
    t4.deadline = Some(at(11, 21, 0));
    let mut t5 = task(5, Some("Work"), at(11, 24, 12));
    t5.started = Some(at(11, 25, 12));
    let mut t6 = task(6, None, at(11, 22, 0));
    t6.status = Status::Deleted;
    t6.closed = Some(at(11, 23, 0));
    let t7 = done(task(7, Some("Work"), at(8, 30, 0)), at(9, 1, 0));
    let mut template = task(10, None, at(11, 23, 0));
    template.title = "Stretch".into();
    template.template = true;
    let mut out = vec![t1, t2, t3, t4, t5, t6, t7, template];
    for day in 23..=26 {
        let mut instance = task(u64::from(day), None, at(11, day, 0));
        instance.instance_of = Some((TaskId(10), at(11, day, 0)));
        instance.deadline = Some(at(11, day + 1, 0));
        match day {
            23 | 24 => instance = done(instance, at(11, day, 8)),
            25 => {
                instance.status = Status::Deleted;
                instance.closed = Some(at(11, 25, 9));
            }
            _ => {}
        }
        out.push(instance);
    }
    out
}

fn month() -> Range {
    Range { days: Some(30) }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn throughput_counts_completions_per_day_in_the_range() {
    let t = throughput(&tasks(), month(), &time());
    assert_eq!(t.period, Period::Day);
    assert_eq!(t.periods.len(), 30);
    assert_eq!(t.periods[0].start.to_string(), "2026-10-28");
    assert_eq!(
        t.total, 5,
        "1, 2, 3 and the instances of Nov 23 and 24; not 7 (September)"
    );
    let on = |d: &str| {
        t.periods
            .iter()
            .find(|p| p.start.to_string() == d)
            .map(|p| p.completed)
    };
    assert_eq!(on("2026-11-05"), Some(1));
    assert_eq!(on("2026-11-22"), Some(1));
    assert_eq!(on("2026-11-26"), Some(0));
    assert!(close(t.mean, 5.0 / 30.0));
    assert_eq!(t.trend.direction, "rising", "all five in the second half");
    let weekly = throughput(&tasks(), Range { days: Some(90) }, &time());
    assert_eq!(weekly.period, Period::Week);
    assert_eq!(
        weekly.total, 6,
        "90 days reach back to Aug 29: 7 counts too"
    );
}

#[test]
fn lead_and_cycle_times_per_category() {
    let lead = times(&tasks(), month(), TimesKind::Lead, &time());
    let row = |r: &Times, c: &str| r.rows.iter().find(|x| x.category == c).cloned();
    let work = row(&lead, "Work").unwrap_or_else(|| panic!("no Work row"));
    assert_eq!(work.tasks, 2);
    assert!(
        close(work.median_days, 4.0) && close(work.p90_days, 10.0) && close(work.mean_days, 7.0)
    );
    let none = row(&lead, "(none)").unwrap_or_else(|| panic!("no (none) row"));
    assert!(
        close(none.median_days, 1.0 / 3.0),
        "instances: added 00:00, done 08:00"
    );
    let all = row(&lead, "All").unwrap_or_else(|| panic!("no All row"));
    assert_eq!(all.tasks, 5);
    assert!(close(all.median_days, 2.0) && close(all.p90_days, 10.0));
    assert!(close(all.mean_days, (2.0 / 3.0 + 2.0 + 4.0 + 10.0) / 5.0));
    let histogram: Vec<u64> = lead.histogram.iter().map(|(_, n)| *n).collect();
    assert_eq!(histogram, [0, 2, 1, 1, 1, 0, 0, 0]);
    let cycle = times(&tasks(), month(), TimesKind::Cycle, &time());
    let all = row(&cycle, "All").unwrap_or_else(|| panic!("no All row"));
    assert_eq!(all.tasks, 2, "only started tasks have a cycle time");
    assert!(close(all.median_days, 1.0) && close(all.p90_days, 3.0));
    assert_eq!(lead.table().rows.len(), 4);
}

#[test]
fn summary_per_category_with_the_on_time_rate() {
    let s = summary(&tasks(), month(), &time());
    assert_eq!((s.open, s.overdue, s.done), (3, 1, 5));
    assert!(
        s.on_time_rate.is_some_and(|r| close(r, 0.75)),
        "1 and both instances on time, 2 late"
    );
    let names: Vec<&str> = s.categories.iter().map(|c| c.category.as_str()).collect();
    assert_eq!(names, ["(none)", "Home", "Work"]);
    let home = &s.categories[1];
    assert_eq!((home.open, home.overdue, home.done), (1, 1, 1));
    assert!(close(home.average_age_days, 30.0) && close(home.complete, 0.5));
    let work = &s.categories[2];
    assert_eq!((work.open, work.done), (1, 2));
    assert!(
        close(work.complete, 0.75),
        "three done ever (7 too), one open"
    );
    let oldest: Vec<u64> = s.oldest.iter().map(|t| t.id).collect();
    assert_eq!(oldest, [4, 5, 26]);
}

#[test]
fn overdue_tasks_and_lateness() {
    let o = overdue(&tasks(), month(), &time());
    assert_eq!(o.tasks.len(), 1);
    assert_eq!(o.tasks[0].id, 4);
    assert!(close(o.tasks[0].days_late, 5.5));
    assert_eq!((o.on_time, o.late), (3, 1));
    assert!(o.median_days_late.is_some_and(|d| close(d, 4.0)));
}

#[test]
fn burndown_and_flow_at_the_end_of_each_day() {
    let f = flow(&tasks(), month(), &time());
    assert_eq!(f.days.len(), 30);
    let day = |d: &str| {
        f.days
            .iter()
            .find(|x| x.day.to_string() == d)
            .map(|x| (x.pending, x.started, x.done))
    };
    assert_eq!(day("2026-10-28"), Some((1, 0, 0)), "only 4 is open");
    assert_eq!(day("2026-11-01"), Some((2, 0, 0)));
    assert_eq!(day("2026-11-02"), Some((1, 1, 0)), "1 started");
    assert_eq!(day("2026-11-05"), Some((1, 0, 1)), "1 done");
    assert_eq!(day("2026-11-22"), Some((2, 0, 3)), "6 added; 3 done");
    assert_eq!(
        day("2026-11-23"),
        Some((1, 0, 4)),
        "6 deleted; an instance done"
    );
    assert_eq!(
        day("2026-11-26"),
        Some((2, 1, 5)),
        "4, today's instance, and 5 started"
    );
    assert_eq!(f.days.last().map(FlowDay::remaining), Some(3));
    assert_eq!(f.period_ends.len(), 30);
}

#[test]
fn recurring_series_rate_and_streaks() {
    let series = recurring(&tasks(), month(), &time());
    assert_eq!(series.len(), 1);
    let s = &series[0];
    assert_eq!(
        (s.template, s.title.as_str(), s.instances),
        (10, "Stretch", 4)
    );
    assert_eq!(
        (
            s.streak.current,
            s.streak.best,
            s.streak.done,
            s.streak.over
        ),
        (0, 2, 2, 3)
    );
    assert!(s.completion_rate.is_some_and(|r| close(r, 2.0 / 3.0)));
}

#[test]
fn estimates_against_tracked_time() {
    let e = estimates(&tasks(), month(), &time());
    let ratios: Vec<(String, Option<f64>)> = e
        .categories
        .iter()
        .map(|c| (c.category.clone(), c.ratio))
        .collect();
    assert_eq!(
        ratios,
        [
            ("Home".to_string(), Some(0.5)),
            ("Work".to_string(), Some(1.5))
        ]
    );
    assert_eq!(e.all.tasks, 2);
    assert!(close(e.all.estimated_hours, 3.0) && close(e.all.actual_hours, 3.5));
}

#[test]
fn every_report_builds_and_an_empty_range_says_so() {
    for (name, _) in REPORTS {
        let report = Report::build(name, &tasks(), month(), &time())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let table = report.table();
        assert_eq!(table.columns.len(), table.numeric.len(), "{name}");
        assert!(
            table.rows.iter().all(|r| r.len() == table.columns.len()),
            "{name}"
        );
        let window = Window::new(month(), &tasks(), &time());
        let json = report.json(&window);
        assert!(json.is_object(), "{name}");
        assert_eq!(json["range"]["days"], 30, "{name}: {json}");
        assert_eq!(json["range"]["asked"], "30d", "{name}");
    }
    let nothing =
        Report::build("estimates", &[], month(), &time()).unwrap_or_else(|e| panic!("{e}"));
    assert!(nothing.table().text().contains("(nothing in this range)"));
}
