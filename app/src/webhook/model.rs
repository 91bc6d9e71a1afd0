//! Webhook wire types, what a new webhook must be, which events a webhook may carry, and
//! the retry schedule.

use crate::error::FieldErrors;
use crate::event::model::Event;
use crate::launch::LaunchId;
use crate::validate::Checker;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The body a webhook receives: the Event JSON, or Slack's `{text, blocks}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookFormat {
    Json,
    Slack,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Slack => "slack",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Json, Self::Slack]
            .into_iter()
            .find(|f| f.as_str() == value)
    }
}

/// A webhook as the API lists it (never with its secret).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    /// Event kinds (`escalation.moved`), or `*` for every event a webhook may carry.
    pub events: Vec<String>,
    pub launch_id: Option<LaunchId>,
    pub format: WebhookFormat,
    pub created_at: DateTime<Utc>,
    /// Since when the event at the head of its queue has failed (none: healthy).
    pub failing_since: Option<DateTime<Utc>>,
    /// When the next retry is due, while failing.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/webhooks` → 201: the webhook and its signing secret, shown only here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub launch_id: Option<LaunchId>,
    pub format: WebhookFormat,
    /// The HMAC-SHA256 key of `X-Flare-Signature`, as UTF-8 bytes.
    pub secret: String,
}

/// One attempt to deliver an event (or a test) to a webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    /// `None` for a test delivery.
    pub event_id: Option<i64>,
    pub attempt: i32,
    pub at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// `delivered`, `failed` (retried) or `gave_up` (after 24 hours of failures).
    pub outcome: String,
}

/// `POST /api/v1/webhooks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookRequest {
    /// An `http` or `https` URL.
    pub url: Option<String>,
    /// Event kinds, or `["*"]` (the default) for all.
    pub events: Option<Vec<String>>,
    pub launch_id: Option<i64>,
    /// `json` (the default) or `slack`.
    pub format: Option<String>,
}

/// A webhook request that passed the checks the browser can make too; the service checks
/// the URL's address (`service::address`) and the launch.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidWebhook {
    pub url: String,
    pub events: Vec<String>,
    pub launch_id: Option<LaunchId>,
    pub format: WebhookFormat,
}

/// Kinds a webhook never carries, whatever it asks for: what is addressed to one person.
const PRIVATE_KINDS: [&str; 2] = ["notification.created", "notifications.read"];

impl WebhookRequest {
    pub fn validate(&self) -> Result<ValidWebhook, FieldErrors> {
        let mut check = Checker::default();
        let url = self.url.as_deref().unwrap_or_default().trim().to_string();
        if url.is_empty() {
            check.fail("url", "is required");
        } else if !(url.starts_with("http://") || url.starts_with("https://")) {
            check.fail("url", "must be an http or https URL");
        } else if url.chars().count() > 2000 {
            check.fail("url", "must be at most 2000 characters");
        } else {
            check.line("url", &url);
        }
        let mut events: Vec<String> = self
            .events
            .clone()
            .unwrap_or_else(|| vec!["*".into()])
            .into_iter()
            .map(|e| e.trim().to_string())
            .collect();
        events.sort();
        events.dedup();
        if events.is_empty() {
            check.fail("events", "must name at least one event kind, or \"*\"");
        }
        for kind in &events {
            if PRIVATE_KINDS.contains(&kind.as_str()) {
                check.fail(
                    "events",
                    format!("`{kind}` is addressed to one person and is never sent"),
                );
            } else if kind != "*" && !crate::event::change::Change::KINDS.contains(&kind.as_str()) {
                check.fail("events", format!("`{kind}` is not an event kind"));
            }
        }
        let format = match self.format.as_deref().map(str::trim) {
            None | Some("") => WebhookFormat::Json,
            Some(f) => WebhookFormat::parse(f).unwrap_or_else(|| {
                check.fail("format", "must be json or slack");
                WebhookFormat::Json
            }),
        };
        check.finish(ValidWebhook {
            url,
            events,
            launch_id: self.launch_id.map(LaunchId),
            format,
        })
    }
}

/// Whether a webhook may carry `event` at all: never what is addressed to one person, nor
/// the account and token records of the audit log.
pub fn may_carry(event: &Event) -> bool {
    event.recipient().is_none()
        && !event.is_about_accounts()
        && !PRIVATE_KINDS.contains(&event.kind.as_str())
}

/// Whether a webhook wanting `events` (on `launch`, if any) gets `event`.
pub fn wants(events: &[String], launch: Option<LaunchId>, event: &Event) -> bool {
    may_carry(event)
        && launch.is_none_or(|l| event.launch_id == Some(l))
        && events.iter().any(|k| k == "*" || *k == event.kind)
}

/// How long to wait after the `attempts`-th failure in a row: the first three retries
/// within a minute (2 s, 10 s, 30 s), then 1, 2 and 5 minutes, then every 10 minutes.
pub fn retry_after(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::seconds(2),
        2 => Duration::seconds(10),
        3 => Duration::seconds(30),
        4 => Duration::minutes(1),
        5 => Duration::minutes(2),
        6 => Duration::minutes(5),
        _ => Duration::minutes(10),
    }
}

/// An event that has failed for this long is given up (logged as `gave_up`) and the queue
/// moves on.
pub fn give_up_after() -> Duration {
    Duration::hours(24)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, events: &[&str], format: &str) -> WebhookRequest {
        WebhookRequest {
            url: Some(url.into()),
            events: Some(events.iter().map(|e| e.to_string()).collect()),
            launch_id: None,
            format: Some(format.into()),
        }
    }

    #[test]
    fn a_webhook_needs_an_http_url_known_kinds_and_a_known_format() {
        let good = request(
            " https://hooks.example.com/x ",
            &["escalation.moved", "*"],
            "slack",
        )
        .validate()
        .unwrap();
        assert_eq!(good.url, "https://hooks.example.com/x");
        assert_eq!(good.events, ["*", "escalation.moved"]);
        assert_eq!(good.format, WebhookFormat::Slack);
        let errors = request("ftp://x", &["escalation.exploded"], "xml")
            .validate()
            .unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["events", "format", "url"]
        );
        let private = request("https://x.example", &["notification.created"], "json")
            .validate()
            .unwrap_err();
        assert!(private["events"].contains("addressed to one person"));
        let defaulted = WebhookRequest {
            url: Some("http://x.example".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(defaulted.events, ["*"]);
        assert_eq!(defaulted.format, WebhookFormat::Json);
    }

    #[test]
    fn retries_start_within_seconds_and_back_off_to_ten_minutes() {
        let first_three: Duration = (1..=3).map(retry_after).sum();
        assert!(first_three <= Duration::seconds(60));
        assert!(retry_after(1) <= Duration::seconds(2));
        let mut last = Duration::zero();
        for attempt in 1..40 {
            let wait = retry_after(attempt);
            assert!(wait >= last && wait <= Duration::minutes(10));
            last = wait;
        }
        assert_eq!(last, Duration::minutes(10));
    }
}
