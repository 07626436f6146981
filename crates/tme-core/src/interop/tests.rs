//! Every reader takes any text without panicking: whatever is wrong with it becomes a message.

use proptest::prelude::*;

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:a\r\nSUMMARY:Call\\, now\r\n\
DTSTART;TZID=Europe/Berlin:20261201T090000\r\nDUE;VALUE=DATE:20261202\r\n\
RRULE:FREQ=WEEKLY;UNTIL=20270101\r\nCATEGORIES:Work,x\r\nPRIORITY:5\r\nEND:VTODO\r\n\
BEGIN:VEVENT\r\nSUMMARY:Meet\r\nDTSTART:20261201T090000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

const JSON: &str = r#"{"id":3,"uuid":"11111111-1111-4111-8111-111111111111","title":"Write","status":"started","due":"2026-12-01","depends":[{"id":2,"uuid":"22222222-2222-4222-8222-222222222222","kind":"ss"}],"recurrence":{"template":2,"template_uuid":"33333333-3333-4333-8333-333333333333","occurrence":"2026-12-01T09:00:00+01:00"},"attrs":{"n":1.5},"tracking":{"since":"2026-11-26T09:00:00Z","spent_before":60}}"#;

const TASKWARRIOR: &str = r#"{"uuid":"11111111-1111-4111-8111-111111111111","description":"Pay","status":"recurring","recur":"3wks","due":"20261201T090000Z","depends":"22222222-2222-4222-8222-222222222222","annotations":[{"entry":"20261121T090000Z","description":"x"}]}"#;

/// `text` with the characters from `at` on replaced by `with`: a file cut short or spoiled.
fn spoiled(text: &str, at: usize, with: &str) -> String {
    let at = text
        .char_indices()
        .map(|(i, _)| i)
        .nth(at % text.chars().count().max(1))
        .unwrap_or(0);
    format!(
        "{}{with}{}",
        &text[..at],
        &text[at..]
            .chars()
            .skip(with.chars().count())
            .collect::<String>()
    )
}

proptest! {
    #[test]
    fn any_text_is_read_or_refused(text in "\\PC{0,200}", at in 0usize..400, with in "[\\PC\\r\\n]{0,6}") {
        let now = chrono::DateTime::UNIX_EPOCH;
        let tz = chrono_tz::Europe::Berlin;
        for text in [text.clone(), spoiled(CALENDAR, at, &with)] {
            let _ = super::ics::read(&text, now, tz);
        }
        for text in [text.clone(), spoiled(JSON, at, &with)] {
            let _ = super::json::read(vec![Ok(text.as_str())], &Default::default(), now);
        }
        for text in [text.clone(), spoiled(TASKWARRIOR, at, &with)] {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                let _ = super::taskwarrior::from_taskwarrior(&value, now, tz);
            }
        }
        for line in [text.as_str(), "x 2026-11-20 2026-11-12 (A) Buy +Home @errand due:2026-11-30"] {
            let _ = super::todotxt::from_line(&spoiled(line, at, &with), now, tz);
            let _ = super::todotxt::from_line(line, now, tz);
        }
    }
}

#[test]
fn the_samples_are_read_whole() {
    // The property above spoils these; whole, each reads.
    let now = chrono::DateTime::UNIX_EPOCH;
    let tz = chrono_tz::Europe::Berlin;
    let calendar = super::ics::read(CALENDAR, now, tz);
    assert!(calendar.is_ok_and(|c| c.records.iter().all(Result::is_ok) && c.records.len() == 2));
    let json = super::json::read(vec![Ok(JSON)], &Default::default(), now);
    assert!(json[0].is_ok(), "{json:?}");
    let value: Result<serde_json::Value, _> = serde_json::from_str(TASKWARRIOR);
    assert!(value.is_ok_and(|v| super::taskwarrior::from_taskwarrior(&v, now, tz).is_ok()));
}
