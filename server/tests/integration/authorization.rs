//! Who may do what: every `/api/v1` endpoint and every server function, called by an
//! anonymous caller and by each role, against one table. An endpoint without an entry in the
//! table fails the test, so nothing ships unclassified.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::{Login, TestApp};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const ALL: &[Role] = &[
    Role::Viewer,
    Role::Executive,
    Role::Member,
    Role::Facilitator,
    Role::Admin,
];
const WORKERS: &[Role] = &[Role::Member, Role::Facilitator, Role::Admin];
const FACILITATORS: &[Role] = &[Role::Facilitator, Role::Admin];
const ADMINS: &[Role] = &[Role::Admin];
const DECIDERS: &[Role] = &[Role::Executive, Role::Facilitator, Role::Admin];

/// Ids the requests refer to.
struct Fixture {
    launch: i64,
    escalation: i64,
    other_user: i64,
    token_id: i64,
    decision: i64,
    action: i64,
    request: i64,
    criterion: i64,
    webhook: i64,
}

type Body = fn(&Fixture) -> Option<Value>;

/// `/api/v1` endpoints: (method, path as documented, who may call it, path with ids, body).
type RestEntry = (
    &'static str,
    &'static str,
    &'static [Role],
    fn(&Fixture) -> String,
    Body,
);

fn rest_table() -> Vec<RestEntry> {
    vec![
        (
            "GET",
            "/api/v1/webhooks",
            ADMINS,
            |_| "/api/v1/webhooks".into(),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/webhooks",
            ADMINS,
            |_| "/api/v1/webhooks".into(),
            |_| Some(json!({"url": "http://127.0.0.1:9/matrix"})),
        ),
        (
            "DELETE",
            "/api/v1/webhooks/{id}",
            ADMINS,
            |f| format!("/api/v1/webhooks/{}", f.webhook),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/webhooks/{id}/deliveries",
            ADMINS,
            |f| format!("/api/v1/webhooks/{}/deliveries", f.webhook),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/webhooks/{id}/test",
            ADMINS,
            |f| format!("/api/v1/webhooks/{}/test", f.webhook),
            |_| Some(json!({})),
        ),
        ("GET", "/api/v1/me", ALL, |_| "/api/v1/me".into(), |_| None),
        (
            "GET",
            "/api/v1/me/notifications",
            ALL,
            |_| "/api/v1/me/notifications".into(),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/me/notifications",
            ALL,
            |_| "/api/v1/me/notifications".into(),
            |_| Some(json!({"daily_digest": false})),
        ),
        (
            "GET",
            "/api/v1/launches",
            ALL,
            |_| "/api/v1/launches".into(),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/launches",
            FACILITATORS,
            |_| "/api/v1/launches".into(),
            |_| Some(json!({"name": "Matrix", "target_date": "2027-01-01"})),
        ),
        (
            "GET",
            "/api/v1/launches/{id}",
            ALL,
            |f| format!("/api/v1/launches/{}", f.launch),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/escalations",
            ALL,
            |_| "/api/v1/escalations".into(),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/escalations",
            WORKERS,
            |_| "/api/v1/escalations".into(),
            |f| {
                Some(
                    json!({"launch_id": f.launch, "title": "Matrix", "trigger": "risk_forecast", "tier": 4,
                            "impact": {"customer": 0, "revenue": 0, "compliance": 0}}),
                )
            },
        ),
        (
            "GET",
            "/api/v1/escalations/{id}",
            ALL,
            |f| format!("/api/v1/escalations/{}", f.escalation),
            |_| None,
        ),
        (
            "PATCH",
            "/api/v1/escalations/{id}",
            WORKERS,
            |f| format!("/api/v1/escalations/{}", f.escalation),
            |_| Some(json!({"title": "Renamed", "version": 1})),
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/move",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/move", f.escalation),
            |_| Some(json!({"stage": "triaged", "version": 1})),
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/timeline",
            ALL,
            |f| format!("/api/v1/escalations/{}/timeline", f.escalation),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/launches/{id}/authority",
            ALL,
            |f| format!("/api/v1/launches/{}/authority", f.launch),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/launches/{id}/authority",
            FACILITATORS,
            |f| format!("/api/v1/launches/{}/authority", f.launch),
            |_| Some(json!({"user_ids": []})),
        ),
        (
            "GET",
            "/api/v1/launches/{id}/criteria",
            ALL,
            |f| format!("/api/v1/launches/{}/criteria", f.launch),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/launches/{id}/criteria",
            FACILITATORS,
            |f| format!("/api/v1/launches/{}/criteria", f.launch),
            |_| {
                Some(
                    json!({"name": "Matrix", "metric": "matrix", "comparator": "<=", "threshold": 1}),
                )
            },
        ),
        (
            "PATCH",
            "/api/v1/criteria/{id}",
            FACILITATORS,
            |f| format!("/api/v1/criteria/{}", f.criterion),
            |_| Some(json!({"threshold": 2, "version": 1})),
        ),
        (
            "DELETE",
            "/api/v1/criteria/{id}",
            FACILITATORS,
            |f| format!("/api/v1/criteria/{}", f.criterion),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/launches/{id}/dashboard",
            ALL,
            |f| format!("/api/v1/launches/{}/dashboard", f.launch),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/launches/{id}/metrics",
            ALL,
            |f| format!("/api/v1/launches/{}/metrics", f.launch),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/launches/{id}/metrics",
            WORKERS,
            |f| format!("/api/v1/launches/{}/metrics", f.launch),
            |_| Some(json!({"samples": [{"metric": "matrix", "value": 1}]})),
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/triage",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/triage", f.escalation),
            |_| Some(json!({"version": 1, "tier": 3})),
        ),
        (
            "PUT",
            "/api/v1/escalations/{id}/workaround",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/workaround", f.escalation),
            |_| Some(json!({"version": 1, "description": "Matrix"})),
        ),
        (
            "GET",
            "/api/v1/runbook",
            ALL,
            |_| "/api/v1/runbook".into(),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/runbook",
            FACILITATORS,
            |_| "/api/v1/runbook".into(),
            |_| Some(json!({"version": 0, "tiers": []})),
        ),
        (
            "GET",
            "/api/v1/launches/{id}/cadences",
            ALL,
            |f| format!("/api/v1/launches/{}/cadences", f.launch),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/launches/{id}/cadences",
            FACILITATORS,
            |f| format!("/api/v1/launches/{}/cadences", f.launch),
            |_| {
                Some(
                    json!({"name": "Matrix", "kind": "standup", "every": "day", "at": "09:00",
                    "timezone": "Nowhere/Matrix", "minutes_long": 15}),
                )
            },
        ),
        (
            "GET",
            "/api/v1/launches/{id}/meetings",
            ALL,
            |f| format!("/api/v1/launches/{}/meetings", f.launch),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/meetings/{id}",
            ALL,
            |_| "/api/v1/meetings/999999".into(),
            |_| None,
        ),
        (
            "PATCH",
            "/api/v1/meetings/{id}",
            WORKERS,
            |_| "/api/v1/meetings/999999".into(),
            |_| Some(json!({"minutes": "Matrix"})),
        ),
        (
            "GET",
            "/api/v1/me/calendar",
            ALL,
            |_| "/api/v1/me/calendar".into(),
            |_| None,
        ),
        (
            "DELETE",
            "/api/v1/me/calendar",
            ALL,
            |_| "/api/v1/me/calendar".into(),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/reviews",
            ALL,
            |_| "/api/v1/reviews".into(),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/reviews",
            FACILITATORS,
            |_| "/api/v1/reviews".into(),
            |_| Some(json!({"period": "2019-Q1"})),
        ),
        (
            "GET",
            "/api/v1/reviews/{id}",
            ALL,
            |_| "/api/v1/reviews/999999".into(),
            |_| None,
        ),
        (
            "PATCH",
            "/api/v1/reviews/{id}",
            FACILITATORS,
            |_| "/api/v1/reviews/999999".into(),
            |_| Some(json!({"findings": "Matrix"})),
        ),
        (
            "POST",
            "/api/v1/reviews/{id}/adjustments",
            FACILITATORS,
            |_| "/api/v1/reviews/999999/adjustments".into(),
            |_| {
                Some(
                    json!({"kind": "runbook", "change": {"tier": 2, "update_minutes": 60}, "reason": "Matrix"}),
                )
            },
        ),
        (
            "POST",
            "/api/v1/adjustments/{id}/adopt",
            FACILITATORS,
            |_| "/api/v1/adjustments/999999/adopt".into(),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/reviews/{id}/sign-off",
            &[Role::Executive],
            |_| "/api/v1/reviews/999999/sign-off".into(),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/runbook/versions",
            ALL,
            |_| "/api/v1/runbook/versions".into(),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/runbook/versions/{n}",
            ALL,
            |_| "/api/v1/runbook/versions/1".into(),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/steps",
            ALL,
            |f| format!("/api/v1/escalations/{}/steps", f.escalation),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/escalations/{id}/steps/{n}",
            FACILITATORS,
            |f| format!("/api/v1/escalations/{}/steps/99", f.escalation),
            |_| Some(json!({"done": true})),
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/updates",
            ALL,
            |f| format!("/api/v1/escalations/{}/updates", f.escalation),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/updates",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/updates", f.escalation),
            |_| Some(json!({"problem": "Matrix", "impact": "Matrix", "mitigation": "Matrix"})),
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/decisions",
            ALL,
            |f| format!("/api/v1/escalations/{}/decisions", f.escalation),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/decisions",
            DECIDERS,
            |f| format!("/api/v1/escalations/{}/decisions", f.escalation),
            |_| Some(json!({"decision": "Go", "rationale": "Matrix"})),
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/decisions/{decision_id}",
            ALL,
            |f| {
                format!(
                    "/api/v1/escalations/{}/decisions/{}",
                    f.escalation, f.decision
                )
            },
            |_| None,
        ),
        // Append-only: 405 for everyone signed in, never a change.
        (
            "PUT",
            "/api/v1/escalations/{id}/decisions/{decision_id}",
            ALL,
            |f| {
                format!(
                    "/api/v1/escalations/{}/decisions/{}",
                    f.escalation, f.decision
                )
            },
            |_| Some(json!({"decision": "Changed"})),
        ),
        (
            "PATCH",
            "/api/v1/escalations/{id}/decisions/{decision_id}",
            ALL,
            |f| {
                format!(
                    "/api/v1/escalations/{}/decisions/{}",
                    f.escalation, f.decision
                )
            },
            |_| Some(json!({"decision": "Changed"})),
        ),
        (
            "DELETE",
            "/api/v1/escalations/{id}/decisions/{decision_id}",
            ALL,
            |f| {
                format!(
                    "/api/v1/escalations/{}/decisions/{}",
                    f.escalation, f.decision
                )
            },
            |_| None,
        ),
        (
            "GET",
            "/api/v1/decision-requests",
            ALL,
            |_| "/api/v1/decision-requests".into(),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/decision-requests/{id}/meeting",
            FACILITATORS,
            |f| format!("/api/v1/decision-requests/{}/meeting", f.request),
            |_| Some(json!({"starts_at": "2099-01-01T10:00:00Z", "participant_ids": []})),
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/actions",
            ALL,
            |f| format!("/api/v1/escalations/{}/actions", f.escalation),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/actions",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/actions", f.escalation),
            |_| Some(json!({"title": "Matrix", "owner_id": 1, "due": "2099-01-01T00:00:00Z"})),
        ),
        (
            "PATCH",
            "/api/v1/actions/{id}",
            WORKERS,
            |f| format!("/api/v1/actions/{}", f.action),
            |_| Some(json!({"version": 1, "done": true})),
        ),
        (
            "GET",
            "/api/v1/launches/{id}/raci",
            ALL,
            |f| format!("/api/v1/launches/{}/raci", f.launch),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/launches/{id}/raci",
            FACILITATORS,
            |f| format!("/api/v1/launches/{}/raci", f.launch),
            |_| {
                Some(
                    json!({"activities": [{"name": "Matrix", "cells": {"role:sales": "A", "role:support": "R"}}]}),
                )
            },
        ),
        (
            "GET",
            "/api/v1/launches/{id}/raci.csv",
            ALL,
            |f| format!("/api/v1/launches/{}/raci.csv", f.launch),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/raci",
            ALL,
            |f| format!("/api/v1/escalations/{}/raci", f.escalation),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/escalations/{id}/raci",
            FACILITATORS,
            |f| format!("/api/v1/escalations/{}/raci", f.escalation),
            |_| {
                Some(
                    json!({"activities": [{"name": "Matrix", "cells": {"role:sales": "A", "role:support": "R"}}]}),
                )
            },
        ),
        (
            "GET",
            "/api/v1/launches/{id}/rotation",
            ALL,
            |f| format!("/api/v1/launches/{}/rotation", f.launch),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/launches/{id}/rotation",
            FACILITATORS,
            |f| format!("/api/v1/launches/{}/rotation", f.launch),
            |_| {
                Some(
                    json!({"period_days": 7, "starts_at": "2026-01-05T09:00:00Z", "roles": {}, "version": 0}),
                )
            },
        ),
        (
            "GET",
            "/api/v1/launches/{id}/team",
            ALL,
            |f| format!("/api/v1/launches/{}/team", f.launch),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/postmortem",
            ALL,
            |f| format!("/api/v1/escalations/{}/postmortem", f.escalation),
            |_| None,
        ),
        (
            "PUT",
            "/api/v1/escalations/{id}/postmortem",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/postmortem", f.escalation),
            |_| Some(json!({"summary": "Matrix"})),
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/postmortem/submit",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/postmortem/submit", f.escalation),
            |f| Some(json!({"reviewer_ids": [f.other_user]})),
        ),
        // Any signed-in caller may try; only the post-mortem's named reviewers succeed.
        (
            "POST",
            "/api/v1/escalations/{id}/postmortem/approve",
            ALL,
            |f| format!("/api/v1/escalations/{}/postmortem/approve", f.escalation),
            |_| None,
        ),
        (
            "POST",
            "/api/v1/escalations/{id}/postmortem/addenda",
            WORKERS,
            |f| format!("/api/v1/escalations/{}/postmortem/addenda", f.escalation),
            |_| Some(json!({"text": "Matrix"})),
        ),
        (
            "GET",
            "/api/v1/escalations/{id}/postmortem.md",
            ALL,
            |f| format!("/api/v1/escalations/{}/postmortem.md", f.escalation),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/postmortems",
            ALL,
            |f| format!("/api/v1/postmortems?launch_id={}", f.launch),
            |_| None,
        ),
        (
            "GET",
            "/api/v1/stream",
            ALL,
            |_| "/api/v1/stream".into(),
            |_| None,
        ),
    ]
}

type Form = fn(&Fixture) -> Vec<(&'static str, String)>;

/// Server functions: (endpoint, who may call it, form fields).
fn server_fn_table() -> Vec<(&'static str, &'static [Role], Form)> {
    vec![
        ("auth/list_users", ALL, |_| vec![]),
        ("auth/create_user", ADMINS, |_| {
            vec![
                (
                    "email",
                    format!("new-{:x}@flare.test", rand::random::<u32>()),
                ),
                ("name", "New".into()),
                ("role", "viewer".into()),
                ("functional_area", "sales".into()),
                ("password", "long enough password".into()),
            ]
        }),
        ("auth/update_user", ADMINS, |f| {
            vec![
                ("id", f.other_user.to_string()),
                ("role", "member".into()),
                ("active", "true".into()),
            ]
        }),
        ("auth/list_tokens", ADMINS, |_| vec![]),
        ("auth/create_token", ADMINS, |f| {
            vec![
                ("user_id", f.other_user.to_string()),
                ("label", "matrix".into()),
            ]
        }),
        ("auth/revoke_token", ADMINS, |f| {
            vec![("id", f.token_id.to_string())]
        }),
        ("auth/change_password", ALL, |_| {
            vec![
                ("current_password", "not my password".into()),
                ("new_password", "a brand new password".into()),
            ]
        }),
        ("event/audit_events", FACILITATORS, |_| {
            vec![("filter[entity]", "launch".into())]
        }),
        ("launch/launches_with_health", ALL, |_| vec![]),
        ("launch/get_launch", ALL, |f| {
            vec![("id", f.launch.to_string())]
        }),
        ("launch/create_launch", FACILITATORS, |_| {
            vec![
                ("name", "Matrix".into()),
                ("target_date", "2027-01-01".into()),
            ]
        }),
        ("launch/update_launch", FACILITATORS, |f| {
            vec![
                ("id", f.launch.to_string()),
                ("version", "1".into()),
                ("name", "Matrix launch".into()),
                ("target_date", "2027-01-01".into()),
            ]
        }),
        ("escalation/launch_escalations", ALL, |f| {
            vec![("launch_id", f.launch.to_string())]
        }),
        ("escalation/get_escalation", ALL, |f| {
            vec![("id", f.escalation.to_string())]
        }),
        ("escalation/raise_escalation", WORKERS, |f| {
            vec![
                ("launch_id", f.launch.to_string()),
                ("title", "Matrix".into()),
                ("trigger", "risk_forecast".into()),
                ("tier", "4".into()),
                ("impact_customer", "0".into()),
                ("impact_revenue", "0".into()),
                ("impact_compliance", "0".into()),
            ]
        }),
        ("board/load_board", ALL, |f| {
            vec![("launch_id", f.launch.to_string())]
        }),
        ("board/more_cards", ALL, |f| {
            vec![
                ("launch_id", f.launch.to_string()),
                ("stage", "triggered".into()),
                ("offset", "0".into()),
            ]
        }),
        ("board/board_card", ALL, |f| {
            vec![("id", f.escalation.to_string())]
        }),
        ("escalation/move_escalation", WORKERS, |f| {
            vec![
                ("id", f.escalation.to_string()),
                ("stage", "triaged".into()),
                ("version", "1".into()),
            ]
        }),
        ("escalation/triage_escalation", WORKERS, |f| {
            vec![
                ("id", f.escalation.to_string()),
                ("version", "1".into()),
                ("tier", "3".into()),
            ]
        }),
        ("escalation/set_workaround", WORKERS, |f| {
            vec![
                ("id", f.escalation.to_string()),
                ("version", "1".into()),
                ("description", "Matrix".into()),
            ]
        }),
        ("dashboard/load_overview", ALL, |_| vec![]),
        ("dashboard/load_dashboard", ALL, |f| {
            vec![("launch", f.launch.to_string())]
        }),
        ("measure/load_daily_review", ALL, |f| {
            vec![("launch", f.launch.to_string())]
        }),
        ("measure/load_criteria", ALL, |f| {
            vec![("launch", f.launch.to_string())]
        }),
        ("measure/add_criterion", FACILITATORS, |f| {
            vec![
                ("launch", f.launch.to_string()),
                ("name", "Matrix".into()),
                ("metric", "matrix".into()),
                ("comparator", "<=".into()),
                ("threshold", "1".into()),
            ]
        }),
        ("measure/adopt_starter", FACILITATORS, |f| {
            vec![("launch", f.launch.to_string()), ("index", "2".into())]
        }),
        ("measure/retire_criterion", FACILITATORS, |f| {
            vec![("id", f.criterion.to_string())]
        }),
        ("measure/record_value", WORKERS, |f| {
            vec![
                ("launch", f.launch.to_string()),
                ("metric", "matrix".into()),
                ("value", "1".into()),
            ]
        }),
        ("launch/launch_authority", ALL, |f| {
            vec![("id", f.launch.to_string())]
        }),
        ("launch/set_member_authority", FACILITATORS, |f| {
            vec![
                ("id", f.launch.to_string()),
                ("user_id", f.other_user.to_string()),
                ("grant", "false".into()),
            ]
        }),
        ("runbook/get_runbook", ALL, |_| vec![]),
        ("runbook/load_versions", ALL, |_| vec![]),
        ("meeting/load_meetings", ALL, |f| {
            vec![("launch_id", f.launch.to_string())]
        }),
        ("meeting/add_cadence", FACILITATORS, |f| {
            vec![
                ("launch_id", f.launch.to_string()),
                ("name", "Matrix".into()),
                ("kind", "standup".into()),
                ("every", "day".into()),
                ("at", "25:00".into()),
                ("timezone", "UTC".into()),
                ("minutes_long", "15".into()),
            ]
        }),
        ("meeting/calendar_address", ALL, |_| vec![]),
        ("meeting/load_govern_home", FACILITATORS, |_| vec![]),
        ("meeting/revoke_calendar", ALL, |_| vec![]),
        ("meeting/load_meeting", ALL, |_| {
            vec![("id", "999999".into())]
        }),
        ("meeting/save_minutes", WORKERS, |_| {
            vec![
                ("id", "999999".into()),
                ("version", "1".into()),
                ("minutes", "Matrix".into()),
            ]
        }),
        ("review/load_reviews", ALL, |_| vec![]),
        ("review/open_review", FACILITATORS, |_| {
            vec![("period", "2019-Q2".into())]
        }),
        ("review/load_review", ALL, |_| vec![("id", "999999".into())]),
        ("review/set_participant", FACILITATORS, |f| {
            vec![
                ("id", "999999".into()),
                ("user_id", f.other_user.to_string()),
                ("taking_part", "true".into()),
            ]
        }),
        ("review/save_findings", FACILITATORS, |_| {
            vec![
                ("id", "999999".into()),
                ("version", "1".into()),
                ("findings", "Matrix".into()),
            ]
        }),
        ("review/propose_runbook_change", FACILITATORS, |_| {
            vec![
                ("id", "999999".into()),
                ("tier", "2".into()),
                ("update_minutes", "60".into()),
                ("reason", "Matrix".into()),
            ]
        }),
        ("review/propose_raci_change", FACILITATORS, |_| {
            vec![
                ("id", "999999".into()),
                ("activity", "Matrix".into()),
                ("marketing", "A".into()),
                ("support", "R".into()),
                ("reason", "Matrix".into()),
            ]
        }),
        ("review/propose_cadence_change", FACILITATORS, |_| {
            vec![
                ("id", "999999".into()),
                ("cadence_id", "999999".into()),
                ("at", "10:00".into()),
                ("reason", "Matrix".into()),
            ]
        }),
        ("review/adopt_adjustment", FACILITATORS, |_| {
            vec![("id", "999999".into())]
        }),
        ("review/sign_off_review", &[Role::Executive], |_| {
            vec![("id", "999999".into())]
        }),
        ("detail/tick_step", FACILITATORS, |f| {
            vec![
                ("id", f.escalation.to_string()),
                ("step", "99".into()),
                ("done", "true".into()),
            ]
        }),
        ("runbook/save_tier", FACILITATORS, |_| {
            vec![
                ("version", "0".into()),
                ("tier", "4".into()),
                ("red_flags", "".into()),
                ("acknowledge_minutes", "".into()),
                ("update_minutes", "".into()),
                ("decide_minutes", "".into()),
            ]
        }),
        ("detail/load_escalation_detail", ALL, |f| {
            vec![("id", f.escalation.to_string())]
        }),
        ("notification/my_notifications", ALL, |_| vec![]),
        ("webhook/list_webhooks", ADMINS, |_| vec![]),
        ("update/latest_word", ALL, |_| vec![]),
        ("webhook/add_webhook", ADMINS, |_| {
            vec![
                ("url", "http://127.0.0.1:9/matrix".into()),
                ("events", "".into()),
                ("format", "json".into()),
            ]
        }),
        ("webhook/remove_webhook", ADMINS, |f| {
            vec![("id", f.webhook.to_string())]
        }),
        ("webhook/send_test_webhook", ADMINS, |f| {
            vec![("id", f.webhook.to_string())]
        }),
        ("webhook/webhook_log", ADMINS, |f| {
            vec![("id", f.webhook.to_string())]
        }),
        ("notification/unread_count", ALL, |_| vec![]),
        ("notification/mark_read", ALL, |_| vec![]),
        ("mail/load_email_settings", ALL, |_| vec![]),
        ("mail/save_email_choices", ALL, |_| {
            vec![("stalls", "true".into())]
        }),
        ("update/post_update", WORKERS, |f| {
            vec![
                ("escalation_id", f.escalation.to_string()),
                ("problem", "Matrix".into()),
                ("impact", "Matrix".into()),
                ("mitigation", "Matrix".into()),
            ]
        }),
        ("decision/load_needs_decision", ALL, |_| vec![]),
        ("decision/record_decision", DECIDERS, |f| {
            vec![
                ("escalation_id", f.escalation.to_string()),
                ("decision", "Go".into()),
                ("rationale", "Matrix".into()),
            ]
        }),
        ("decision/call_meeting", FACILITATORS, |f| {
            vec![
                ("request_id", f.request.to_string()),
                ("starts_at", "2099-01-01T10:00".into()),
            ]
        }),
        ("action/add_action", WORKERS, |f| {
            vec![
                ("escalation_id", f.escalation.to_string()),
                ("title", "Matrix".into()),
                ("owner_id", f.other_user.to_string()),
                ("due", "2099-01-01T10:00".into()),
            ]
        }),
        ("action/set_action_done", WORKERS, |f| {
            vec![
                ("id", f.action.to_string()),
                ("version", "1".into()),
                ("done", "true".into()),
            ]
        }),
        ("action/load_my_work", ALL, |_| vec![]),
        ("raci/load_raci", ALL, |f| {
            vec![("launch_id", f.launch.to_string())]
        }),
        ("raci/save_raci", FACILITATORS, |f| {
            vec![
                ("launch_id", f.launch.to_string()),
                (
                    "draft",
                    r#"{"activities": [{"name": "Matrix", "cells": {"role:sales": "A", "role:support": "R"}}]}"#.into(),
                ),
            ]
        }),
        ("postmortem/load_postmortem", ALL, |f| {
            vec![("id", f.escalation.to_string())]
        }),
        ("postmortem/save_postmortem", WORKERS, |f| {
            vec![
                ("id", f.escalation.to_string()),
                ("draft", r#"{"summary": "Matrix"}"#.into()),
            ]
        }),
        ("postmortem/submit_postmortem", WORKERS, |f| {
            vec![
                ("id", f.escalation.to_string()),
                ("reviewer_ids[0]", f.other_user.to_string()),
            ]
        }),
        ("postmortem/approve_postmortem", ALL, |f| {
            vec![("id", f.escalation.to_string())]
        }),
        ("postmortem/add_addendum", WORKERS, |f| {
            vec![("id", f.escalation.to_string()), ("text", "Matrix".into())]
        }),
        ("postmortem/load_index", ALL, |_| vec![]),
        ("team/load_team", ALL, |f| {
            vec![("launch_id", f.launch.to_string())]
        }),
        ("team/save_rotation", FACILITATORS, |f| {
            vec![
                ("launch_id", f.launch.to_string()),
                (
                    "rotation",
                    r#"{"period_days": 7, "starts_at": "2026-01-05T09:00:00Z", "roles": {}, "version": 0}"#.into(),
                ),
            ]
        }),
    ]
}

fn refused(status: StatusCode, body: &Value) -> bool {
    matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        || matches!(body["code"].as_str(), Some("forbidden" | "unauthenticated"))
        || matches!(
            body["error"]["code"].as_str(),
            Some("forbidden" | "unauthenticated")
        )
}

async fn fixture(app: &TestApp, admin: &Login) -> Fixture {
    let launch = app.launch(admin, "Matrix launch").await["id"]
        .as_i64()
        .unwrap();
    let escalation = app.escalation(admin, launch, "Matrix escalation", 3).await["id"]
        .as_i64()
        .unwrap();
    let other = app.login_as(Role::Member).await;
    let token = app::auth::service::issue_token(
        &app.db,
        &app::event::model::EventActor::system(),
        other.actor.id,
        "victim",
    )
    .await
    .unwrap();
    let (status, _) = app
        .post(
            &format!("/api/v1/escalations/{escalation}/updates"),
            &admin.token,
            json!({"problem": "Fixture", "impact": "Fixture", "mitigation": "Fixture",
                   "decision_required": "Fixture?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, requests) = app.get("/api/v1/decision-requests", &admin.token).await;
    let request = requests[0]["id"].as_i64().unwrap();
    let (_, decision) = app
        .post(
            &format!("/api/v1/escalations/{escalation}/decisions"),
            &admin.token,
            json!({"decision": "Go", "rationale": "Fixture"}),
        )
        .await;
    let (_, action) = app
        .post(&format!("/api/v1/escalations/{escalation}/actions"), &admin.token,
            json!({"title": "Fixture item", "owner_id": admin.actor.id.0, "due": "2099-01-01T00:00:00Z"}))
        .await;
    let (status, criterion) = app
        .post(
            &format!("/api/v1/launches/{launch}/criteria"),
            &admin.token,
            json!({"name": "Fixture", "metric": "fixture", "comparator": ">=", "threshold": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{criterion}");
    let (status, webhook) = app
        .post(
            "/api/v1/webhooks",
            &admin.token,
            json!({"url": "http://127.0.0.1:9/fixture"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{webhook}");
    Fixture {
        launch,
        escalation,
        other_user: other.actor.id.0,
        token_id: token.token.id,
        decision: decision["id"].as_i64().unwrap(),
        action: action["id"].as_i64().unwrap(),
        request,
        criterion: criterion["id"].as_i64().unwrap(),
        webhook: webhook["id"].as_i64().unwrap(),
    }
}

#[tokio::test]
async fn every_rest_endpoint_is_classified_and_enforced() {
    let app = TestApp::new().await;
    let (_, doc) = server::openapi::api_router().split_for_parts();
    let table = rest_table();
    let mut documented = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ] {
            if op.is_some() {
                documented.push((method, path.clone()));
            }
        }
    }
    for (method, path) in &documented {
        assert!(
            table.iter().any(|(m, p, ..)| m == method && p == path),
            "{method} {path} has no entry in the authorization table"
        );
    }
    assert_eq!(
        documented.len(),
        table.len(),
        "the table lists endpoints that do not exist"
    );

    let admin = app.login_as(Role::Admin).await;
    let fixture = fixture(&app, &admin).await;
    let mut logins = BTreeMap::new();
    for role in ALL {
        logins.insert(*role, app.login_as(*role).await);
    }
    for (method, doc_path, allowed, path, body) in &table {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        if *doc_path == "/api/v1/stream" {
            // An endless stream: only the status line is checked.
            let anonymous = app
                .raw(method.clone(), &path(&fixture), None, None)
                .await
                .status();
            assert_eq!(anonymous, StatusCode::UNAUTHORIZED);
            for role in ALL {
                let status = app
                    .raw(
                        method.clone(),
                        &path(&fixture),
                        Some(&logins[role].token),
                        None,
                    )
                    .await
                    .status();
                assert_eq!(
                    status == StatusCode::OK,
                    allowed.contains(role),
                    "{role:?} GET /api/v1/stream → {status}"
                );
            }
            continue;
        }
        let (status, reply) = app
            .send(method.clone(), &path(&fixture), None, body(&fixture))
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "anonymous {method} {doc_path}: {reply}"
        );
        for role in ALL {
            let login = &logins[role];
            for auth in [&login.token, &login.cookie] {
                let (status, reply) = app
                    .send(method.clone(), &path(&fixture), Some(auth), body(&fixture))
                    .await;
                let expected_allowed = allowed.contains(role);
                assert_eq!(
                    !refused(status, &reply),
                    expected_allowed,
                    "{role:?} {method} {doc_path} → {status} {reply}"
                );
                if !expected_allowed {
                    assert_eq!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{role:?} {method} {doc_path}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn every_server_function_is_classified_and_enforced() {
    let app = TestApp::new().await;
    let table = server_fn_table();
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    for endpoint in &registered {
        assert!(
            table.iter().any(|(e, ..)| e == endpoint),
            "server function {endpoint} has no entry in the authorization table"
        );
    }
    assert_eq!(
        registered.len(),
        table.len(),
        "the table lists server functions that do not exist"
    );

    let admin = app.login_as(Role::Admin).await;
    let fixture = fixture(&app, &admin).await;
    let mut logins = BTreeMap::new();
    for role in ALL {
        logins.insert(*role, app.login_as(*role).await);
    }
    for (endpoint, allowed, form) in &table {
        let fields = form(&fixture);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, reply) = app.server_fn(endpoint, None, &fields).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "anonymous {endpoint}: {reply}"
        );
        for role in ALL {
            let (status, reply) = app
                .server_fn(endpoint, Some(&logins[role].cookie), &fields)
                .await;
            assert_eq!(
                !refused(status, &reply),
                allowed.contains(role),
                "{role:?} {endpoint} → {status} {reply}"
            );
        }
    }
}

#[tokio::test]
async fn a_refused_change_stores_nothing() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&facilitator, "Aurora").await;
    let viewer = app.login_as(Role::Viewer).await;
    let executive = app.login_as(Role::Executive).await;
    let before = (app.count("escalations").await, app.count("events").await);
    for login in [viewer, executive] {
        let (status, _) = app
            .post(
                "/api/v1/escalations",
                &login.token,
                json!({"launch_id": launch["id"], "title": "No", "trigger": "risk_forecast",
                "tier": 4, "impact": {"customer": 0, "revenue": 0, "compliance": 0}}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("escalations").await, before.0);
    assert_eq!(app.count("events").await, before.1);
}
