//! The messages of the live connection.

use crate::auth::model::Person;
use crate::error::AppError;
use crate::event::model::{Event, EventId};
use crate::launch::LaunchId;
use serde::{Deserialize, Serialize};

/// Most events a reconnecting client is sent before it is told to reload instead.
pub const MAX_REPLAY: u64 = 1_000;

/// Reads a resume id (SSE's `Last-Event-ID`, the socket's `?after=`): the id of the last event
/// the client saw, a non-negative integer; blank means "from now". Anything else is a 400.
pub fn parse_resume_id(raw: &str) -> Result<Option<EventId>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(id) if id >= 0 => Ok(Some(EventId(id))),
        _ => Err(AppError::bad_request(format!(
            "The resume id must be the id of an event (a whole number of 0 or more), not {:?}.",
            raw.chars().take(40).collect::<String>()
        ))),
    }
}

/// The answer to a resume id the event log has not reached (an id from another Flare's log,
/// from before a restore, or made up): a 409 naming the newest event, whose `current` is
/// `{"last_event_id": newest}`. Waiting would never deliver anything, so the client resumes
/// from an id up to the newest (or from now) and reloads its state through the REST API.
pub fn ahead_of_log(asked: EventId, newest: EventId) -> AppError {
    AppError::conflict(
        format!(
            "Cannot resume after event {asked}: it is ahead of the event log, whose newest event \
             is {newest}. Resume from an id up to {newest} (or from now) and reload through the \
             REST API."
        ),
        Some(serde_json::json!({ "last_event_id": newest })),
    )
}

/// The answer to a client that missed more than a replay carries: a 409 (SSE) or a reload
/// message (WebSocket).
pub fn missed_too_much() -> AppError {
    AppError::conflict(
        format!(
            "Cannot resume: more than {MAX_REPLAY} events were missed (the limit is \
             {MAX_REPLAY}). Reload through the REST API."
        ),
        None,
    )
}

/// Server → browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The connection is live; `last_event_id` is where the stream now stands.
    Hello { last_event_id: EventId },
    /// One committed event.
    Event { event: Event },
    /// Who is looking at a launch's board right now.
    Presence {
        launch_id: LaunchId,
        viewers: Vec<Person>,
    },
    /// The client missed too much, fell behind, or asked to resume after an event the log
    /// has not reached (`ahead_of_log`): reload the page. The socket closes after it.
    Reload { reason: String },
}

/// Browser → server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The page now shows this launch's board (or none).
    Viewing { launch_id: Option<LaunchId> },
}

/// The live connection as the page shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConnState {
    /// Not started (server rendering, or before the page is live).
    #[default]
    Idle,
    Connecting,
    Live,
    /// Lost; trying again with back-off.
    Reconnecting,
}

/// Reconnect delay for the n-th attempt: exponential from half a second up to 30 s, scaled by
/// `jitter` in [0, 1) to between 50% and 100% so a restarted server is not stampeded.
pub fn backoff_ms(attempt: u32, jitter: f64) -> u32 {
    let base = 500f64 * 2f64.powi(attempt.min(6) as i32);
    let capped = base.min(30_000.0);
    (capped * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_grows_and_is_capped_with_jitter() {
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(0, 1.0), 500);
        assert_eq!(backoff_ms(3, 1.0), 4_000);
        assert_eq!(backoff_ms(20, 1.0), 30_000);
        assert_eq!(backoff_ms(20, 0.0), 15_000);
        assert!(backoff_ms(2, 0.3) < backoff_ms(2, 0.9));
    }

    #[test]
    fn resume_ids_are_whole_numbers_or_blank() {
        assert_eq!(parse_resume_id("0").unwrap(), Some(EventId(0)));
        assert_eq!(parse_resume_id(" 42 ").unwrap(), Some(EventId(42)));
        assert_eq!(parse_resume_id("").unwrap(), None);
        for bad in ["abc", "-1", "1.5", "1e3", "99999999999999999999999"] {
            let err = parse_resume_id(bad).unwrap_err();
            assert!(matches!(err, AppError::BadRequest { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn an_id_ahead_of_the_log_is_a_conflict_naming_the_newest_event() {
        let AppError::Conflict { message, current } = ahead_of_log(EventId(90), EventId(12)) else {
            panic!("not a conflict");
        };
        assert!(
            message.contains("ahead") && message.contains("12"),
            "{message}"
        );
        assert_eq!(current, Some(serde_json::json!({"last_event_id": 12})));
    }

    #[test]
    fn messages_are_tagged() {
        let json = serde_json::to_value(ServerMessage::Reload {
            reason: "gap".into(),
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({"t": "reload", "reason": "gap"}));
        let viewing: ClientMessage =
            serde_json::from_str(r#"{"t":"viewing","launch_id":3}"#).unwrap();
        assert_eq!(
            viewing,
            ClientMessage::Viewing {
                launch_id: Some(LaunchId(3))
            }
        );
    }
}
