use chrono::{NaiveDate, NaiveDateTime, Timelike};
use proptest::prelude::*;

use super::*;

fn day(y: i32, m: u32, d: u32) -> When {
    When::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn local(tz: Tz, text: &str) -> When {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default();
    When::At(local_to_utc(naive, tz))
}

fn rule(text: &str) -> RecurrenceRule {
    RecurrenceRule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn series(text: &str, start: When, until: Option<When>, tz: Tz) -> Series {
    Series::new(rule(text), start, until, tz).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The first `n` occurrences, shown in the series' zone.
fn first(s: &Series, n: usize, tz: Tz) -> Vec<String> {
    s.occurrences().take(n).map(|o| o.display(tz)).collect()
}

const NY: Tz = chrono_tz::America::New_York;
const BERLIN: Tz = chrono_tz::Europe::Berlin;

// Examples from RFC 5545 section 3.8.5.3, in the forms TME accepts. The RFC starts them on
// 1997-09-02 09:00 America/New_York.

#[test]
fn rfc_daily_for_ten_occurrences() {
    let s = series(
        "FREQ=DAILY;COUNT=10",
        local(NY, "1997-09-02 09:00"),
        None,
        NY,
    );
    let got = first(&s, 20, NY);
    assert_eq!(got.len(), 10);
    assert_eq!(got[0], "1997-09-02 09:00");
    assert_eq!(got[9], "1997-09-11 09:00");
}

#[test]
fn rfc_every_other_day() {
    let s = series("2d", local(NY, "1997-09-02 09:00"), None, NY);
    assert_eq!(
        first(&s, 3, NY),
        ["1997-09-02 09:00", "1997-09-04 09:00", "1997-09-06 09:00"]
    );
}

#[test]
fn rfc_weekly_until_keeps_local_time_over_the_fall_change() {
    // Weekly until 1997-12-24: the clocks went back on 1997-10-26, the meeting stays at 09:00.
    let s = series(
        "weekly",
        local(NY, "1997-09-02 09:00"),
        Some(day(1997, 12, 24)),
        NY,
    );
    let got = first(&s, 30, NY);
    assert_eq!(got.len(), 17);
    assert_eq!(got.last().map(String::as_str), Some("1997-12-23 09:00"));
    assert!(got.iter().all(|o| o.ends_with("09:00")));
}

#[test]
fn rfc_tuesday_and_thursday_for_five_weeks() {
    let s = series(
        "tue,thu",
        local(NY, "1997-09-02 09:00"),
        Some(day(1997, 10, 6)),
        NY,
    );
    assert_eq!(
        first(&s, 20, NY),
        [
            "1997-09-02 09:00",
            "1997-09-04 09:00",
            "1997-09-09 09:00",
            "1997-09-11 09:00",
            "1997-09-16 09:00",
            "1997-09-18 09:00",
            "1997-09-23 09:00",
            "1997-09-25 09:00",
            "1997-09-30 09:00",
            "1997-10-02 09:00",
        ]
    );
}

#[test]
fn rfc_every_other_week_on_monday_wednesday_friday() {
    let s = series(
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=MO,WE,FR",
        local(NY, "1997-09-01 09:00"),
        // The RFC ends at 1997-12-24T00:00Z; TME's until is a whole day, inclusive.
        Some(day(1997, 12, 23)),
        NY,
    );
    let got = first(&s, 40, NY);
    assert_eq!(got.len(), 25);
    assert_eq!(
        got[..4],
        [
            "1997-09-01 09:00",
            "1997-09-03 09:00",
            "1997-09-05 09:00",
            "1997-09-15 09:00"
        ]
    );
    assert_eq!(got.last().map(String::as_str), Some("1997-12-22 09:00"));
}

#[test]
fn rfc_monthly_on_the_first_friday() {
    let s = series("1st fri", local(NY, "1997-09-05 09:00"), None, NY);
    assert_eq!(
        first(&s, 5, NY),
        [
            "1997-09-05 09:00",
            "1997-10-03 09:00",
            "1997-11-07 09:00",
            "1997-12-05 09:00",
            "1998-01-02 09:00",
        ]
    );
}

#[test]
fn rfc_monthly_on_the_second_to_last_monday() {
    let s = series(
        "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        local(NY, "1997-09-22 09:00"),
        None,
        NY,
    );
    assert_eq!(
        first(&s, 10, NY),
        [
            "1997-09-22 09:00",
            "1997-10-20 09:00",
            "1997-11-17 09:00",
            "1997-12-22 09:00",
            "1998-01-19 09:00",
            "1998-02-16 09:00",
        ]
    );
}

#[test]
fn rfc_last_friday_and_the_last_day_of_the_month() {
    let fridays = series("last fri", day(1997, 9, 2), None, NY);
    assert_eq!(
        first(&fridays, 3, NY),
        ["1997-09-26", "1997-10-31", "1997-11-28"]
    );
    let month_ends = series("eom", day(1997, 9, 2), None, NY);
    assert_eq!(
        first(&month_ends, 4, NY),
        ["1997-09-30", "1997-10-31", "1997-11-30", "1997-12-31"]
    );
}

#[test]
fn rfc_invalid_dates_are_ignored() {
    // "Monthly on the 15th and 30th, 5 times": February has no 30th.
    let s = series(
        "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
        local(NY, "2007-01-15 09:00"),
        None,
        NY,
    );
    assert_eq!(
        first(&s, 10, NY),
        [
            "2007-01-15 09:00",
            "2007-01-30 09:00",
            "2007-02-15 09:00",
            "2007-03-15 09:00",
            "2007-03-30 09:00",
        ]
    );
}

#[test]
fn rfc_the_last_work_day_of_the_month() {
    let s = series(
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        day(2026, 11, 1),
        None,
        NY,
    );
    assert_eq!(first(&s, 3, NY), ["2026-11-30", "2026-12-31", "2027-01-29"]);
}

#[test]
fn monthly_on_the_31st_skips_short_months() {
    for text in ["monthly", "31st"] {
        let s = series(text, day(2026, 1, 31), None, chrono_tz::UTC);
        assert_eq!(
            first(&s, 4, chrono_tz::UTC),
            ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"],
            "{text}"
        );
    }
}

#[test]
fn yearly_on_february_29_skips_common_years() {
    let s = series("yearly", day(2028, 2, 29), None, chrono_tz::UTC);
    assert_eq!(
        first(&s, 3, chrono_tz::UTC),
        ["2028-02-29", "2032-02-29", "2036-02-29"]
    );
    // The rule can say otherwise: the last day of February every year.
    let s = series(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1",
        day(2028, 2, 29),
        None,
        chrono_tz::UTC,
    );
    assert_eq!(first(&s, 2, chrono_tz::UTC), ["2028-02-29", "2029-02-28"]);
}

/// Daily at a wall-clock time across both daylight-saving changes of a zone in a year.
fn assert_daily_keeps_wall_clock(tz: Tz, spring: (i32, u32, u32), fall: (i32, u32, u32)) {
    for (y, m, d) in [spring, fall] {
        let start = NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.pred_opt())
            .and_then(|d| d.pred_opt())
            .unwrap_or_default();
        let s = series("daily", local(tz, &format!("{start} 09:30")), None, tz);
        let got: Vec<When> = s.occurrences().take(5).collect();
        for o in &got {
            let When::At(at) = o else {
                panic!("a timed series yields moments")
            };
            let wall = at.with_timezone(&tz);
            assert_eq!((wall.hour(), wall.minute()), (9, 30), "{tz} {wall}");
        }
        // Across the change the gap between two occurrences is 23 or 25 hours.
        let gaps: Vec<i64> = got
            .windows(2)
            .map(|w| (w[1].start(tz) - w[0].start(tz)).num_hours())
            .collect();
        assert!(gaps.contains(&23) || gaps.contains(&25), "{tz} {gaps:?}");
    }
}

#[test]
fn new_york_wall_clock_holds_across_2026_and_2027() {
    assert_daily_keeps_wall_clock(NY, (2026, 3, 8), (2026, 11, 1));
    assert_daily_keeps_wall_clock(NY, (2027, 3, 14), (2027, 11, 7));
}

#[test]
fn berlin_wall_clock_holds_across_2026_and_2027() {
    assert_daily_keeps_wall_clock(BERLIN, (2026, 3, 29), (2026, 10, 25));
    assert_daily_keeps_wall_clock(BERLIN, (2027, 3, 28), (2027, 10, 31));
}

#[test]
fn a_time_in_the_spring_gap_moves_forward_that_day_only() {
    let s = series("weekly", local(BERLIN, "2026-03-22 02:30"), None, BERLIN);
    assert_eq!(
        first(&s, 3, BERLIN),
        ["2026-03-22 02:30", "2026-03-29 03:30", "2026-04-05 02:30"]
    );
    let s = series("daily", local(NY, "2027-03-13 02:30"), None, NY);
    assert_eq!(
        first(&s, 3, NY),
        ["2027-03-13 02:30", "2027-03-14 03:30", "2027-03-15 02:30"]
    );
}

#[test]
fn whole_day_series_ignore_the_zone() {
    let s = series("weekday", day(2026, 10, 23), None, NY);
    assert_eq!(first(&s, 3, NY), ["2026-10-23", "2026-10-26", "2026-10-27"]);
}

#[test]
fn counting_from_completion_keeps_the_time_of_day() {
    let s = series("+2w", local(BERLIN, "2026-10-20 08:00"), None, BERLIN);
    assert_eq!(
        first(&s, 5, BERLIN),
        ["2026-10-20 08:00"],
        "only the start is fixed"
    );
    let done = local(BERLIN, "2026-10-21 17:45").start(BERLIN);
    assert_eq!(
        s.after_completion(done).map(|o| o.display(BERLIN)),
        Some("2026-11-04 08:00".to_string()),
        "two weeks after the day it was done, at the usual time, across the change to winter time"
    );
    let monthly = series("+1m", day(2026, 1, 31), Some(day(2026, 3, 1)), BERLIN);
    let jan31 = local(BERLIN, "2026-01-31 12:00").start(BERLIN);
    assert_eq!(monthly.after_completion(jan31), Some(day(2026, 2, 28)));
    let feb28 = local(BERLIN, "2026-02-28 12:00").start(BERLIN);
    assert_eq!(monthly.after_completion(feb28), None, "past the end");
}

#[test]
fn instance_dates_follow_the_start() {
    // Scheduled Monday 09:00, due two hours later: each week keeps the two hours, across the
    // change back to winter time.
    let start = local(BERLIN, "2026-10-19 09:00");
    let s = series("weekly", start, None, BERLIN);
    let due = local(BERLIN, "2026-10-19 11:00");
    let next = local(BERLIN, "2026-10-26 09:00");
    assert_eq!(s.carry(due, next).display(BERLIN), "2026-10-26 11:00");
    assert_eq!(s.carry(start, next), next);
    // A whole-day due date three days after a whole-day start.
    let s = series("monthly", day(2026, 11, 25), None, BERLIN);
    assert_eq!(
        s.carry(day(2026, 11, 28), day(2026, 12, 25)),
        day(2026, 12, 28)
    );
    // A timed wait the evening before a whole-day start.
    let wait = local(BERLIN, "2026-11-24 18:00");
    assert_eq!(
        s.carry(wait, day(2026, 12, 25)).display(BERLIN),
        "2026-12-24 18:00"
    );
}

#[test]
fn in_words() {
    let tz = chrono_tz::UTC;
    let cases = [
        ("daily", day(2026, 11, 26), None, "every day"),
        ("2w", day(2026, 11, 26), None, "every 2 weeks on Thursday"),
        (
            "monthly",
            day(2026, 11, 30),
            None,
            "every month on the 30th",
        ),
        (
            "yearly",
            day(2028, 2, 29),
            None,
            "every year on 29 February",
        ),
        ("weekday", day(2026, 11, 26), None, "every weekday"),
        (
            "mon,wed,fri",
            day(2026, 11, 26),
            None,
            "every Monday, Wednesday and Friday",
        ),
        (
            "2nd tue",
            day(2026, 11, 26),
            Some(day(2027, 6, 30)),
            "every 2nd Tuesday until 2027-06-30",
        ),
        ("last fri", day(2026, 11, 26), None, "every last Friday"),
        ("15th", day(2026, 11, 26), None, "every 15th of the month"),
        (
            "eom",
            day(2026, 11, 26),
            None,
            "every last day of the month",
        ),
        (
            "+2w",
            day(2026, 11, 26),
            None,
            "2 weeks after each completion",
        ),
        (
            "+1d",
            day(2026, 11, 26),
            None,
            "1 day after each completion",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
            day(2026, 11, 26),
            None,
            "every 2 months on Tuesday",
        ),
        (
            "FREQ=YEARLY;BYMONTH=6,7;BYDAY=-1FR;COUNT=4",
            day(2026, 11, 26),
            None,
            "every year on the last Friday in June and July, 4 times",
        ),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            day(2026, 11, 26),
            None,
            "every month on Monday, Tuesday, Wednesday, Thursday and Friday, only the last of those",
        ),
    ];
    for (text, start, until, words) in cases {
        assert_eq!(series(text, start, until, tz).describe(), words, "{text}");
    }
    let timed = series("weekly", local(NY, "2026-11-30 09:00"), None, NY);
    assert_eq!(timed.describe(), "every week on Monday at 09:00");
}

#[test]
fn keys_are_zone_free_and_map_back() {
    let s = series("daily", day(2026, 11, 26), None, NY);
    let key = Series::key(day(2026, 11, 26));
    assert_eq!(key.to_rfc3339(), "2026-11-26T00:00:00+00:00");
    assert_eq!(s.occurrence_of_key(key), day(2026, 11, 26));
    let timed = series("daily", local(NY, "2026-11-26 09:00"), None, NY);
    let at = local(NY, "2026-11-27 09:00");
    assert_eq!(timed.occurrence_of_key(Series::key(at)), at);
}

#[test]
fn occurrences_after_a_point_skip_everything_up_to_it() {
    let s = series("daily", day(2026, 11, 1), None, chrono_tz::UTC);
    let after: Vec<When> = s
        .occurrences_after(Some(day(2026, 11, 25)))
        .take(2)
        .collect();
    assert_eq!(after, [day(2026, 11, 26), day(2026, 11, 27)]);
}

#[test]
fn a_rule_that_never_matches_ends_quietly() {
    let s = series(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        day(2026, 1, 1),
        None,
        chrono_tz::UTC,
    );
    assert_eq!(s.occurrences().count(), 0);
}

fn rule_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..40, prop::sample::select(vec!['d', 'w', 'm', 'y']))
            .prop_map(|(n, u)| format!("{n}{u}")),
        Just("weekday".to_string()),
        prop::sample::subsequence(vec!["mon", "tue", "wed", "thu", "fri", "sat", "sun"], 1..=7)
            .prop_map(|days| days.join(",")),
        (
            prop::sample::select(vec!["1st", "2nd", "3rd", "4th", "5th", "last"]),
            prop::sample::select(vec!["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
        )
            .prop_map(|(n, d)| format!("{n} {d}")),
        (1u32..=31).prop_map(|d| format!("{d}{}", super::super::ordinal_suffix(d))),
        Just("eom".to_string()),
        Just("FREQ=MONTHLY;BYDAY=MO,FR;BYSETPOS=1,-1".to_string()),
        Just("FREQ=HOURLY;INTERVAL=7".to_string()),
    ]
}

fn start_and_zone() -> impl Strategy<Value = (When, Tz)> {
    let zones = vec![
        chrono_tz::UTC,
        NY,
        BERLIN,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Asia::Kolkata,
    ];
    (
        prop::sample::select(zones),
        0i64..3650,
        prop::option::of(0u32..(24 * 60)),
    )
        .prop_map(|(tz, days, minute)| {
            let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default()
                + chrono::Duration::days(days);
            let when = match minute {
                None => When::Day(date),
                Some(m) => {
                    let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(m * 60, 0)
                        .unwrap_or_default();
                    When::At(local_to_utc(date.and_time(time), tz))
                }
            };
            (when, tz)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Occurrences are strictly increasing (so unique), never before the start, and never past
    /// the end of the series.
    #[test]
    fn occurrences_increase_and_stay_within_bounds(
        text in rule_text(),
        (start, tz) in start_and_zone(),
        until_days in prop::option::of(0i64..800),
    ) {
        let until = until_days.map(|d| When::Day(start.local_date(tz) + chrono::Duration::days(d)));
        let s = series(&text, start, until, tz);
        let got: Vec<When> = s.occurrences().take(60).collect();
        for pair in got.windows(2) {
            prop_assert!(pair[0].start(tz) < pair[1].start(tz), "{text}: {:?}", pair);
        }
        for o in &got {
            prop_assert!(o.start(tz) >= start.start(tz) || o.local_date(tz) >= start.local_date(tz), "{text}: {o:?} before {start:?}");
            if let Some(When::Day(last)) = until {
                prop_assert!(o.local_date(tz) <= last, "{text}: {o:?} after {last}");
            }
        }
        // Starting after any occurrence continues the same sequence.
        if let Some(middle) = got.get(got.len() / 2) {
            let rest: Vec<When> = s.occurrences_after(Some(*middle)).take(5).collect();
            let expected: Vec<When> = got.iter().skip(got.len() / 2 + 1).take(5).copied().collect();
            prop_assert_eq!(rest, expected);
        }
    }
}

#[test]
fn a_series_ends_with_the_calendar() {
    // Past 9999-12-31 no format can write a date; a series without an end stops there.
    let tz = chrono_tz::Europe::Berlin;
    let daily = series("daily", day(9999, 12, 30), None, tz);
    assert_eq!(first(&daily, 5, tz), ["9999-12-30", "9999-12-31"]);
    let after = daily.after_completion(day(9999, 12, 31).start(tz));
    assert_eq!(after, None, "nothing follows the last day");
    let done_then = series("+3d", day(9999, 12, 29), None, tz);
    assert_eq!(
        done_then.after_completion(day(9999, 12, 29).start(tz)),
        None
    );
}
