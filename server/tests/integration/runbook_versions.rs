//! Runbook versions: every save is a version with who, when and why; escalations keep the
//! version they were raised under while new ones take the newest; a pilot launch runs on its
//! own runbook; each escalation's tier steps are a checklist its owner ticks, every tick an
//! event. On SQLite and on PostgreSQL.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use common::{Login, TestApp};
use serde_json::{Value, json};

fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// Saves `book` with tier 2's decide window and first step changed, for `reason`.
async fn save_tier2(
    app: &TestApp,
    who: &Login,
    mut book: Value,
    decide: i64,
    reason: &str,
) -> (StatusCode, Value) {
    book["tiers"][1]["decide_minutes"] = json!(decide);
    book["tiers"][1]["steps"][0] = json!(format!("Page the owner within {decide} minutes"));
    book["reason"] = json!(reason);
    app.send(Method::PUT, "/api/v1/runbook", Some(&who.token), Some(book))
        .await
}

/// Raises a tier 2 on `launch` owned by `lead`, being mitigated.
async fn raise(app: &TestApp, lead: &Login, launch: i64) -> Value {
    let e = app.escalation(lead, launch, "Checkout slows", 2).await;
    app.walk(lead, e, &["triaged", "mitigating"]).await
}

/// Raises a tier 2 on `launch` and asks for a decision on it; its decision window in minutes.
async fn decision_window(app: &TestApp, lead: &Login, launch: i64) -> (Value, i64) {
    let e = raise(app, lead, launch).await;
    ask(app, lead, e).await
}

/// Asks for a decision on `e`; the request's window in minutes.
async fn ask(app: &TestApp, lead: &Login, e: Value) -> (Value, i64) {
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{}/updates", e["id"]),
            &lead.token,
            json!({"problem": "p95 at 3 s", "impact": "Some abandon", "mitigation": "Add nodes",
                   "decision_required": "Buy more capacity?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, now) = app
        .get(&format!("/api/v1/escalations/{}", e["id"]), &lead.token)
        .await;
    let window = instant(&now["decision_due_at"]) - Utc::now();
    (now, (window + Duration::seconds(30)).num_minutes())
}

#[tokio::test]
async fn a_new_version_serves_new_escalations_while_old_ones_keep_theirs() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let viewer = app.login_as(Role::Viewer).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let pilot = app.launch(&lead, "Borealis pilot").await["id"]
        .as_i64()
        .unwrap();

    // Version 1 is always listed: the built-in defaults, by nobody.
    let (status, versions) = app.get("/api/v1/runbook/versions", &viewer.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        versions,
        json!([{"version": 1, "at": null, "author": null, "reason": "Built-in defaults", "launch_id": null}])
    );
    let old = raise(&app, &lead, launch).await;
    assert_eq!(old["runbook_version"], 1);

    let (_, book) = app.get("/api/v1/runbook", &lead.token).await;
    let (status, saved) = save_tier2(
        &app,
        &lead,
        book.clone(),
        60,
        "Tier 2 decides within the hour",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    let (status, versions) = app.get("/api/v1/runbook/versions", &viewer.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["reason"], "Tier 2 decides within the hour");
    assert_eq!(versions[0]["author"]["id"], lead.actor.id.0);
    assert!(versions[0]["at"].is_string());
    assert_eq!(versions[1]["version"], 1);
    let (_, two) = app.get("/api/v1/runbook/versions/2", &viewer.token).await;
    let (_, one) = app.get("/api/v1/runbook/versions/1", &viewer.token).await;
    assert_eq!(
        (
            two["tiers"][1]["decide_minutes"].as_i64(),
            one["tiers"][1]["decide_minutes"].as_i64()
        ),
        (Some(60), Some(480))
    );
    let (status, missing) = app.get("/api/v1/runbook/versions/99", &viewer.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    // Saving from version 1 again is stale.
    let (status, stale) = save_tier2(&app, &lead, book, 30, "Late").await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    assert_eq!(stale["error"]["current"]["version"], 2, "{stale}");

    // New escalations take version 2; the old one keeps version 1, its window and its steps.
    let (new, window) = decision_window(&app, &lead, launch).await;
    assert_eq!(new["runbook_version"], 2);
    assert_eq!(window, 60);
    let (old, window) = ask(&app, &lead, old).await;
    assert_eq!(old["runbook_version"], 1);
    assert_eq!(
        window,
        8 * 60,
        "raised under version 1: tier 2 decides within 8 h"
    );
    let steps = |e: &Value| format!("/api/v1/escalations/{}/steps", e["id"]);
    let (_, old_steps) = app.get(&steps(&old), &viewer.token).await;
    let (_, new_steps) = app.get(&steps(&new), &viewer.token).await;
    assert_eq!(old_steps[0]["text"], one["tiers"][1]["steps"][0]);
    assert_eq!(new_steps[0]["text"], "Page the owner within 60 minutes");

    // A pilot launch on its own runbook: the default stays at version 2.
    let (_, pilot_book) = app
        .get(&format!("/api/v1/runbook?launch_id={pilot}"), &lead.token)
        .await;
    assert_eq!(
        (pilot_book["version"].as_i64(), &pilot_book["launch_id"]),
        (Some(2), &Value::Null)
    );
    let mut own = pilot_book.clone();
    own["launch_id"] = json!(pilot);
    let (status, saved) = save_tier2(&app, &lead, own, 30, "Pilot: tier 2 decides in 30 min").await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["version"].as_i64(), saved["launch_id"].as_i64()),
        (Some(3), Some(pilot))
    );
    let (_, default) = app.get("/api/v1/runbook", &lead.token).await;
    assert_eq!(default["version"], 2);
    let (on_pilot, window) = decision_window(&app, &lead, pilot).await;
    assert_eq!(
        (on_pilot["runbook_version"].as_i64(), window),
        (Some(3), 30)
    );
    let (elsewhere, window) = decision_window(&app, &lead, launch).await;
    assert_eq!(
        (elsewhere["runbook_version"].as_i64(), window),
        (Some(2), 60)
    );
    let (status, body) = save_tier2(
        &app,
        &lead,
        json!({"version": 3, "tiers": default["tiers"], "launch_id": 999_999}),
        30,
        "Nowhere",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.count("events WHERE kind = 'runbook.updated'").await, 2);
}

#[tokio::test]
async fn the_owner_ticks_the_steps_and_each_tick_is_one_event() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let owner = app.login_as(Role::Member).await;
    let other = app.login_as(Role::Member).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    app.grant_authority(&lead, launch, &owner).await;
    let mut e = app.escalation(&lead, launch, "Checkout fails", 1).await;
    let (status, body) = app
        .send(
            Method::PATCH,
            &format!("/api/v1/escalations/{}", e["id"]),
            Some(&lead.token),
            Some(json!({"owner_id": owner.actor.id.0, "version": e["version"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    e = body;
    let tick = |n: i64| format!("/api/v1/escalations/{}/steps/{n}", e["id"]);

    let (status, _) = app
        .send(
            Method::PUT,
            &tick(1),
            Some(&other.token),
            Some(json!({"done": true})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the owner (or a facilitator) ticks"
    );
    let (status, body) = app
        .send(
            Method::PUT,
            &tick(99),
            Some(&owner.token),
            Some(json!({"done": true})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["step"].is_string(), "{body}");

    // Two ticks of the same step at once record it once.
    let first = tick(1);
    let (a, b) = tokio::join!(
        app.send(
            Method::PUT,
            &first,
            Some(&owner.token),
            Some(json!({"done": true}))
        ),
        app.send(
            Method::PUT,
            &first,
            Some(&owner.token),
            Some(json!({"done": true}))
        ),
    );
    assert_eq!(
        (a.0, b.0),
        (StatusCode::OK, StatusCode::OK),
        "{} {}",
        a.1,
        b.1
    );
    let steps = a.1;
    assert_eq!(steps[0]["done_by"]["id"], owner.actor.id.0);
    assert!(steps[0]["done_at"].is_string());
    assert!(steps[1]["done_by"].is_null());
    let ticks = "events WHERE kind = 'escalation.step_ticked'";
    assert_eq!(app.count(ticks).await, 1);

    // Unticking is an event too; the timeline says what was done.
    let (status, steps) = app
        .send(
            Method::PUT,
            &tick(1),
            Some(&lead.token),
            Some(json!({"done": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(steps[0]["done_at"].is_null());
    assert_eq!(app.count(ticks).await, 2);
    let (_, timeline) = app
        .get(
            &format!("/api/v1/escalations/{}/timeline", e["id"]),
            &owner.token,
        )
        .await;
    let kinds: Vec<_> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|ev| ev["kind"] == "escalation.step_ticked")
        .map(|ev| {
            (
                ev["payload"]["step"].as_i64(),
                ev["payload"]["done"].as_bool(),
            )
        })
        .collect();
    assert_eq!(kinds, [(Some(0), Some(true)), (Some(0), Some(false))]);
}
