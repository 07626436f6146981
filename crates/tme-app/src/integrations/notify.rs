//! Reminders and events sent to a webhook as Slack-compatible JSON (`{"text": …}`). The URL
//! comes from `TME_WEBHOOK_URL` only, never from the config file, and is never logged.

use std::time::Duration;

use serde_json::{Value, json};

use super::said::Said;
use crate::config::Config;
use crate::domain::capitalized;
use crate::engine::{Change, ChangeObserver, ReminderKind, TaskManager};

/// How many times a message is tried, and the pause before each retry.
const TRIES: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_millis(300),
    Duration::from_secs(1),
];

/// How long one command may spend on the webhook in all, however many messages it has: a slow
/// or unreachable webhook delays a command by this much at most (what is not sent is tried
/// again by a later one).
const BUDGET: Duration = Duration::from_secs(5);

/// The time a command has left for the webhook, counted from its first message.
#[derive(Debug, Default)]
pub struct Budget(std::sync::Mutex<Option<std::time::Instant>>);

impl Budget {
    /// The whole budget again, for the next command (the TUI makes many in one run).
    pub fn renew(&self) {
        if let Ok(mut started) = self.0.lock() {
            *started = None;
        }
    }

    /// What is left (zero once spent).
    fn left(&self) -> Duration {
        let Ok(mut started) = self.0.lock() else {
            return Duration::ZERO;
        };
        let started = started.get_or_insert_with(std::time::Instant::now);
        BUDGET.saturating_sub(started.elapsed())
    }
}

/// Posts `payload` to `url`, trying again on failure, within what is left of `budget`; the
/// last error if every try failed or the time ran out.
pub fn post(url: &str, payload: &Value, budget: &Budget) -> Result<(), String> {
    let mut last = "the webhook took too long this time".to_string();
    for pause in TRIES {
        if budget.left() <= pause {
            break;
        }
        std::thread::sleep(pause);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(budget.left().min(Duration::from_secs(10))))
            .build()
            .into();
        let body = payload.to_string();
        match agent
            .post(url)
            .header("content-type", "application/json")
            .send(body.as_str())
        {
            Ok(_) => return Ok(()),
            Err(e) => {
                // Never the URL: it holds the webhook's secret.
                last = match e {
                    ureq::Error::StatusCode(code) => format!("the webhook answered {code}"),
                    other => format!("the webhook could not be reached ({})", kind_of(&other)),
                };
            }
        }
    }
    Err(last)
}

fn kind_of(error: &ureq::Error) -> &'static str {
    match error {
        ureq::Error::Io(_) | ureq::Error::ConnectionFailed => "connection failed",
        ureq::Error::Timeout(_) => "timed out",
        ureq::Error::HostNotFound => "host not found",
        _ => "request failed",
    }
}

/// Sends the reminders that are due and not sent yet, and remembers the ones that went.
/// Problems are told to `said`, never fatal; what failed is tried again next time.
pub fn remind(tm: &TaskManager, config: &Config, said: &Said, budget: &Budget) {
    let Some(url) = &config.webhook_url else {
        return;
    };
    let pending =
        match tm.pending_reminders(config.notify_due_soon.value, config.notify_overdue.value) {
            Ok(pending) => pending,
            Err(e) => {
                said.say(format!("tme: warning: reminders not worked out: {e}"));
                return;
            }
        };
    let tz = tm.time().tz;
    let mut sent = Vec::new();
    for reminder in pending {
        let what = match reminder.kind {
            ReminderKind::DueSoon => "Due soon",
            ReminderKind::Overdue => "Overdue",
        };
        let text = format!(
            "{what}: '{}' (task {}), due {}",
            reminder.title,
            reminder.id,
            reminder.due.display(tz)
        );
        let payload = json!({"text": text, "tme": {"kind": what, "id": reminder.id.0, "uuid": reminder.uuid.to_string()}});
        match post(url, &payload, budget) {
            Ok(()) => sent.push(reminder),
            Err(e) => {
                said.say(format!("tme: warning: a reminder was not sent: {e}"));
                break;
            }
        }
    }
    if let Err(e) = tm.mark_reminded(&sent) {
        said.say(format!("tme: warning: sent reminders not recorded: {e}"));
    }
}

/// Tells the webhook about the changes the config lists (`notify.events`).
pub struct EventNotifier {
    url: String,
    events: Vec<String>,
    said: Said,
    budget: std::sync::Arc<Budget>,
}

impl EventNotifier {
    /// A notifier for `config`, if it has a webhook and events to send; what goes wrong is
    /// told to `said`, and it posts within the run's `budget`.
    pub fn for_config(
        config: &Config,
        said: Said,
        budget: std::sync::Arc<Budget>,
    ) -> Option<EventNotifier> {
        let url = config.webhook_url.clone()?;
        let events: Vec<String> = config
            .notify_events
            .value
            .iter()
            .map(|e| e.to_lowercase())
            .collect();
        (!events.is_empty()).then_some(EventNotifier {
            url,
            events,
            said,
            budget,
        })
    }
}

impl ChangeObserver for EventNotifier {
    fn committed(&self, changes: &[Change]) {
        for change in changes {
            let event = change.op.as_str();
            let named = match event {
                "start" | "stop" | "annotate" => "modify",
                other => other,
            };
            if !self
                .events
                .iter()
                .any(|e| e == named || (e == "done" && named == "complete"))
            {
                continue;
            }
            let text = format!(
                "{}: '{}' (task {})",
                capitalized(event),
                change.task.title,
                change.task.id
            );
            let payload = json!({"text": text, "tme": {"event": event, "id": change.task.id.0, "uuid": change.task.uuid.to_string()}});
            if let Err(e) = post(&self.url, &payload, &self.budget) {
                self.said.say(format!(
                    "tme: warning: the {event} of task {} was not sent: {e}",
                    change.task.id
                ));
            }
        }
    }
}
