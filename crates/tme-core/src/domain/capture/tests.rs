use super::*;
use crate::domain::{AttrValue, Category};
use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

/// Thursday 2026-11-26 09:30 in Berlin.
fn ctx() -> TimeContext {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 8, 30, 0).single();
    TimeContext::new(now.unwrap_or_default(), chrono_tz::Europe::Berlin)
}

fn day(y: i32, m: u32, d: u32) -> When {
    When::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn add(text: &str) -> Result<NewTask, CaptureError> {
    parse_new_task(&lex(text), &ctx())
}

fn modify(text: &str) -> Result<TaskChanges, CaptureError> {
    parse_changes(&lex(text), &ctx())
}

fn filter(text: &str) -> Result<Filter, CaptureError> {
    parse_filter(&lex(text), &ctx())
}

fn message(result: Result<impl std::fmt::Debug, CaptureError>) -> String {
    result.err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn the_readme_example() -> Result<(), CaptureError> {
    let task = add("Pay rent #Finance due:eom every:monthly pri:H +bills est:30m")?;
    assert_eq!(task.title, "Pay rent");
    assert_eq!(task.category.map(|c| c.to_string()), Some("Finance".into()));
    assert_eq!(task.due, Some(day(2026, 11, 30)));
    assert_eq!(task.recurrence.map(|r| r.to_string()), Some("eom".into()));
    assert_eq!(task.priority, Some(Priority::High));
    assert_eq!(task.tags.len(), 1);
    assert_eq!(task.estimate, Some(Duration::from_secs(1800)));
    Ok(())
}

#[test]
fn unknown_fields_stay_in_the_title() -> Result<(), CaptureError> {
    assert_eq!(add("Meet at 10:30")?.title, "Meet at 10:30");
    assert_eq!(
        add("Read https://example.org re:thing")?.title,
        "Read https://example.org re:thing"
    );
    assert_eq!(add("Fix issue #42 +1")?.title, "Fix issue #42 +1");
    assert_eq!(add("Compile with -Wall")?.title, "Compile with -Wall");
    Ok(())
}

#[test]
fn quotes_keep_tokens_in_the_title() -> Result<(), CaptureError> {
    let task = add(r##"Buy "#2 pencils" '+more' due:"next monday""##)?;
    assert_eq!(task.title, "Buy #2 pencils +more");
    assert_eq!(task.due, Some(day(2026, 11, 30)));
    Ok(())
}

#[test]
fn date_phrases_may_span_words() -> Result<(), CaptureError> {
    assert_eq!(
        add("Plan due:next monday now")?.due,
        Some(day(2026, 11, 30))
    );
    assert_eq!(add("Plan due:in 2 weeks")?.due, Some(day(2026, 12, 10)));
    let timed = add("Call due:fri 14:00 about contract")?;
    assert_eq!(timed.title, "Call about contract");
    assert_eq!(
        timed.due.map(|d| d.capture_form(ctx().tz)),
        Some("2026-11-27T14:00".into())
    );
    assert_eq!(add("Send due:mon 2 copies")?.title, "Send 2 copies");
    Ok(())
}

#[test]
fn bad_values_name_the_token_and_the_right_form() {
    let text = message(add("Pay due:fryday"));
    assert!(
        text.starts_with("due:fryday: the due date 'fryday' is not a date"),
        "{text}"
    );
    assert!(text.contains("'friday' (2026-11-27)"), "{text}");
    let text = message(add("Pay pri:X"));
    assert_eq!(
        text,
        "pri:X: 'X' is not a priority; use pri:H, pri:M or pri:L"
    );
    assert!(message(add("x est:90")).contains("est:90m"));
    assert!(
        message(add("x every:sometimes"))
            .starts_with("every:sometimes: 'sometimes' is not a recurrence")
    );
    assert!(message(add("x dep:abc")).starts_with("dep:abc:"));
    assert!(message(add("x dep:zz:4")).contains("'zz' is not a dependency kind"));
    assert!(message(add("x parent:1,2")).contains("one parent"));
    assert!(message(add("x cat:Work..A")).contains("empty part"));
    assert!(message(add("x status:done")).contains("only works in filters"));
    assert!(message(filter("every:daily")).contains("cannot be used in a filter"));
    assert!(message(filter("status:finished")).contains("'finished' is not a status"));
}

#[test]
fn titles_are_checked() {
    assert!(matches!(
        add("due:today +x"),
        Err(CaptureError::MissingTitle(_))
    ));
    assert!(matches!(add(""), Err(CaptureError::MissingTitle(_))));
    let long = "a".repeat(crate::domain::MAX_TITLE_LEN + 1);
    assert!(message(add(&long)).contains("the title is 1001 characters long; the limit is 1000"));
    assert!(message(add("bad \u{1b}[31m")).contains("control character (U+001B)"));
    assert!(modify("desc:\"two\nlines\"").is_ok());
}

#[test]
fn modify_clears_and_removes() -> Result<(), CaptureError> {
    let changes = modify("-errand due: pri: cat: every: est: type: parent:")?;
    assert_eq!(changes.remove_tags.len(), 1);
    assert_eq!(changes.due, Some(None));
    assert_eq!(changes.priority, Some(None));
    assert_eq!(changes.category, Some(None));
    assert_eq!(changes.recurrence, Some(None));
    assert_eq!(changes.estimate, Some(None));
    assert_eq!(changes.task_type, Some(None));
    assert_eq!(changes.parent, Some(None));
    assert_eq!(changes.title, None);
    assert_eq!(modify("New words +x")?.title, Some("New words".into()));
    Ok(())
}

#[test]
fn dependencies_have_kinds() -> Result<(), CaptureError> {
    let task = add("x dep:3,4 dep:ss:5 dep:rel:6")?;
    let kinds: Vec<(u64, DepKind)> = task.depends.iter().map(|d| (d.on.0, d.kind)).collect();
    assert_eq!(
        kinds,
        [
            (3, DepKind::FinishToStart),
            (4, DepKind::FinishToStart),
            (5, DepKind::StartToStart),
            (6, DepKind::Relates)
        ]
    );
    Ok(())
}

#[test]
fn filters() -> Result<(), CaptureError> {
    let f = filter("#Work +urgent -later pri:H due.before:eow report")?;
    assert_eq!(f.category, Some(Category::parse("Work").ok()));
    assert_eq!(f.tags.len(), 1);
    assert_eq!(f.without_tags.len(), 1);
    assert_eq!(f.priority, Some(Some(Priority::High)));
    assert_eq!(f.due_before, Some(day(2026, 11, 29)));
    assert_eq!(f.words, ["report"]);
    assert_eq!(f.status, StatusFilter::Actionable);

    let ids = filter("3 5-7,9")?;
    assert_eq!(
        ids.ids.iter().map(|i| i.0).collect::<Vec<_>>(),
        [3, 5, 6, 7, 9]
    );
    assert_eq!(ids.status, StatusFilter::Any);
    assert!(filter("1-100000").is_err());
    assert_eq!(filter("\"42\"")?.words, ["42"]);

    assert_eq!(filter("status:all")?.status, StatusFilter::Any);
    assert_eq!(
        filter("status:open")?.status,
        StatusFilter::Only(vec![Status::Pending, Status::Started, Status::Waiting])
    );
    assert_eq!(filter("due:")?.due, Some(None));
    assert_eq!(filter("cat:none")?.category, Some(None));
    Ok(())
}

#[test]
fn arguments_and_text_mean_the_same() -> Result<(), CaptureError> {
    let from_args = parse_new_task(
        &tokens_from_args(&["Pay", "rent", "#Finance", "due:eom"]),
        &ctx(),
    )?;
    let from_one = parse_new_task(&tokens_from_args(&["Pay rent #Finance due:eom"]), &ctx())?;
    let from_shell_quoted_value =
        parse_new_task(&tokens_from_args(&["Plan", "due:next monday"]), &ctx())?;
    assert_eq!(from_args, from_one);
    assert_eq!(from_shell_quoted_value.due, Some(day(2026, 11, 30)));
    Ok(())
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,8}",
        "[#+\\-][a-z]{1,5}",
        "[a-z]{1,4}:[a-z0-9]{0,4}",
        "[0-9]{1,3}",
        "[\"'][a-z ]{0,4}",
        "\\PC{1,6}",
    ]
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        (0i64..3000).prop_map(|d| When::Day(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default() + chrono::Duration::days(d)
        )),
        (0i64..3_000_000).prop_map(|m| When::At(
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default()
                + chrono::Duration::minutes(m)
        )),
    ]
}

fn rule() -> impl Strategy<Value = RecurrenceRule> {
    prop::sample::select(vec![
        "daily", "2w", "+3d", "mon,fri", "last fri", "2nd tue", "15th", "weekday",
    ])
    .prop_filter_map("valid rule", |r| RecurrenceRule::parse(r).ok())
}

fn tag() -> impl Strategy<Value = Tag> {
    "[a-z][a-z0-9_-]{0,6}".prop_filter_map("valid tag", |t| Tag::parse(&t).ok())
}

fn changes() -> impl Strategy<Value = TaskChanges> {
    let title = prop::option::of(prop::collection::vec(word(), 1..6));
    let category = prop::option::of(prop::option::of(
        "[A-Z][a-z]{0,5}(\\.[A-Z][a-z]{0,5})?"
            .prop_filter_map("category", |c| Category::parse(&c).ok()),
    ));
    let dates = (
        prop::option::of(prop::option::of(when())),
        prop::option::of(prop::option::of(when())),
        prop::option::of(prop::option::of(when())),
        prop::option::of(prop::option::of(when())),
    );
    let misc = (
        prop::option::of(prop::option::of(prop::sample::select(vec![
            Priority::High,
            Priority::Medium,
            Priority::Low,
        ]))),
        prop::option::of(prop::option::of(rule())),
        prop::option::of(prop::option::of(
            (0u64..1_000_000).prop_map(Duration::from_secs),
        )),
        prop::collection::vec(
            (
                1u64..500,
                prop::sample::select(vec![
                    DepKind::FinishToStart,
                    DepKind::StartToStart,
                    DepKind::FinishToFinish,
                    DepKind::Relates,
                ]),
            )
                .prop_map(|(id, kind)| Dependency {
                    on: TaskId(id),
                    kind,
                }),
            0..4,
        ),
        prop::option::of(prop::option::of((1u64..500).prop_map(TaskId))),
        prop::option::of(prop::option::of("[a-z]{1,6}")),
        prop::option::of("\\PC{0,12}(\n\\PC{0,5})?"),
    );
    (
        title,
        category,
        prop::collection::vec(tag(), 0..3),
        prop::collection::vec(tag(), 0..3),
        dates,
        misc,
    )
        .prop_map(
            |(title, category, add_tags, remove_tags, (due, scheduled, wait, until), misc)| {
                let (
                    priority,
                    recurrence,
                    estimate,
                    mut add_depends,
                    parent,
                    task_type,
                    description,
                ) = misc;
                // Dependencies are written grouped by kind, so compare them in that order.
                add_depends.sort_by_key(|d| d.kind);
                let title = title
                    .map(|words| {
                        words
                            .join(" ")
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .filter(|t| !t.is_empty() && !t.chars().any(char::is_control));
                TaskChanges {
                    title,
                    description,
                    category,
                    add_tags,
                    remove_tags,
                    priority,
                    due,
                    scheduled,
                    wait,
                    until,
                    recurrence,
                    estimate,
                    add_depends,
                    remove_depends: Vec::new(),
                    parent,
                    task_type,
                    attrs: std::collections::BTreeMap::<String, Option<AttrValue>>::new(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_token_round_trips(original in changes()) {
        let text = format_changes(&original, ctx().tz);
        let parsed = parse_changes(&lex(&text), &ctx());
        prop_assert_eq!(parsed, Ok(original), "text: {}", text);
    }

    #[test]
    fn the_parsers_never_panic(text in "\\PC{0,60}") {
        let tokens = lex(&text);
        let _ = parse_new_task(&tokens, &ctx());
        let _ = parse_changes(&tokens, &ctx());
        let _ = parse_filter(&tokens, &ctx());
    }

    #[test]
    fn unknown_key_value_words_stay_in_the_title(key in "[a-z]{2,6}", value in "[a-z0-9]{1,5}") {
        prop_assume!(!matches!(classify(&Token::plain(format!("{key}:{value}"))), Word::Field { .. }));
        let task = add(&format!("Do {key}:{value} now"));
        prop_assert_eq!(task.map(|t| t.title), Ok(format!("Do {key}:{value} now")));
    }
}

#[test]
fn a_monthly_rule_due_at_the_end_of_the_month_keeps_to_month_ends() {
    let tz = chrono_tz::UTC;
    let rule = |input: &str| {
        add(input)
            .ok()
            .and_then(|t| t.recurrence)
            .map(|r| r.describe(None, None, tz))
    };
    assert_eq!(
        rule("Pay rent due:eom every:monthly").as_deref(),
        Some("every last day of the month")
    );
    assert_eq!(
        rule("Pay rent due:2026-11-30 every:monthly").as_deref(),
        Some("every month"),
        "an explicit date means that day of the month"
    );
    assert_eq!(
        rule("Review sched:eom due:+3d every:2m").as_deref(),
        Some("every 2 months"),
        "only a plain monthly rule"
    );
}

#[test]
fn a_rule_split_by_the_shell_is_read_whole() -> Result<(), CaptureError> {
    // `tme add Review goals every:"2nd tue"` reaches TME as the argument `every:2nd tue`.
    let task = parse_new_task(
        &tokens_from_args(&["Review goals", "every:2nd tue"]),
        &ctx(),
    )?;
    assert_eq!(task.title, "Review goals");
    assert_eq!(
        task.recurrence.map(|r| r.to_string()).as_deref(),
        Some("2nd tue")
    );
    let task = add("Standup every:weekday Monday notes")?;
    assert_eq!(
        task.title, "Standup Monday notes",
        "words that do not extend the rule stay"
    );
    let task = add("Pay every:last day due:eom")?;
    assert_eq!(
        task.recurrence.map(|r| r.to_string()).as_deref(),
        Some("eom")
    );
    Ok(())
}
