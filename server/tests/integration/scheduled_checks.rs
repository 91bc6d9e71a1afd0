//! The scheduled checks — stalled decisions, expired workarounds, overdue action items — run
//! by two app instances at the same moment on one database: each finding is acted on once.
//! (On PostgreSQL the two instances are two connection pools, as two servers would hold;
//! `multi_server.rs` also runs them inside two `flare serve` processes.)

use crate::common;
use app::auth::model::Role;
use app::checks::service::{Report, run_once};
use axum::http::{Method, StatusCode};
use common::TestApp;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use std::collections::BTreeMap;

const ESCALATIONS: usize = 4;

async fn execute(app: &TestApp, sql: &str) {
    app.db.conn.execute_unprepared(sql).await.unwrap();
}

/// How many notifications of `kind` each (recipient, escalation) pair got.
async fn notices(app: &TestApp, kind: &str) -> BTreeMap<(i64, i64), usize> {
    let rows = app
        .db
        .conn
        .query_all_raw(Statement::from_string(
            app.db.backend(),
            format!("SELECT user_id, escalation_id FROM notifications WHERE kind = '{kind}'"),
        ))
        .await
        .unwrap();
    let mut seen = BTreeMap::new();
    for row in rows {
        let key = (
            row.try_get_by_index::<i64>(0).unwrap(),
            row.try_get_by_index::<i64>(1).unwrap(),
        );
        *seen.entry(key).or_default() += 1;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_checking_at_once_act_on_each_finding_exactly_once() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let lead = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let owner = app.login_as(Role::Member).await;
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &lead.token,
            json!({"name": "Checks", "target_date": "2027-01-01",
                   "sponsor_id": sponsor.actor.id.0, "lead_id": lead.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let launch_id = launch["id"].as_i64().unwrap();
    app.grant_authority(&lead, launch_id, &owner).await;
    let soon = || (chrono::Utc::now() + chrono::Duration::hours(6)).to_rfc3339();

    for i in 0..ESCALATIONS {
        let (status, e) = app
            .post(
                "/api/v1/escalations",
                &lead.token,
                json!({"launch_id": launch_id, "title": format!("Finding {i}"), "trigger": "plan_deviation",
                       "tier": 3, "impact": {"customer": 2, "revenue": 1, "compliance": 0},
                       "owner_id": owner.actor.id.0, "deadline": soon()}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{e}");
        let id = e["id"].as_i64().unwrap();
        let (status, body) = app
            .send(
                Method::PUT,
                &format!("/api/v1/escalations/{id}/workaround"),
                Some(&owner.token),
                Some(
                    json!({"version": 1, "description": "Route around the broken region",
                            "expires_at": soon(), "root_cause_title": "Fix the region",
                            "root_cause_owner_id": owner.actor.id.0, "root_cause_due": soon()}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = app
            .post(
                &format!("/api/v1/escalations/{id}/updates"),
                &owner.token,
                json!({"problem": "Region down", "impact": "EU checkout", "mitigation": "Failover",
                       "decision_required": "Delay the EU launch?"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    // Time passes: every request, workaround and action item falls due at once. (Each is
    // set to its own creation instant, which is past and stored in the backend's format.)
    execute(&app, "UPDATE decision_requests SET due_at = opened_at").await;
    execute(
        &app,
        "UPDATE escalations SET workaround_expires_at = created_at",
    )
    .await;
    execute(&app, "UPDATE action_items SET due_at = created_at").await;

    let now = chrono::Utc::now();
    let (mine, theirs) = tokio::join!(run_once(&app.db, now), run_once(&other, now));
    let (mine, theirs) = (mine.unwrap(), theirs.unwrap());
    let n = ESCALATIONS as u32;
    assert_eq!(
        (
            mine.stalled + theirs.stalled,
            mine.expired + theirs.expired,
            mine.overdue + theirs.overdue
        ),
        (n, n, n),
        "claims won: {mine:?} + {theirs:?}"
    );

    // Nobody is told anything twice.
    let stalled = notices(&app, "decision_stalled").await;
    assert!(stalled.values().all(|n| *n == 1), "{stalled:?}");
    // Addressee (the owner), escalation lead and senior sponsor, for each request.
    assert_eq!(stalled.len(), 3 * ESCALATIONS);
    let expired = notices(&app, "workaround_expired").await;
    assert_eq!(expired.len(), ESCALATIONS);
    assert!(expired.values().all(|n| *n == 1), "{expired:?}");
    let overdue = notices(&app, "action_overdue").await;
    assert_eq!(overdue.len(), ESCALATIONS);
    assert!(overdue.values().all(|n| *n == 1), "{overdue:?}");

    // An expired workaround raised each tier exactly once (3 → 2).
    let (_, list) = app
        .get(
            &format!("/api/v1/escalations?launch_id={launch_id}"),
            &lead.token,
        )
        .await;
    for e in list.as_array().unwrap() {
        assert_eq!(e["tier"], 2, "{e}");
        assert!(e["workaround"]["expired_at"].is_string(), "{e}");
    }

    // Later runs, from either instance, find nothing new; one of them samples the launch's
    // built-in metrics, as every check does.
    let later = now + chrono::Duration::minutes(5);
    let (a, b) = tokio::join!(run_once(&app.db, later), run_once(&other, later));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sampled + b.sampled, 1, "{a:?} {b:?}");
    assert_eq!(
        (Report { sampled: 0, ..a }, Report { sampled: 0, ..b }),
        (Report::default(), Report::default())
    );
    assert_eq!(notices(&app, "decision_stalled").await, stalled);
}
