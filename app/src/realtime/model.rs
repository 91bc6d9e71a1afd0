//! The messages of the live connection.

use crate::auth::model::Person;
use crate::event::model::{Event, EventId};
use crate::launch::LaunchId;
use serde::{Deserialize, Serialize};

/// Most events a reconnecting client is sent before it is told to reload instead.
pub const MAX_REPLAY: u64 = 1_000;

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
    /// The client missed too much (or fell behind): reload the page.
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
