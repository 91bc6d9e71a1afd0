//! Hostile input through both doors: control characters (NUL above all, which PostgreSQL
//! cannot store or even compare) in every kind of text field, dates outside 1970–9999,
//! floods of ids, a status smuggled into a new launch, and form bytes that are not UTF-8.
//! Each is a 422 naming the field with nothing stored — on SQLite and on PostgreSQL alike.

use crate::common;
use app::auth::model::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Login, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const NUL: &str = "before\u{0}after";

/// A server function, its form fields, and the field its 422 must name.
type FormCase<'a> = (&'a str, Vec<(&'a str, String)>, &'a str);
fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

/// The REST answer is a 422 whose `fields` name `field`.
fn assert_names(status: StatusCode, body: &Value, field: &str, what: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
    assert!(
        body["error"]["fields"][field].is_string(),
        "{what}: {field} not named in {body}"
    );
}

/// A server function's answer is a 422 whose `fields` name `field`.
fn assert_fn_names(status: StatusCode, body: &Value, field: &str, what: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
    assert!(
        body["fields"][field].is_string(),
        "{what}: {field} not named in {body}"
    );
}

/// An escalation moved to Resolved, so that a post-mortem may be written.
async fn resolved(app: &TestApp, lead: &Login, launch: i64) -> Value {
    let mut e = app.escalation(lead, launch, "Checkout fails", 3).await;
    for stage in ["triaged", "resolved"] {
        let (status, body) = app
            .post(
                &format!("/api/v1/escalations/{}/move", e["id"]),
                &lead.token,
                json!({"stage": stage, "version": e["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        e = body;
    }
    e
}

#[tokio::test]
async fn a_nul_in_any_rest_text_field_is_named_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let admin = app.login_as(Role::Admin).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Checkout fails", 3).await;
    let id = e["id"].as_i64().unwrap();
    let done = resolved(&app, &lead, launch).await;
    let (_, runbook) = app.get("/api/v1/runbook", &lead.token).await;
    let mut hostile_runbook = runbook.clone();
    hostile_runbook["tiers"][0]["red_flags"] = json!(NUL);
    let esc = |title: &str, description: &str| {
        json!({"launch_id": launch, "title": title, "description": description,
               "trigger": "customer_defect", "tier": 3,
               "impact": {"customer": 1, "revenue": 1, "compliance": 1}})
    };
    let cases: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::POST,
            "/api/v1/launches".into(),
            json!({"name": NUL, "target_date": "2027-03-01"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/launches".into(),
            json!({"name": "Ok", "target_date": "2027-03-01", "description": NUL}),
            "description",
        ),
        (
            Method::POST,
            "/api/v1/escalations".into(),
            esc(NUL, ""),
            "title",
        ),
        (
            Method::POST,
            "/api/v1/escalations".into(),
            esc("Ok", NUL),
            "description",
        ),
        (
            Method::PATCH,
            format!("/api/v1/escalations/{id}"),
            json!({"version": e["version"], "title": NUL}),
            "title",
        ),
        (
            Method::POST,
            format!("/api/v1/escalations/{id}/updates"),
            json!({"problem": NUL, "impact": "i", "mitigation": "m"}),
            "problem",
        ),
        (
            Method::POST,
            format!("/api/v1/escalations/{id}/updates"),
            json!({"problem": "p", "impact": "i", "mitigation": "m", "decision_required": NUL}),
            "decision_required",
        ),
        (
            Method::POST,
            format!("/api/v1/escalations/{id}/decisions"),
            json!({"decision": NUL, "rationale": "r"}),
            "decision",
        ),
        (
            Method::POST,
            format!("/api/v1/escalations/{id}/actions"),
            json!({"title": NUL, "owner_id": lead.actor.id.0, "due": in_days(2)}),
            "title",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{id}/workaround"),
            json!({"version": e["version"], "description": NUL, "expires_at": in_days(1),
                "root_cause_title": "Fix", "root_cause_owner_id": lead.actor.id.0,
                "root_cause_due": in_days(3)}),
            "description",
        ),
        (
            Method::POST,
            format!("/api/v1/escalations/{id}/move"),
            json!({"stage": "closed", "version": e["version"], "reason": NUL}),
            "reason",
        ),
        (
            Method::PUT,
            format!("/api/v1/launches/{launch}/raci"),
            json!({"activities": [{"name": NUL, "cells": {"role:sales": "A", "role:support": "R"}}]}),
            "activities[0]",
        ),
        (
            Method::PUT,
            "/api/v1/runbook".into(),
            hostile_runbook,
            "tiers[0].red_flags",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"summary": NUL}),
            "summary",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"root_causes": ["ok", NUL]}),
            "root_causes[1]",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"impact": {"segments": [NUL]}}),
            "impact.segments[0]",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"times": {"detect": {"minutes": 5, "reason": NUL}}}),
            "times.detect.reason",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"remediation": [{"title": NUL, "owner_id": lead.actor.id.0, "due": in_days(9)}]}),
            "remediation[0].title",
        ),
    ];
    let events = app.count("events").await;
    for (method, path, body, field) in cases {
        let who = if path == "/api/v1/runbook" {
            &admin
        } else {
            &lead
        };
        let (status, reply) = app
            .send(method.clone(), &path, Some(&who.token), Some(body))
            .await;
        assert_names(status, &reply, field, &format!("{method} {path}"));
    }
    assert_eq!(
        app.count("events").await,
        events,
        "a refused write stored something"
    );
    assert_eq!(app.count("launches").await, 1);
    assert_eq!(app.count("escalations").await, 2);
    assert_eq!(app.count("updates").await, 0);
    assert_eq!(app.count("decisions").await, 0);
    assert_eq!(app.count("action_items").await, 0);
    assert_eq!(app.count("postmortems").await, 0);
}

#[tokio::test]
async fn a_nul_through_a_server_function_is_named_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let admin = app.login_as(Role::Admin).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Checkout fails", 3).await;
    let (launch, id) = (launch.to_string(), e["id"].to_string());
    let owner = lead.actor.id.0.to_string();
    let raci =
        json!({"activities": [{"name": NUL, "cells": {"role:sales": "A", "role:support": "R"}}]})
            .to_string();
    let cases: Vec<FormCase> = vec![
        (
            "launch/create_launch",
            vec![("name", NUL.into()), ("target_date", "2027-01-01".into())],
            "name",
        ),
        (
            "launch/create_launch",
            vec![
                ("name", "Ok".into()),
                ("target_date", "2027-01-01".into()),
                ("description", NUL.into()),
            ],
            "description",
        ),
        (
            "escalation/raise_escalation",
            vec![
                ("launch_id", launch.clone()),
                ("title", NUL.into()),
                ("trigger", "risk_forecast".into()),
                ("tier", "4".into()),
                ("impact_customer", "0".into()),
                ("impact_revenue", "0".into()),
                ("impact_compliance", "0".into()),
            ],
            "title",
        ),
        (
            "update/post_update",
            vec![
                ("escalation_id", id.clone()),
                ("problem", "p".into()),
                ("impact", NUL.into()),
                ("mitigation", "m".into()),
            ],
            "impact",
        ),
        (
            "decision/record_decision",
            vec![
                ("escalation_id", id.clone()),
                ("decision", "Go".into()),
                ("rationale", NUL.into()),
            ],
            "rationale",
        ),
        (
            "action/add_action",
            vec![
                ("escalation_id", id.clone()),
                ("title", NUL.into()),
                ("owner_id", owner.clone()),
                ("due", "2099-01-01T10:00".into()),
            ],
            "title",
        ),
        (
            "raci/save_raci",
            vec![("launch_id", launch.clone()), ("draft", raci)],
            "activities[0]",
        ),
        (
            "runbook/save_tier",
            vec![
                ("version", "1".into()),
                ("tier", "4".into()),
                ("red_flags", NUL.into()),
                ("acknowledge_minutes", "60".into()),
                ("update_minutes", "60".into()),
                ("decide_minutes", "60".into()),
                ("reason", "Hostile".into()),
            ],
            "red_flags",
        ),
    ];
    let events = app.count("events").await;
    for (endpoint, fields, field) in &cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, reply) = app.server_fn(endpoint, Some(&lead.cookie), &fields).await;
        assert_fn_names(status, &reply, field, endpoint);
    }
    for (field, email, name) in [
        ("email", "ada\u{0}@flare.test", "Ada"),
        ("name", "ada@flare.test", "Ada\u{0}Lovelace"),
    ] {
        let (status, reply) = app
            .server_fn(
                "auth/create_user",
                Some(&admin.cookie),
                &[
                    ("email", email),
                    ("name", name),
                    ("role", "viewer"),
                    ("functional_area", "sales"),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert_fn_names(status, &reply, field, "auth/create_user");
    }
    assert_eq!(
        app.count("events").await,
        events,
        "a refused write stored something"
    );
    assert_eq!(app.count("launches").await, 1);
    assert_eq!(app.count("escalations").await, 1);
    assert_eq!(app.count("users").await, 2);
}

#[tokio::test]
async fn dates_outside_1970_to_9999_are_named() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Checkout fails", 3).await;
    let id = e["id"].as_i64().unwrap();
    let done = resolved(&app, &lead, launch).await;
    let events = app.count("events").await;
    for date in ["-4714-11-24", "+10000-01-01", "10000-01-01", "1969-12-31"] {
        let (status, body) = app
            .post(
                "/api/v1/launches",
                &lead.token,
                json!({"name": "Julian", "target_date": date}),
            )
            .await;
        assert_names(status, &body, "target_date", date);
        let (status, body) = app
            .server_fn(
                "launch/create_launch",
                Some(&lead.cookie),
                &[("name", "Julian"), ("target_date", date)],
            )
            .await;
        assert_fn_names(status, &body, "target_date", date);
        let (status, body) = app
            .post(
                &format!("/api/v1/escalations/{id}/actions"),
                &lead.token,
                json!({"title": "Far", "owner_id": lead.actor.id.0, "due": date}),
            )
            .await;
        assert_names(status, &body, "due", date);
    }
    for instant in ["+10000-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00"] {
        let (status, body) = app
            .send(
                Method::PATCH,
                &format!("/api/v1/escalations/{id}"),
                Some(&lead.token),
                Some(json!({"version": e["version"], "deadline": instant})),
            )
            .await;
        assert_names(status, &body, "deadline", instant);
    }
    let (status, body) = app
        .send(
            Method::PUT,
            &format!("/api/v1/escalations/{}/postmortem", done["id"]),
            Some(&lead.token),
            Some(json!({"impact": {"started_at": "0001-01-01T00:00:00Z"}})),
        )
        .await;
    assert_names(status, &body, "impact.started_at", "impact_started_at");
    let (status, body) = app
        .send(
            Method::PUT,
            &format!("/api/v1/launches/{launch}/rotation"),
            Some(&lead.token),
            Some(
                json!({"period_days": 7, "starts_at": "0001-01-01T00:00:00Z",
                        "roles": {}, "version": 0}),
            ),
        )
        .await;
    assert_names(status, &body, "starts_at", "rotation");
    assert_eq!(app.count("events").await, events);
    assert_eq!(app.count("launches").await, 1);
    assert_eq!(app.count("action_items").await, 0);
    assert_eq!(app.count("rotations").await, 0);
}

#[tokio::test]
async fn filters_and_sign_in_refuse_control_characters_without_a_server_error() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Aurora").await["id"].to_string();
    for (field, form) in [
        ("entity", vec![("filter[entity]", NUL)]),
        ("since", vec![("filter[since]", "0001-01-01T00:00:00Z")]),
        ("until", vec![("filter[until]", "+10000-01-01T00:00:00Z")]),
    ] {
        let (status, body) = app
            .server_fn("event/audit_events", Some(&lead.cookie), &form)
            .await;
        assert_fn_names(status, &body, field, "event/audit_events");
    }
    let (status, body) = app
        .server_fn(
            "board/load_board",
            Some(&lead.cookie),
            &[("launch_id", &launch), ("filter[q]", NUL)],
        )
        .await;
    assert_fn_names(status, &body, "q", "board/load_board");

    // A sign-in with a NUL in the email matches no account: refused like any other
    // mismatch (back to the form with the usual message), never a server error.
    let res = app
        .post_login(&[
            ("email", "ada\u{0}@flare.test"),
            ("password", common::PASSWORD),
        ])
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/login?error=That%20email"),
        "{location}"
    );
}

#[tokio::test]
async fn lists_over_the_cap_are_named_and_ids_are_written_once() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let ada = app.login_as(Role::Member).await;
    let bob = app.login_as(Role::Member).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Checkout fails", 3).await;
    let id = e["id"].as_i64().unwrap();
    let done = resolved(&app, &lead, launch).await;
    let flood = vec![ada.actor.id.0; 500_000];
    let many = |n: usize| (0..n as i64).collect::<Vec<_>>();
    let remediation: Vec<Value> = (0..201)
        .map(|i| json!({"title": format!("Fix {i}"), "owner_id": lead.actor.id.0, "due": in_days(9)}))
        .collect();
    let cases: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::POST,
            format!("/api/v1/escalations/{id}/decisions"),
            json!({"decision": "Go", "rationale": "r", "participant_ids": flood}),
            "participant_ids",
        ),
        (
            Method::PUT,
            format!("/api/v1/launches/{launch}/rotation"),
            json!({"period_days": 7, "starts_at": "2026-01-05T09:00:00Z",
                "roles": {"engineering_lead": many(201)}, "version": 0}),
            "roles.engineering_lead",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"remediation": remediation}),
            "remediation",
        ),
        (
            Method::PUT,
            format!("/api/v1/escalations/{}/postmortem", done["id"]),
            json!({"root_causes": vec!["cause"; 201]}),
            "root_causes",
        ),
        (
            Method::PUT,
            format!("/api/v1/launches/{launch}/raci"),
            json!({"activities": [{"name": "Ship", "cells": {"role:sales": "A", "role:support": "R"}}],
                "columns": (0..51).map(|i| format!("role:r{i}")).collect::<Vec<_>>()}),
            "columns",
        ),
        (
            Method::PUT,
            format!("/api/v1/launches/{launch}/authority"),
            json!({"user_ids": vec![ada.actor.id.0; 201]}),
            "user_ids",
        ),
    ];
    let events = app.count("events").await;
    let started = std::time::Instant::now();
    for (method, path, body, field) in cases {
        let (status, reply) = app
            .send(method.clone(), &path, Some(&lead.token), Some(body))
            .await;
        assert_names(status, &reply, field, &format!("{method} {path}"));
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "refusing floods took {:?}",
        started.elapsed()
    );
    assert_eq!(app.count("events").await, events);
    assert_eq!(app.count("decisions").await, 0);

    // Repeated ids are looked up and written once, in the order first named.
    let (status, decision) = app
        .post(
            &format!("/api/v1/escalations/{id}/decisions"),
            &lead.token,
            json!({"decision": "Go", "rationale": "Fastest",
                   "participant_ids": [bob.actor.id.0, ada.actor.id.0, bob.actor.id.0, ada.actor.id.0]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    let ids: Vec<i64> = decision["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [lead.actor.id.0, bob.actor.id.0, ada.actor.id.0]);
}

#[tokio::test]
async fn a_new_launch_starts_in_planning_whatever_status_is_sent() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (status, body) = app
        .post(
            "/api/v1/launches",
            &lead.token,
            json!({"name": "Aurora", "target_date": "2027-03-01", "status": "archived"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "planning");
    let (status, body) = app
        .server_fn(
            "launch/create_launch",
            Some(&lead.cookie),
            &[
                ("name", "Borealis"),
                ("target_date", "2027-03-01"),
                ("status", "archived"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "planning");
    let (_, all) = app.get("/api/v1/launches", &lead.token).await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|l| l["status"] == "planning"),
        "{all}"
    );
}

#[tokio::test]
async fn a_server_function_form_that_is_not_utf8_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let events = app.count("events").await;
    for body in [
        "name=Caf%FF&target_date=2027-03-01",
        "name=Ok&target_date=2027-03-01&description=%C3",
    ] {
        let res = app
            .router
            .clone()
            .oneshot(
                Request::post("/api/launch/create_launch")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::COOKIE, &lead.cookie)
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let reply: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let field = if body.contains("Caf") {
            "name"
        } else {
            "description"
        };
        assert_fn_names(status, &reply, field, body);
        assert_eq!(reply["code"], "validation", "{reply}");
    }
    assert_eq!(app.count("launches").await, 0);
    assert_eq!(app.count("events").await, events);
    // Well-formed UTF-8, percent-encoded, still goes through.
    let (status, body) = app
        .server_fn(
            "launch/create_launch",
            Some(&lead.cookie),
            &[("name", "Café ✓"), ("target_date", "2027-03-01")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "Café ✓");
}
