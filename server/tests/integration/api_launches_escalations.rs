//! The REST contract for launches and escalations: shapes, status codes, validation that
//! names the field and stores nothing, JSON answers for unknown paths and methods.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_launch_created_through_the_api_is_listed_and_readable() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &facilitator.token,
            json!({"name": "  Aurora GA  ", "target_date": "2027-03-01", "description": "EU", "unknown": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    assert_eq!(launch["name"], "Aurora GA");
    assert_eq!(launch["target_date"], "2027-03-01");
    assert_eq!(launch["status"], "planning");
    assert!(launch["id"].is_i64());

    let (status, list) = app.get("/api/v1/launches", &facilitator.token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == launch["id"])
    );

    let (status, one) = app
        .get(
            &format!("/api/v1/launches/{}", launch["id"]),
            &facilitator.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one, launch);
}

#[tokio::test]
async fn an_invalid_launch_names_each_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let before = app.count("launches").await;
    let events_before = app.count("events").await;
    for (body, field) in [
        (json!({"name": "", "target_date": "2027-03-01"}), "name"),
        (
            json!({"name": "x".repeat(201), "target_date": "2027-03-01"}),
            "name",
        ),
        (
            json!({"name": "Aurora", "target_date": "2027-02-30"}),
            "target_date",
        ),
        (json!({"name": "Aurora"}), "target_date"),
        (
            json!({"name": "Aurora", "target_date": "2027-03-01", "description": "d".repeat(10_001)}),
            "description",
        ),
        (json!({"name": 42, "target_date": "2027-03-01"}), "name"),
    ] {
        let (status, err) = app
            .post("/api/v1/launches", &facilitator.token, body.clone())
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {err}");
        assert_eq!(err["error"]["code"], "validation_failed");
        assert!(
            err["error"]["fields"][field].is_string(),
            "{field} not named in {err}"
        );
    }
    assert_eq!(app.count("launches").await, before);
    assert_eq!(app.count("events").await, events_before);
}

#[tokio::test]
async fn escalations_start_triggered_at_version_one_with_a_priority() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let member = app.login_as(Role::Member).await;
    let launch = app.launch(&facilitator, "Aurora").await;
    let body = json!({
        "launch_id": launch["id"], "title": "Checkout fails", "trigger": "customer_defect",
        "tier": 1, "impact": {"customer": 5, "revenue": 4, "compliance": 0},
        "owner_id": member.actor.id.0, "deadline": "2099-01-01T12:00:00+01:00"
    });
    // A member owns an escalation only once a facilitator granted them authority.
    let (status, refused) = app
        .post("/api/v1/escalations", &member.token, body.clone())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["error"]["fields"]["owner_id"]
            .as_str()
            .unwrap()
            .contains("authority")
    );
    app.grant_authority(&facilitator, launch["id"].as_i64().unwrap(), &member)
        .await;
    let (status, e) = app.post("/api/v1/escalations", &member.token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(e["stage"], "triggered");
    assert_eq!(e["version"], 1);
    assert_eq!(e["priority"], 60 + 15 + 8);
    assert_eq!(
        e["impact"],
        json!({"customer": 5, "revenue": 4, "compliance": 0})
    );
    assert_eq!(e["deadline"], "2099-01-01T11:00:00Z");
    assert_eq!(e["owner"]["name"], member.actor.name);
    assert_eq!(e["owner_id"], member.actor.id.0);

    let (status, one) = app
        .get(&format!("/api/v1/escalations/{}", e["id"]), &member.token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one, e);
}

#[tokio::test]
async fn lists_come_highest_priority_first_and_filter_by_launch_and_stage() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let aurora = app.launch(&facilitator, "Aurora").await;
    let atlas = app.launch(&facilitator, "Atlas").await;
    let low = app
        .escalation(&facilitator, aurora["id"].as_i64().unwrap(), "Low", 4)
        .await;
    let high = app
        .escalation(&facilitator, aurora["id"].as_i64().unwrap(), "High", 1)
        .await;
    let mid = app
        .escalation(&facilitator, aurora["id"].as_i64().unwrap(), "Mid", 2)
        .await;
    app.escalation(&facilitator, atlas["id"].as_i64().unwrap(), "Elsewhere", 1)
        .await;

    let (status, list) = app
        .get(
            &format!("/api/v1/escalations?launch_id={}", aurora["id"]),
            &facilitator.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let titles: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["High", "Mid", "Low"]);
    let priorities: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["priority"].as_i64().unwrap())
        .collect();
    assert!(priorities.windows(2).all(|w| w[0] >= w[1]));

    let (_, moved) = app
        .post(
            &format!("/api/v1/escalations/{}/move", mid["id"]),
            &facilitator.token,
            json!({"stage": "triaged", "version": 1}),
        )
        .await;
    assert_eq!(moved["stage"], "triaged");
    let (_, triaged) = app
        .get(
            &format!(
                "/api/v1/escalations?launch_id={}&stage=triaged",
                aurora["id"]
            ),
            &facilitator.token,
        )
        .await;
    assert_eq!(triaged.as_array().unwrap().len(), 1);
    assert_eq!(triaged[0]["id"], mid["id"]);
    let (status, _) = app
        .get("/api/v1/escalations?stage=sideways", &facilitator.token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(low["id"] != high["id"]);
}

#[tokio::test]
async fn an_invalid_escalation_names_the_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&facilitator, "Aurora").await;
    let good = json!({
        "launch_id": launch["id"], "title": "Checkout fails", "trigger": "customer_defect",
        "tier": 2, "impact": {"customer": 1, "revenue": 1, "compliance": 1}
    });
    let before = app.count("escalations").await;
    let events_before = app.count("events").await;
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({"title": ""}), "title"),
        (json!({"title": "t".repeat(201)}), "title"),
        (json!({"tier": 0}), "tier"),
        (json!({"tier": 5}), "tier"),
        (json!({"tier": "high"}), "tier"),
        (
            json!({"impact": {"customer": 6, "revenue": 1, "compliance": 1}}),
            "impact.customer",
        ),
        (
            json!({"impact": {"customer": 1, "revenue": -1, "compliance": 1}}),
            "impact.revenue",
        ),
        (json!({"trigger": "rumour"}), "trigger"),
        (json!({"launch_id": 999_999}), "launch_id"),
        (json!({"deadline": "2001-01-01T00:00:00Z"}), "deadline"),
        (json!({"deadline": "next week"}), "deadline"),
        (json!({"description": "d".repeat(10_001)}), "description"),
        (json!({"owner_id": 999_999}), "owner_id"),
    ];
    for (patch, field) in cases {
        let mut body = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = app
            .post("/api/v1/escalations", &facilitator.token, body.clone())
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {err}");
        assert!(
            err["error"]["fields"][field].is_string(),
            "{field} not named in {err}"
        );
    }
    assert_eq!(app.count("escalations").await, before);
    assert_eq!(app.count("events").await, events_before);
}

#[tokio::test]
async fn unknown_ids_paths_and_methods_answer_in_json() {
    let app = TestApp::new().await;
    let viewer = app.login_as(Role::Viewer).await;
    for path in [
        "/api/v1/launches/424242",
        "/api/v1/escalations/424242",
        "/api/v1/nothing-here",
        "/api/v1/launches/1/nope",
    ] {
        let (status, body) = app.get(path, &viewer.token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }
    let (status, body) = app
        .send(
            Method::DELETE,
            "/api/v1/launches",
            Some(&viewer.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let res = app
        .router
        .clone()
        .oneshot_raw(
            axum::http::Request::post("/api/v1/launches")
                .header("authorization", format!("Bearer {}", facilitator.token))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{\"name\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let huge = json!({"name": "Big", "target_date": "2027-01-01", "description": "x".repeat(2 * 1024 * 1024)});
    let (status, body) = app.post("/api/v1/launches", &facilitator.token, huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(app.count("launches").await, 0);
}

trait OneshotRaw {
    async fn oneshot_raw(
        self,
        req: axum::http::Request<axum::body::Body>,
    ) -> axum::response::Response;
}

impl OneshotRaw for axum::Router {
    async fn oneshot_raw(
        self,
        req: axum::http::Request<axum::body::Body>,
    ) -> axum::response::Response {
        tower::ServiceExt::oneshot(self, req).await.unwrap()
    }
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    let (status, body, _) = app.page("/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    let (status, body, _) = app.page("/readyz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ready"));
}
