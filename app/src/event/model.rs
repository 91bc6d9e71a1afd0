//! Event wire types (DESIGN.md's Event JSON).

use crate::auth::model::{Actor, UserId};
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct EventId(pub i64);

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who made a change, as recorded at the time (names may change later; the log does not).
/// `id` is null for Flare's own scheduled checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventActor {
    pub id: Option<UserId>,
    pub name: String,
    pub email: String,
}

impl EventActor {
    /// Flare itself (scheduled checks, re-escalations).
    pub fn system() -> Self {
        Self {
            id: None,
            name: "Flare".into(),
            email: String::new(),
        }
    }
}

impl From<&Actor> for EventActor {
    fn from(actor: &Actor) -> Self {
        Self {
            id: Some(actor.id),
            name: actor.name.clone(),
            email: actor.email.clone(),
        }
    }
}

/// One committed change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: EventId,
    pub at: DateTime<Utc>,
    pub actor: EventActor,
    /// What kind of thing changed: `launch`, `escalation`, `user`, …
    pub entity: String,
    pub entity_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_id: Option<EscalationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_id: Option<LaunchId>,
    /// `escalation.created`, `escalation.moved`, …
    pub kind: String,
    /// The changed fields, or the text written.
    pub payload: serde_json::Value,
}

impl Event {
    /// Events addressed to one person (notifications) carry `payload.recipient_id`; everyone
    /// signed in may see every other event, since every role may read every launch.
    pub fn recipient(&self) -> Option<UserId> {
        self.payload
            .get("recipient_id")
            .and_then(serde_json::Value::as_i64)
            .map(UserId)
    }

    pub fn visible_to(&self, actor: &Actor) -> bool {
        self.recipient().is_none_or(|to| to == actor.id)
    }
}

/// Filters of the audit page and `GET /api/v1/events`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventFilter {
    pub entity: Option<String>,
    pub actor_id: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Show events older than this id (paging backwards).
    pub before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::Role;

    fn actor(id: i64) -> Actor {
        Actor {
            id: UserId(id),
            email: format!("u{id}@example.com"),
            name: format!("U{id}"),
            role: Role::Viewer,
        }
    }

    fn event(payload: serde_json::Value) -> Event {
        Event {
            id: EventId(1),
            at: DateTime::UNIX_EPOCH,
            actor: EventActor::system(),
            entity: "notification".into(),
            entity_id: 1,
            escalation_id: None,
            launch_id: None,
            kind: "notification.created".into(),
            payload,
        }
    }

    #[test]
    fn notifications_are_seen_only_by_their_recipient() {
        let note = event(serde_json::json!({"recipient_id": 7}));
        assert!(note.visible_to(&actor(7)));
        assert!(!note.visible_to(&actor(8)));
        assert!(event(serde_json::json!({"stage": "triaged"})).visible_to(&actor(8)));
    }

    #[test]
    fn the_wire_shape_matches_the_design() {
        let json = serde_json::to_value(event(serde_json::json!({}))).unwrap();
        let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "actor",
                "at",
                "entity",
                "entity_id",
                "id",
                "kind",
                "payload"
            ]
        );
        assert_eq!(json["actor"]["id"], serde_json::Value::Null);
    }
}
