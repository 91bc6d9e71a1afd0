//! The round trip of every event kind through its `{kind, payload}` JSON, and the pinned
//! field names of each kind's payload.

mod samples;

use super::*;
use samples::*;
use serde_json::json;

/// Each kind's string and its payload's field names, sorted: a renamed kind or field fails.
/// The match is exhaustive, so a new variant does not compile without its row here.
fn pinned(change: &Change) -> (&'static str, &'static [&'static str]) {
    match change {
        Change::EscalationCreated(_) => (
            "escalation.created",
            &[
                "deadline",
                "description",
                "impact",
                "owner_id",
                "priority",
                "stage",
                "tier",
                "title",
                "trigger",
                "version",
            ],
        ),
        Change::EscalationMoved(_) => (
            "escalation.moved",
            &[
                "acknowledged_at",
                "from",
                "outcome",
                "reason",
                "risk_posture",
                "stage",
                "version",
            ],
        ),
        Change::EscalationUpdated(_) => (
            "escalation.updated",
            &[
                "deadline",
                "description",
                "impact",
                "owner_id",
                "priority",
                "tier",
                "title",
                "trigger",
                "version",
            ],
        ),
        Change::EscalationWorkaroundSet(_) => (
            "escalation.workaround_set",
            &["expires_at", "root_cause_item_id", "version", "workaround"],
        ),
        Change::EscalationReescalated(_) => (
            "escalation.reescalated",
            &["priority", "reason", "tier", "version"],
        ),
        Change::UpdatePosted(_) => (
            "update.posted",
            &["at", "decision_required", "impact", "mitigation", "problem"],
        ),
        Change::DecisionRequestOpened(_) => (
            "decision_request.opened",
            &["addressed_to", "due_at", "question"],
        ),
        Change::DecisionRequestStalled(_) => {
            ("decision_request.stalled", &["addressed_to", "due_at"])
        }
        Change::DecisionRecorded(_) => (
            "decision.recorded",
            &[
                "corrects_id",
                "decision",
                "meeting_id",
                "participants",
                "rationale",
                "request_id",
            ],
        ),
        Change::MeetingCalled(_) => (
            "meeting.called",
            &["agenda", "participants", "request_id", "starts_at"],
        ),
        Change::CriterionSaved(_) => (
            "criterion.saved",
            &[
                "auto_escalate",
                "breach_tier",
                "breach_trigger",
                "kind",
                "metric",
                "name",
                "rule",
                "version",
            ],
        ),
        Change::CriterionRetired(_) => ("criterion.retired", &["name", "version"]),
        Change::CriterionBreached(_) => (
            "criterion.breached",
            &["escalation_id", "name", "rule", "value"],
        ),
        Change::CriterionRecovered(_) => {
            ("criterion.recovered", &["escalation_id", "name", "value"])
        }
        Change::MetricsRecorded(_) => ("metrics.recorded", &["metrics", "samples"]),
        Change::ActionItemCreated(_) => {
            ("action_item.created", &["due", "kind", "owner_id", "title"])
        }
        Change::ActionItemUpdated(_) => (
            "action_item.updated",
            &["done", "due", "owner_id", "title", "version"],
        ),
        Change::ActionItemDone(_) => ("action_item.done", &["done", "version"]),
        Change::ActionItemReopened(_) => ("action_item.reopened", &["done", "version"]),
        Change::LaunchCreated(_) => (
            "launch.created",
            &[
                "description",
                "lead_id",
                "name",
                "sponsor_id",
                "status",
                "target_date",
            ],
        ),
        Change::LaunchUpdated(_) => (
            "launch.updated",
            &[
                "description",
                "lead_id",
                "name",
                "sponsor_id",
                "status",
                "target_date",
                "version",
            ],
        ),
        Change::LaunchAuthorityChanged(_) => ("launch.authority_changed", &["before", "user_ids"]),
        Change::PostmortemSaved(_) => (
            "postmortem.saved",
            &["approvals_reset", "sections", "status", "version"],
        ),
        Change::PostmortemSubmitted(_) => (
            "postmortem.submitted",
            &["reviewer_ids", "status", "version"],
        ),
        Change::PostmortemApproved(_) => {
            ("postmortem.approved", &["approved_by", "status", "version"])
        }
        Change::PostmortemPublished(_) => (
            "postmortem.published",
            &["approved_by", "status", "version"],
        ),
        Change::PostmortemAddendum(_) => ("postmortem.addendum", &["status", "text", "version"]),
        Change::RaciSaved(_) => ("raci.saved", &["activities", "columns", "version"]),
        Change::RotationSaved(_) => (
            "rotation.saved",
            &["period_days", "roles", "starts_at", "version"],
        ),
        Change::RunbookUpdated(_) => ("runbook.updated", &["reason", "tiers", "version"]),
        Change::StepTicked(_) => ("escalation.step_ticked", &["done", "step", "text"]),
        Change::ReviewOpened(_) => ("review.opened", &["period"]),
        Change::ReviewUpdated(_) => ("review.updated", &["findings", "participants", "version"]),
        Change::AdjustmentProposed(_) => (
            "review.adjustment_proposed",
            &["adjustment_id", "change", "kind", "reason"],
        ),
        Change::AdjustmentAdopted(_) => ("review.adjustment_adopted", &["adjustment_id", "result"]),
        Change::ReviewSignedOff(_) => ("review.signed_off", &["period"]),
        Change::CadenceCreated(_) => (
            "cadence.created",
            &["at", "every", "kind", "minutes_long", "name", "timezone"],
        ),
        Change::CadenceChanged(_) => (
            "cadence.changed",
            &["at", "every", "minutes_long", "timezone", "version"],
        ),
        Change::RaciTemplateChanged(_) => ("raci.template_changed", &["change", "version"]),
        Change::MinutesWritten(_) => ("meeting.minutes_written", &["version"]),
        Change::NotificationCreated(_) => (
            "notification.created",
            &["escalation_id", "kind", "recipient_id", "text"],
        ),
        Change::NotificationsRead(_) => ("notifications.read", &["count", "recipient_id"]),
        Change::UserCreated(_) => (
            "user.created",
            &["email", "functional_area", "name", "role"],
        ),
        Change::UserRoleChanged(_) => ("user.role_changed", &["role"]),
        Change::UserEnabled(_) => ("user.enabled", &[]),
        Change::UserDisabled(_) => ("user.disabled", &[]),
        Change::UserPasswordChanged(_) => ("user.password_changed", &[]),
        Change::ApiTokenCreated(_) => ("api_token.created", &["label", "user_id"]),
        Change::ApiTokenRevoked(_) => ("api_token.revoked", &["user_id"]),
        Change::WebhookCreated(_) => ("webhook.created", &["events", "format", "launch_id", "url"]),
        Change::WebhookDeleted(_) => ("webhook.deleted", &["url"]),
        Change::EscalationAcknowledgementMissed(_) => {
            ("escalation.acknowledgement_missed", &["due_at"])
        }
        Change::EscalationUpdateMissed(_) => ("escalation.update_missed", &["due_at"]),
        Change::ActionItemOverdue(_) => ("action_item.overdue", &["due", "owner_id", "title"]),
    }
}

#[test]
fn every_kind_has_one_sample() {
    let mut kinds: Vec<&str> = samples().iter().map(Change::kind).collect();
    kinds.sort_unstable();
    let mut declared = Change::KINDS.to_vec();
    declared.sort_unstable();
    assert_eq!(kinds, declared);
    kinds.dedup();
    assert_eq!(kinds.len(), Change::KINDS.len(), "a kind has two samples");
}

#[test]
fn every_kind_round_trips_as_kind_and_payload() {
    for change in samples() {
        let (kind, fields) = pinned(&change);
        assert_eq!(change.kind(), kind);
        let json = serde_json::to_value(&change).unwrap();
        let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["kind", "payload"], "{kind}");
        assert_eq!(json["kind"], kind);
        let payload = &json["payload"];
        let names: Vec<_> = payload.as_object().unwrap().keys().cloned().collect();
        assert_eq!(names, fields, "{kind}'s payload fields");
        assert_eq!(change.payload().unwrap(), *payload, "{kind}");
        assert_eq!(
            serde_json::from_value::<Change>(json.clone()).unwrap(),
            change
        );
        assert_eq!(Change::from_parts(kind, payload).unwrap(), change, "{kind}");
    }
}

#[test]
fn an_unknown_kind_or_a_payload_of_another_shape_does_not_decode() {
    assert!(Change::from_parts("webhook.created", &json!({})).is_err());
    assert!(Change::from_parts("escalation.moved", &json!({"stage": "triaged"})).is_err());
    // Old `api_token.revoked` rows have an empty payload.
    assert!(Change::from_parts("api_token.revoked", &json!({})).is_err());
}

#[test]
fn options_are_null_or_absent_as_the_log_always_wrote_them() {
    // A plain `Option` is written as null.
    let note = Change::from(NotificationCreated {
        recipient_id: UserId(3),
        kind: NotificationKind::ActionOverdue,
        text: "Overdue".into(),
        escalation_id: None,
    });
    assert_eq!(note.payload().unwrap()["escalation_id"], Value::Null);
    // A move's acknowledgement and reason are left out when there is none.
    let moved = Change::from(EscalationMoved {
        from: Stage::Triaged,
        stage: Stage::Mitigating,
        version: 3,
        acknowledged_at: None,
        reason: None,
        outcome: None,
        risk_posture: None,
    });
    assert_eq!(
        moved.payload().unwrap(),
        json!({"from": "triaged", "stage": "mitigating", "version": 3})
    );
    // An edit records only what changed; a cleared field is null.
    let edit = Change::from(LaunchUpdated {
        sponsor_id: Some(None),
        version: 4,
        ..LaunchUpdated::default()
    });
    let payload = edit.payload().unwrap();
    assert_eq!(payload, json!({"sponsor_id": null, "version": 4}));
    assert_eq!(
        Change::from_parts("launch.updated", &payload).unwrap(),
        edit
    );
    let unchanged = Change::from_parts("escalation.updated", &json!({"version": 2})).unwrap();
    assert_eq!(
        unchanged,
        EscalationUpdated {
            version: 2,
            ..EscalationUpdated::default()
        }
        .into()
    );
}

#[test]
fn stored_payloads_read_back() {
    // As the log stores them: sorted keys, instants as RFC 3339 in UTC.
    let moved = concat!(
        r#"{"acknowledged_at":"2026-11-20T10:12:00.123456Z","#,
        r#""from":"triggered","stage":"triaged","version":2}"#
    );
    let moved: Value = serde_json::from_str(moved).unwrap();
    assert_eq!(
        Change::from_parts("escalation.moved", &moved).unwrap(),
        EscalationMoved {
            from: Stage::Triggered,
            stage: Stage::Triaged,
            version: 2,
            acknowledged_at: Some(at("2026-11-20T10:12:00.123456Z")),
            reason: None,
            outcome: None,
            risk_posture: None,
        }
        .into()
    );
    let created = concat!(
        r#"{"deadline":null,"description":"","#,
        r#""impact":{"compliance":0,"customer":3,"revenue":1},"#,
        r#""owner_id":null,"priority":51,"stage":"triggered","tier":2,"#,
        r#""title":"Checkout fails","trigger":"customer_defect","version":1}"#
    );
    let created: Value = serde_json::from_str(created).unwrap();
    let change = Change::from_parts("escalation.created", &created).unwrap();
    assert_eq!(change.payload().unwrap().to_string(), created.to_string());
}

#[test]
fn typed_values_write_the_strings_the_rows_store() {
    fn same<T: Serialize>(value: T, stored: &str) {
        assert_eq!(serde_json::to_value(value).unwrap(), stored);
    }
    for r in Role::ALL {
        same(r, r.as_str());
    }
    for a in FunctionalArea::ALL {
        same(a, a.as_str());
    }
    for t in Trigger::ALL {
        same(t, t.as_str());
    }
    for s in Stage::ALL {
        same(s, s.as_str());
    }
    for s in LaunchStatus::ALL {
        same(s, s.as_str());
    }
    for s in [Status::Draft, Status::InReview, Status::Published] {
        same(s, s.as_str());
    }
    for k in [
        ActionKind::Mitigation,
        ActionKind::RootCause,
        ActionKind::Remediation,
    ] {
        same(k, k.as_str());
    }
    for k in [
        NotificationKind::OwnerAssigned,
        NotificationKind::DecisionRequested,
        NotificationKind::DecisionStalled,
        NotificationKind::WorkaroundExpired,
        NotificationKind::ActionOverdue,
        NotificationKind::MeetingCalled,
        NotificationKind::CriterionBreached,
        NotificationKind::DeescalationSuggested,
    ] {
        same(k, k.as_str());
    }
    assert_eq!(serde_json::to_value(tier(3)).unwrap(), json!(3));
}
