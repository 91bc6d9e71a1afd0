//! A launch's dashboard through the REST door, on SQLite and PostgreSQL: the contract's
//! shape, readiness going from go to no-go when a fed metric breaches, time to fix read from
//! the event log, and drills never counting.

use crate::common;
use app::auth::model::Role;
use axum::http::StatusCode;
use common::{Login, TestApp};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn dashboard(app: &TestApp, who: &Login, launch: i64) -> Value {
    let (status, body) = app
        .get(&format!("/api/v1/launches/{launch}/dashboard"), &who.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn readiness_turns_no_go_on_a_breach_and_drills_never_count() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let viewer = app.login_as(Role::Viewer).await;
    let launch = app.launch(&lead, "Checkout v2").await["id"]
        .as_i64()
        .unwrap();
    let (status, criterion) = app
        .post(
            &format!("/api/v1/launches/{launch}/criteria"),
            &lead.token,
            json!({"name": "Checkout p95", "metric": "checkout.p95_ms", "comparator": "<=",
                   "threshold": 800, "unit": "ms"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{criterion}");

    // A tier-3 escalation worked to resolved, a tier-4 left open, and a drill's tier 1.
    let fixed = app.escalation(&lead, launch, "Search is slow", 3).await;
    app.walk(&lead, fixed.clone(), &["triaged", "mitigating", "resolved"])
        .await;
    app.escalation(&lead, launch, "Copy typo on the plans page", 4)
        .await;
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

    let before = dashboard(&app, &viewer, launch).await;
    for field in [
        "readiness",
        "defects",
        "time_to_fix",
        "customer_impact",
        "criteria",
    ] {
        assert!(before.get(field).is_some(), "{field}: {before}");
    }
    assert_eq!(before["readiness"]["verdict"], "go", "{before}");
    assert_eq!(
        before["defects"]["open_by_tier"]["1"], 0,
        "the drill does not count"
    );
    assert_eq!(before["defects"]["open_by_tier"]["4"], 1);
    assert_eq!(before["defects"]["open_by_trigger"]["customer_defect"], 1);
    let series = before["defects"]["series"].as_array().unwrap();
    assert_eq!(series.len(), 14);
    let today = series.last().unwrap();
    assert_eq!(
        (&today["opened"], &today["resolved"], &today["open"]),
        (&json!(2), &json!(1), &json!(1)),
        "{today}"
    );
    let t3 = &before["time_to_fix"]["by_tier"]["3"];
    assert_eq!(t3["count"], 1, "{t3}");
    assert!(
        t3["median_minutes"].is_i64() && t3["p90_minutes"].is_i64(),
        "{t3}"
    );
    assert_eq!(before["time_to_fix"]["by_tier"]["1"]["count"], 0);
    assert_eq!(
        before["time_to_fix"]["by_tier"]["1"]["median_minutes"],
        Value::Null
    );
    assert_eq!(before["customer_impact"]["customers_affected"], 0);
    assert!(before["customer_impact"]["by_day"].is_array());
    assert_eq!(before["criteria"][0]["status"], "no_data");

    // The feed breaches the criterion: no-go, the reason naming it.
    let (status, fed) = app
        .post(
            &format!("/api/v1/launches/{launch}/metrics"),
            &lead.token,
            json!({"samples": [{"metric": "checkout.p95_ms", "value": 1010}]}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{fed}");
    let after = dashboard(&app, &viewer, launch).await;
    assert_eq!(after["readiness"]["verdict"], "no_go", "{after}");
    let reasons = after["readiness"]["reasons"].to_string();
    assert!(
        reasons.contains("Checkout p95") && reasons.contains("1010 ms"),
        "{reasons}"
    );
    // The breach's own escalation (tier 2 by default) is among the defects.
    assert_eq!(after["defects"]["open_by_tier"]["2"], 1, "{after}");

    let (status, _) = app
        .get("/api/v1/launches/999999/dashboard", &viewer.token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
