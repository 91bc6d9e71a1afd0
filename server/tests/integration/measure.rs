//! Success criteria and the metric feed through the REST door, on SQLite and PostgreSQL:
//! the contract's shapes and refusals, a breach raising exactly one escalation even when two
//! app servers evaluate it at once, recovery suggesting de-escalation, built-in metrics
//! sampled once per check across servers, and drills never counting.

use crate::common;
use app::auth::model::Role;
use app::checks::service::run_once;
use app::launch::LaunchId;
use app::measure::feed::record;
use app::measure::model::SamplesDraft;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Login, TestApp};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

/// A launch with a lead (the facilitator) and a p95 criterion; returns (launch id, criterion).
async fn launch_with_p95(app: &TestApp, lead: &Login, window: Option<i64>) -> (i64, Value) {
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &lead.token,
            json!({"name": "Checkout v2", "target_date": "2027-01-01", "lead_id": lead.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let id = launch["id"].as_i64().unwrap();
    let (status, criterion) = app
        .post(
            &format!("/api/v1/launches/{id}/criteria"),
            &lead.token,
            json!({"name": "Checkout p95", "kind": "service_level", "metric": "checkout.p95_ms",
                   "comparator": "<=", "threshold": 800, "unit": "ms", "window_minutes": window,
                   "breach_tier": 2, "auto_escalate": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{criterion}");
    (id, criterion)
}

async fn feed(app: &TestApp, token: &str, launch: i64, samples: Value) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/launches/{launch}/metrics"),
        token,
        json!({ "samples": samples }),
    )
    .await
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .conn
        .query_one_raw(Statement::from_string(app.db.backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn events(app: &TestApp, kind: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT COUNT(*) FROM events WHERE kind = '{kind}'"),
    )
    .await
}

async fn breach_escalations(app: &TestApp, criterion: i64) -> Vec<Value> {
    let (status, list) = app
        .get(
            "/api/v1/escalations",
            &app.login_as(Role::Viewer).await.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["criterion_id"] == json!(criterion))
        .cloned()
        .collect()
}

#[tokio::test]
async fn criteria_are_created_listed_changed_and_retired_per_the_contract() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (launch, created) = launch_with_p95(&app, &lead, Some(15)).await;
    for field in [
        "id",
        "launch_id",
        "name",
        "kind",
        "metric",
        "comparator",
        "threshold",
        "unit",
        "window_minutes",
        "breach_tier",
        "breach_trigger",
        "auto_escalate",
        "version",
        "status",
        "current",
    ] {
        assert!(created.get(field).is_some(), "{field} missing: {created}");
    }
    assert_eq!(created["status"], "no_data");
    assert_eq!(created["current"], Value::Null);
    assert_eq!(created["breach_trigger"], "plan_deviation", "the default");
    assert_eq!(created["version"], 1);
    let id = created["id"].as_i64().unwrap();

    let (status, list) = app
        .get(&format!("/api/v1/launches/{launch}/criteria"), &lead.token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);

    let patch = |body: Value| {
        let app = &app;
        let token = lead.token.clone();
        async move {
            app.send(
                Method::PATCH,
                &format!("/api/v1/criteria/{id}"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let (status, changed) =
        patch(json!({"threshold": 650, "window_minutes": null, "version": 1})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (
            changed["threshold"].as_f64(),
            &changed["window_minutes"],
            &changed["unit"],
            changed["version"].as_i64()
        ),
        (Some(650.0), &Value::Null, &json!("ms"), Some(2))
    );
    let (status, stale) = patch(json!({"threshold": 700, "version": 1})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    assert_eq!(stale["error"]["current"]["threshold"], 650.0);
    let (status, body) = patch(json!({"threshold": 700})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["version"].is_string(), "{body}");
    let (status, body) = patch(json!({"comparator": "==", "version": 2})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["comparator"].is_string(), "{body}");

    // A new criterion with an unknown comparator or no threshold names the field.
    for (body, field) in [
        (
            json!({"name": "x", "metric": "m", "comparator": "≈", "threshold": 1}),
            "comparator",
        ),
        (
            json!({"name": "x", "metric": "m", "comparator": "<="}),
            "threshold",
        ),
        (
            json!({"name": "x", "metric": "m", "comparator": "<=", "threshold": "high"}),
            "threshold",
        ),
    ] {
        let (status, answer) = app
            .post(
                &format!("/api/v1/launches/{launch}/criteria"),
                &lead.token,
                body,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["error"]["fields"][field].is_string(), "{answer}");
    }
    let (status, _) = app
        .post(
            "/api/v1/launches/999999/criteria",
            &lead.token,
            json!({"name": "x", "metric": "m", "comparator": "<=", "threshold": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Viewers and members change nothing.
    for role in [Role::Viewer, Role::Member, Role::Executive] {
        let who = app.login_as(role).await;
        let (status, _) = app
            .post(
                &format!("/api/v1/launches/{launch}/criteria"),
                &who.token,
                json!({"name": "x", "metric": "m", "comparator": "<=", "threshold": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
    }

    let (status, _) = app
        .send(
            Method::DELETE,
            &format!("/api/v1/criteria/{id}"),
            Some(&lead.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = app
        .get(&format!("/api/v1/launches/{launch}/criteria"), &lead.token)
        .await;
    assert_eq!(list, json!([]));
    let (status, _) = patch(json!({"threshold": 1, "version": 3})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a retired criterion is gone");
    assert_eq!(events(&app, "criterion.saved").await, 2);
    assert_eq!(events(&app, "criterion.retired").await, 1);
}

#[tokio::test]
async fn bad_samples_are_refused_by_field_and_store_nothing() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (launch, _) = launch_with_p95(&app, &lead, None).await;
    let member = app.login_as(Role::Member).await;
    let tomorrow_and_more = (chrono::Utc::now() + chrono::Duration::hours(25)).to_rfc3339();
    let many: Vec<Value> = (0..1001)
        .map(|i| json!({"metric": "csat", "value": i}))
        .collect();
    for (samples, field) in [
        (
            json!([{"metric": "csat", "value": 4.1}, {"metric": "csat", "value": "4.5"}]),
            "samples[1].value",
        ),
        (
            json!([{"metric": "csat", "value": null}]),
            "samples[0].value",
        ),
        (
            json!([{"metric": "csat", "value": 4, "at": tomorrow_and_more}]),
            "samples[0].at",
        ),
        (
            json!([{"metric": "escalations.open", "value": 0}]),
            "samples[0].metric",
        ),
        (json!([]), "samples"),
        (json!(many), "samples"),
    ] {
        let (status, body) = feed(&app, &member.token, launch, samples).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }
    // A value too large for a double is not a finite number: refused by name, never inf.
    let res = app
        .router
        .clone()
        .oneshot(
            Request::post(format!("/api/v1/launches/{launch}/metrics"))
                .header(header::AUTHORIZATION, format!("Bearer {}", member.token))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    r#"{"samples": [{"metric": "csat", "value": 1e400}]}"#,
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(
        body["error"]["fields"]["samples[0].value"].is_string(),
        "{body}"
    );
    assert_eq!(app.count("metric_samples").await, 0, "nothing stored");

    let (status, _) = feed(
        &app,
        &member.token,
        999_999,
        json!([{"metric": "csat", "value": 4}]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for role in [Role::Viewer, Role::Executive] {
        let who = app.login_as(role).await;
        let (status, _) = feed(
            &app,
            &who.token,
            launch,
            json!([{"metric": "csat", "value": 4}]),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
    }
    assert_eq!(app.count("metric_samples").await, 0);

    let (status, body) = feed(
        &app,
        &member.token,
        launch,
        json!([{"metric": "csat", "value": 4.4, "at": "2026-11-29T10:00:00Z"}, {"metric": "csat", "value": 4.6}]),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body, json!({"accepted": 2, "breaches": []}));
    let (status, read) = app
        .get(
            &format!("/api/v1/launches/{launch}/metrics?metric=csat&since=2026-11-01T00:00:00Z"),
            &member.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let values: Vec<f64> = read
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [4.4, 4.6], "oldest first");
    assert_eq!(read[0]["metric"], "csat");
    let (status, _) = app
        .get(
            &format!("/api/v1/launches/{launch}/metrics?since=yesterday"),
            &member.token,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(events(&app, "metrics.recorded").await, 1);
}

#[tokio::test]
async fn a_breach_raises_one_escalation_and_recovery_suggests_deescalation() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (launch, criterion) = launch_with_p95(&app, &lead, None).await;
    let id = criterion["id"].as_i64().unwrap();
    let feeder = app.login_as(Role::Member).await;

    let (status, body) = feed(
        &app,
        &feeder.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 640}]),
    )
    .await;
    assert_eq!(
        (status, &body["breaches"]),
        (StatusCode::ACCEPTED, &json!([]))
    );
    let (_, list) = app
        .get(&format!("/api/v1/launches/{launch}/criteria"), &lead.token)
        .await;
    assert_eq!(
        (&list[0]["status"], list[0]["current"].as_f64()),
        (&json!("met"), Some(640.0))
    );

    let (status, body) = feed(
        &app,
        &feeder.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 950}]),
    )
    .await;
    assert_eq!(
        (status, &body["breaches"]),
        (StatusCode::ACCEPTED, &json!([id])),
        "{body}"
    );
    // The escalation exists when the 202 is returned.
    let raised = breach_escalations(&app, id).await;
    assert_eq!(raised.len(), 1);
    assert_eq!(
        (
            &raised[0]["tier"],
            &raised[0]["trigger"],
            &raised[0]["stage"],
            &raised[0]["drill"]
        ),
        (
            &json!(2),
            &json!("plan_deviation"),
            &json!("triggered"),
            &json!(false)
        )
    );
    assert!(
        raised[0]["description"].as_str().unwrap().contains("950"),
        "{}",
        raised[0]
    );
    assert_eq!(
        raised[0]["breach"],
        json!({"criterion": "Checkout p95", "comparator": "<=", "threshold": 800.0,
               "value": 950.0, "unit": "ms"})
    );
    // Its board card names the criterion, the value that breached it and the threshold.
    let card = app::board::service::card(
        &app.db.conn,
        &feeder.actor,
        app::escalation::EscalationId(raised[0]["id"].as_i64().unwrap()),
    )
    .await
    .unwrap();
    assert_eq!(
        card.breach.as_deref(),
        Some("Checkout p95: 950 ms, needs ≤ 800 ms")
    );
    assert_eq!(events(&app, "criterion.breached").await, 1);
    let told = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'criterion_breached' AND user_id = {}",
            lead.actor.id.0
        ),
    )
    .await;
    assert_eq!(told, 1, "the launch lead is told");

    // Still breached: nothing new.
    let (_, body) = feed(
        &app,
        &feeder.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 990}]),
    )
    .await;
    assert_eq!(body["breaches"], json!([]));
    assert_eq!(breach_escalations(&app, id).await.len(), 1);

    // Two passing samples are not yet a recovery; the third is.
    for value in [500, 510] {
        feed(
            &app,
            &feeder.token,
            launch,
            json!([{"metric": "checkout.p95_ms", "value": value}]),
        )
        .await;
    }
    assert_eq!(events(&app, "criterion.recovered").await, 0);
    feed(
        &app,
        &feeder.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 520}]),
    )
    .await;
    assert_eq!(events(&app, "criterion.recovered").await, 1);
    let suggested = scalar(&app, &format!(
        "SELECT COUNT(*) FROM notifications WHERE kind = 'deescalation_suggested' AND escalation_id = {}",
        raised[0]["id"]
    )).await;
    assert_eq!(suggested, 1);
    let still = breach_escalations(&app, id).await;
    assert_eq!(still[0]["stage"], "triggered", "recovery closes nothing");

    // Breached again while its escalation is still open: recorded, but no second escalation.
    let (_, body) = feed(
        &app,
        &feeder.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 1200}]),
    )
    .await;
    assert_eq!(body["breaches"], json!([id]));
    assert_eq!(breach_escalations(&app, id).await.len(), 1);
    assert_eq!(events(&app, "criterion.breached").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_app_servers_evaluating_one_breach_raise_exactly_one_escalation() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let lead = app.login_as(Role::Facilitator).await;
    let feeder = app.login_as(Role::Member).await;
    for round in 0..3 {
        let (launch, criterion) = launch_with_p95(&app, &lead, Some(5)).await;
        let id = criterion["id"].as_i64().unwrap();
        let body: SamplesDraft = serde_json::from_value(
            json!({"samples": [{"metric": "checkout.p95_ms", "value": 2000 + round}]}),
        )
        .unwrap();
        let now = chrono::Utc::now();
        let (mine, theirs) = tokio::join!(
            record(&app.db, &feeder.actor, LaunchId(launch), &body, now),
            record(&other, &feeder.actor, LaunchId(launch), &body, now),
        );
        let (mine, theirs) = (mine.unwrap(), theirs.unwrap());
        assert_eq!(
            mine.breaches.len() + theirs.breaches.len(),
            1,
            "round {round}: {mine:?} {theirs:?}"
        );
        assert_eq!(breach_escalations(&app, id).await.len(), 1, "round {round}");
    }
    assert_eq!(events(&app, "criterion.breached").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn built_in_metrics_are_sampled_once_per_check_and_drills_never_count() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (launch, _) = launch_with_p95(&app, &lead, None).await;
    let (status, criterion) = app
        .post(
            &format!("/api/v1/launches/{launch}/criteria"),
            &lead.token,
            json!({"name": "No tier 1", "metric": "escalations.open.tier1", "comparator": "<=",
                   "threshold": 0, "breach_tier": 1, "kind": "defect_threshold"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{criterion}");
    let id = criterion["id"].as_i64().unwrap();

    // A drill's tier-1 escalation does not count.
    let drill = app
        .escalation(&lead, launch, "Drill: checkout down", 1)
        .await;
    app.db
        .conn
        .execute_unprepared(&format!(
            "UPDATE escalations SET drill = TRUE WHERE id = {}",
            drill["id"]
        ))
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let (mine, theirs) = tokio::join!(run_once(&app.db, now), run_once(&other, now));
    assert_eq!(
        mine.unwrap().sampled + theirs.unwrap().sampled,
        1,
        "one server samples the launch"
    );
    let (_, read) = app
        .get(
            &format!("/api/v1/launches/{launch}/metrics?metric=escalations.open.tier1"),
            &lead.token,
        )
        .await;
    assert_eq!(read.as_array().unwrap().len(), 1, "{read}");
    assert_eq!(read[0]["value"], 0.0, "the drill is not counted");
    assert!(breach_escalations(&app, id).await.is_empty());

    // A real one is, at the next check: one breach, one escalation, across both servers.
    app.escalation(&lead, launch, "Checkout down", 1).await;
    let later = now + chrono::Duration::seconds(30);
    let (mine, theirs) = tokio::join!(run_once(&app.db, later), run_once(&other, later));
    assert_eq!(mine.unwrap().sampled + theirs.unwrap().sampled, 1);
    let raised = breach_escalations(&app, id).await;
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(raised[0]["tier"], 1);
    let (_, list) = app
        .get(&format!("/api/v1/launches/{launch}/criteria"), &lead.token)
        .await;
    let tier1 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(id))
        .unwrap();
    assert!(tier1["breached_at"].is_string(), "{tier1}");
    // The breach's own escalation counts at the next check; after that, unchanged values
    // are not stored again.
    run_once(&app.db, later + chrono::Duration::seconds(30))
        .await
        .unwrap();
    let samples = app.count("metric_samples").await;
    run_once(&app.db, later + chrono::Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(app.count("metric_samples").await, samples);
    assert_eq!(breach_escalations(&app, id).await.len(), 1, "still one");
}

#[tokio::test]
async fn the_daily_review_shows_what_moved_since_yesterday() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (launch, _) = launch_with_p95(&app, &lead, None).await;
    let (status, csat) = app
        .post(
            &format!("/api/v1/launches/{launch}/criteria"),
            &lead.token,
            json!({"name": "CSAT", "metric": "csat", "comparator": ">=", "threshold": 4.2}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{csat}");
    let day_and_a_half_ago = (chrono::Utc::now() - chrono::Duration::hours(36)).to_rfc3339();
    feed(
        &app,
        &lead.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 500, "at": day_and_a_half_ago},
               {"metric": "csat", "value": 4.6, "at": day_and_a_half_ago}]),
    )
    .await;
    let review = || async {
        let (status, body) = app
            .server_fn(
                "measure/load_daily_review",
                Some(&lead.cookie),
                &[("launch", &launch.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    };
    assert_eq!(
        review().await,
        json!({"changes": [], "breaches": 0}),
        "nothing moved"
    );
    feed(
        &app,
        &lead.token,
        launch,
        json!([{"metric": "checkout.p95_ms", "value": 990}]),
    )
    .await;
    let moved = review().await;
    assert_eq!(moved["breaches"], 1, "{moved}");
    let changes = moved["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "only the p95 moved: {moved}");
    assert_eq!(
        (
            &changes[0]["name"],
            &changes[0]["before"],
            &changes[0]["now"]
        ),
        (&json!("Checkout p95"), &json!("met"), &json!("breached"))
    );
    // The launch page leads with the same review, server-rendered.
    let (status, html, _) = app
        .page(&format!("/launches/{launch}"), Some(&lead.cookie))
        .await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "Since yesterday",
        "One breach in the last 24 hours.",
        "“Checkout p95”: met → ",
    ] {
        assert!(html.contains(shown), "the launch page lacks {shown:?}");
    }
}

#[tokio::test]
async fn the_openapi_document_names_the_wire_values_of_criteria() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let (status, doc) = app.get("/api/v1/openapi.json", &lead.token).await;
    assert_eq!(status, StatusCode::OK);
    let schemas = &doc["components"]["schemas"];
    let values = |name: &str| schemas[name]["enum"].clone();
    assert_eq!(values("Comparator"), json!(["<=", ">=", "<", ">"]));
    assert_eq!(
        values("CriterionKind"),
        json!([
            "service_level",
            "defect_threshold",
            "customer_experience",
            "other"
        ])
    );
    assert_eq!(
        values("CriterionStatus"),
        json!(["met", "at_risk", "breached", "no_data"])
    );
    // A post-mortem's status keeps its own schema.
    assert!(
        values("Status").to_string().contains("draft"),
        "{}",
        schemas["Status"]
    );
}
