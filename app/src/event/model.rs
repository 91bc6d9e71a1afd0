//! Event wire types (DESIGN.md's Event JSON).

use super::change::{Addressed, ApiTokenCreated, ApiTokenRevoked, Change, Payload, UserCreated};
use crate::auth::model::{Actor, Permission, UserId};
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
    /// This event's payload as `P`, when it is of `P`'s kind and decodes. Decodes only `P`
    /// (the browser's way to read one kind).
    pub fn payload_as<P: Payload>(&self) -> Option<P> {
        if self.kind != P::KIND {
            return None;
        }
        P::deserialize(&self.payload).ok()
    }

    /// The change this event records; an error for a kind `Change` does not know or a
    /// payload that does not decode as its kind's (the server's way to read any kind).
    pub fn change(&self) -> Result<Change, serde_json::Error> {
        Change::from_parts(&self.kind, &self.payload)
    }

    /// Events addressed to one person (notifications) carry `payload.recipient_id`.
    pub fn recipient(&self) -> Option<UserId> {
        if !Addressed::KINDS.contains(&self.kind.as_str()) {
            return None;
        }
        Addressed::deserialize(&self.payload)
            .ok()
            .map(|a| a.recipient_id)
    }

    /// False when the event is addressed to someone else (timelines and the audit log apply
    /// this; the live doors apply `may_see`, which includes it).
    pub fn visible_to(&self, actor: &Actor) -> bool {
        self.recipient().is_none_or(|to| to == actor.id)
    }

    /// Whether this event is about an account or an API token (`user.*`, `api_token.*`):
    /// records that belong to the audit log, not to the launches every role reads.
    pub fn is_about_accounts(&self) -> bool {
        let kind_entity = self.kind.split('.').next().unwrap_or_default();
        ACCOUNT_ENTITIES.contains(&self.entity.as_str()) || ACCOUNT_ENTITIES.contains(&kind_entity)
    }

    /// The person an account event is about: the user of a `user.*` event, the owner of the
    /// token of an `api_token.*` event when its payload names them (`user_id`).
    pub fn concerns(&self) -> Option<UserId> {
        match self.entity.as_str() {
            "user" => Some(UserId(self.entity_id)),
            "api_token" => match self.kind.as_str() {
                ApiTokenCreated::KIND => self.payload_as::<ApiTokenCreated>().map(|p| p.user_id),
                ApiTokenRevoked::KIND => self.payload_as::<ApiTokenRevoked>().map(|p| p.user_id),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Entities whose events are about accounts and tokens (only admins read users' roles and
/// every token; see `may_see`).
pub const ACCOUNT_ENTITIES: [&str; 2] = ["user", "api_token"];

/// Entities every role reads through the REST API and the pages (`Permission::Read`), so
/// their events may go to everyone signed in (notifications still only to their recipient).
const READ_BY_EVERY_ROLE: [&str; 14] = [
    "launch",
    "cadence",
    "raci_template",
    "escalation",
    "update",
    "decision",
    "decision_request",
    "meeting",
    "action_item",
    "postmortem",
    "raci",
    "rotation",
    "runbook",
    "notification",
];

/// The one rule of the live doors (the WebSocket and `GET /api/v1/stream`, live and replayed):
/// whether `actor` may be sent `event`. Each caller gets exactly what its role reads
/// elsewhere: events addressed to someone only to them; events about accounts and API
/// tokens only to admins and to the person they concern; events of the launches' entities
/// to everyone; anything else (an entity this list does not know) only to those who read the
/// audit log (facilitators and admins), as `/audit` shows it to them.
pub fn may_see(actor: &Actor, event: &Event) -> bool {
    if !event.visible_to(actor) {
        return false;
    }
    if event.is_about_accounts() {
        return actor.can(Permission::Administer) || event.concerns() == Some(actor.id);
    }
    actor.can(Permission::ViewAudit) || READ_BY_EVERY_ROLE.contains(&event.entity.as_str())
}

/// Whether `event` changes what `actor` may read: a change to their own account (role,
/// disabled, password) or a revoked token of theirs. A live door that was opened with the
/// old account sends it and then closes, so the caller reconnects as who it is now.
pub fn ends_access(actor: &Actor, event: &Event) -> bool {
    event.is_about_accounts()
        && event.kind != UserCreated::KIND
        && event.kind != ApiTokenCreated::KIND
        && event.concerns() == Some(actor.id)
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

impl EventFilter {
    /// The entity is one line without control characters and the bounds fall in the years
    /// 1970–9999: a filter PostgreSQL cannot even compare is a 422 naming it, never a 500.
    pub fn validate(&self) -> Result<(), crate::error::FieldErrors> {
        let mut check = crate::validate::Checker::default();
        if let Some(entity) = &self.entity {
            check.line("entity", entity);
        }
        for (field, at) in [("since", self.since), ("until", self.until)] {
            if let Some(at) = at {
                check.in_range(field, at);
            }
        }
        check.finish(())
    }
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

    fn with_role(id: i64, role: Role) -> Actor {
        Actor { role, ..actor(id) }
    }

    fn change(entity: &str, entity_id: i64, kind: &str, payload: serde_json::Value) -> Event {
        Event {
            entity: entity.into(),
            entity_id,
            kind: kind.into(),
            payload,
            ..event(serde_json::json!({}))
        }
    }

    #[test]
    fn account_events_go_only_to_admins_and_the_person_concerned() {
        let created = change(
            "user",
            7,
            "user.created",
            serde_json::json!({"email": "u7@example.com", "role": "viewer"}),
        );
        let role = change(
            "user",
            7,
            "user.role_changed",
            serde_json::json!({"role": "member"}),
        );
        let token = change(
            "api_token",
            40,
            "api_token.created",
            serde_json::json!({"user_id": 7, "label": "ci"}),
        );
        let revoked = change("api_token", 40, "api_token.revoked", serde_json::json!({}));
        for e in [&created, &role, &token, &revoked] {
            assert!(may_see(&with_role(1, Role::Admin), e), "{}", e.kind);
            for r in [
                Role::Viewer,
                Role::Executive,
                Role::Member,
                Role::Facilitator,
            ] {
                assert!(!may_see(&with_role(8, r), e), "{r:?} saw {}", e.kind);
            }
        }
        for e in [&created, &role, &token] {
            assert!(may_see(&with_role(7, Role::Viewer), e), "own {}", e.kind);
        }
        // A revocation that does not name the owner goes to admins only.
        assert!(!may_see(&with_role(7, Role::Viewer), &revoked));
        // The kind alone is enough to mark an account event.
        let odd = change("account", 9, "user.password_changed", serde_json::json!({}));
        assert!(!may_see(&with_role(8, Role::Facilitator), &odd));
    }

    #[test]
    fn every_role_sees_the_launches_entities_and_audit_readers_everything_else() {
        for role in Role::ALL {
            for (entity, kind) in [
                ("launch", "launch.created"),
                ("escalation", "escalation.moved"),
                ("decision", "decision.recorded"),
                ("runbook", "runbook.updated"),
            ] {
                let e = change(entity, 1, kind, serde_json::json!({}));
                assert!(may_see(&with_role(8, role), &e), "{role:?} {kind}");
            }
            let unknown = change("webhook", 1, "webhook.created", serde_json::json!({}));
            assert_eq!(
                may_see(&with_role(8, role), &unknown),
                matches!(role, Role::Facilitator | Role::Admin),
                "{role:?} reads what /audit shows it"
            );
        }
        // Notifications stay with their recipient, admins included.
        let note = event(serde_json::json!({"recipient_id": 7}));
        assert!(may_see(&with_role(7, Role::Viewer), &note));
        assert!(!may_see(&with_role(8, Role::Admin), &note));
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
