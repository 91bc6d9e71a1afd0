//! `Idempotency-Key` on REST POSTs: a retry after a lost response gets the first answer again
//! instead of creating a duplicate; a key is per user and per request; concurrent requests
//! with one key run once; bad keys are refused as JSON.

use crate::common;
use app::auth::model::Role;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use common::{Login, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// What a keyed POST answered: status, JSON body, and whether it was a replay.
struct Answer {
    status: StatusCode,
    body: Value,
    replayed: bool,
}

/// POSTs `body` to `path` as `login`, with each of `keys` as an `Idempotency-Key` header.
async fn post_keyed(
    app: &TestApp,
    path: &str,
    login: &Login,
    keys: &[&[u8]],
    body: &Value,
) -> Answer {
    let mut req = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", login.token))
        .header(header::CONTENT_TYPE, "application/json");
    for key in keys {
        req = req.header("idempotency-key", HeaderValue::from_bytes(key).unwrap());
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let replayed = res
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true");
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"));
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert!(is_json, "{status}: {}", String::from_utf8_lossy(&bytes));
    Answer {
        status,
        body: serde_json::from_slice(&bytes).unwrap(),
        replayed,
    }
}

struct Scene {
    app: TestApp,
    lead: Login,
    updates_path: String,
}

/// A launch and an escalation owned by a facilitator, who may post updates to it.
async fn scene() -> Scene {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Idempotent launch").await;
    let escalation = app
        .escalation(&lead, launch["id"].as_i64().unwrap(), "Checkout down", 2)
        .await;
    let updates_path = format!("/api/v1/escalations/{}/updates", escalation["id"]);
    Scene {
        app,
        lead,
        updates_path,
    }
}

fn update(problem: &str) -> Value {
    json!({"problem": problem, "impact": "300 failed checkouts an hour", "mitigation": "Fail over"})
}

#[tokio::test]
async fn a_retried_update_is_stored_once_and_answered_alike() {
    let s = scene().await;
    let before = s.app.count("updates").await;
    let body = update("The EU region is down");
    let first = post_keyed(&s.app, &s.updates_path, &s.lead, &[b"retry-1"], &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(!first.replayed);
    let retry = post_keyed(&s.app, &s.updates_path, &s.lead, &[b"retry-1"], &body).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert!(retry.replayed, "the retry must say it is a replay");
    assert_eq!(retry.body, first.body);
    assert_eq!(s.app.count("updates").await, before + 1);
}

#[tokio::test]
async fn a_key_reused_for_a_different_request_is_refused() {
    let s = scene().await;
    let first = post_keyed(&s.app, &s.updates_path, &s.lead, &[b"k"], &update("First")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let before = s.app.count("updates").await;
    let other = post_keyed(&s.app, &s.updates_path, &s.lead, &[b"k"], &update("Second")).await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        other.body
    );
    assert_eq!(other.body["error"]["code"], "validation_failed");
    assert!(
        other.body["error"]["fields"]["Idempotency-Key"].is_string(),
        "{}",
        other.body
    );
    assert!(!other.replayed);
    assert_eq!(s.app.count("updates").await, before);
}

#[tokio::test]
async fn keys_belong_to_their_user_and_path() {
    let s = scene().await;
    let admin = s.app.login_as(Role::Admin).await;
    let before = s.app.count("updates").await;
    let body = update("Same words, two people");
    let mine = post_keyed(&s.app, &s.updates_path, &s.lead, &[b"shared"], &body).await;
    let theirs = post_keyed(&s.app, &s.updates_path, &admin, &[b"shared"], &body).await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.body);
    assert!(!theirs.replayed);
    assert_ne!(mine.body["id"], theirs.body["id"]);
    assert_eq!(s.app.count("updates").await, before + 2);
    // The same key on another path is another key.
    let launch = post_keyed(
        &s.app,
        "/api/v1/launches",
        &s.lead,
        &[b"shared"],
        &json!({"name": "Keyed", "target_date": "2027-03-01"}),
    )
    .await;
    assert_eq!(launch.status, StatusCode::CREATED, "{}", launch.body);
    assert!(!launch.replayed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_update() {
    let s = scene().await;
    let before = s.app.count("updates").await;
    let body = update("Posted from a flaky network");
    let answers = futures::future::join_all(
        (0..8).map(|_| post_keyed(&s.app, &s.updates_path, &s.lead, &[b"burst"], &body)),
    )
    .await;
    let originals: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED && !a.replayed)
        .collect();
    assert_eq!(originals.len(), 1, "exactly one request runs");
    for answer in &answers {
        match answer.status {
            StatusCode::CREATED => assert_eq!(answer.body, originals[0].body),
            StatusCode::CONFLICT => {
                assert!(!answer.replayed);
                assert_eq!(answer.body["error"]["code"], "conflict");
            }
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!(s.app.count("updates").await, before + 1);
}

#[tokio::test]
async fn posts_without_a_key_run_every_time() {
    let s = scene().await;
    let before = s.app.count("updates").await;
    let body = update("No key");
    for _ in 0..2 {
        let answer = post_keyed(&s.app, &s.updates_path, &s.lead, &[], &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert!(!answer.replayed);
    }
    assert_eq!(s.app.count("updates").await, before + 2);
}

#[tokio::test]
async fn bad_keys_are_refused_as_json() {
    let s = scene().await;
    let before = s.app.count("updates").await;
    let too_long = vec![b'k'; 201];
    let bad: [&[&[u8]]; 4] = [&[b""], &[&too_long], &[b"caf\xc3\xa9"], &[b"one", b"two"]];
    for keys in bad {
        let answer = post_keyed(&s.app, &s.updates_path, &s.lead, keys, &update("Bad key")).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{keys:?}: {}",
            answer.body
        );
        assert!(
            answer.body["error"]["fields"]["Idempotency-Key"].is_string(),
            "{}",
            answer.body
        );
    }
    assert_eq!(s.app.count("updates").await, before);
    let longest = vec![b'k'; 200];
    let fine = post_keyed(
        &s.app,
        &s.updates_path,
        &s.lead,
        &[&longest],
        &update("Long key"),
    )
    .await;
    assert_eq!(fine.status, StatusCode::CREATED, "{}", fine.body);
}

#[tokio::test]
async fn a_refused_request_does_not_keep_its_key() {
    let s = scene().await;
    let before = s.app.count("updates").await;
    let invalid = json!({"problem": "", "impact": "", "mitigation": ""});
    for _ in 0..2 {
        let answer = post_keyed(&s.app, &s.updates_path, &s.lead, &[b"fix-me"], &invalid).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
        assert!(!answer.replayed, "errors are not replayed");
    }
    let fixed = post_keyed(
        &s.app,
        &s.updates_path,
        &s.lead,
        &[b"fix-me"],
        &update("Fixed"),
    )
    .await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.body);
    assert!(!fixed.replayed);
    assert_eq!(s.app.count("updates").await, before + 1);
}

#[tokio::test]
async fn launches_and_escalations_are_created_once_per_key() {
    let s = scene().await;
    let launches = s.app.count("launches").await;
    let draft = json!({"name": "Once", "target_date": "2027-03-01"});
    let first = post_keyed(&s.app, "/api/v1/launches", &s.lead, &[b"l"], &draft).await;
    let again = post_keyed(&s.app, "/api/v1/launches", &s.lead, &[b"l"], &draft).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(again.replayed);
    assert_eq!(again.body, first.body);
    assert_eq!(s.app.count("launches").await, launches + 1);

    let escalations = s.app.count("escalations").await;
    let draft = json!({"launch_id": first.body["id"], "title": "Once", "trigger": "customer_defect",
                       "tier": 3, "impact": {"customer": 1, "revenue": 1, "compliance": 1}});
    let first = post_keyed(&s.app, "/api/v1/escalations", &s.lead, &[b"e"], &draft).await;
    let again = post_keyed(&s.app, "/api/v1/escalations", &s.lead, &[b"e"], &draft).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(again.replayed);
    assert_eq!(again.body, first.body);
    assert_eq!(s.app.count("escalations").await, escalations + 1);
}

#[tokio::test]
async fn the_openapi_document_describes_the_header_on_posts() {
    let s = scene().await;
    let (status, doc) = s.app.get("/api/v1/openapi.json", &s.lead.token).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    let mut posts = 0;
    for (path, item) in paths {
        if let Some(post) = item.get("post") {
            posts += 1;
            let params = post["parameters"].as_array().cloned().unwrap_or_default();
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"),
                "POST {path} does not describe Idempotency-Key"
            );
        }
        if let Some(put) = item.get("put") {
            let params = put["parameters"].as_array().cloned().unwrap_or_default();
            assert!(
                !params.iter().any(|p| p["name"] == "Idempotency-Key"),
                "PUT {path}"
            );
        }
    }
    assert!(posts >= 5, "{posts} POST operations");
}
