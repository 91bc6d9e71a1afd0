//! Optimistic versions under parallel writers: for every versioned entity, eight saves sent
//! at once from the same `version` (through the real router, each on its own task) give
//! exactly one 200 and seven 409s carrying the current state, the stored version moves by
//! one and one event is recorded — on SQLite and on PostgreSQL. First saves (a row that does
//! not exist yet) race the same way.

use crate::common;
use app::auth::model::Role;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Login, TestApp, urlencode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

/// How many saves race each time.
const WRITERS: usize = 8;

/// A REST request with a bearer token.
fn rest(method: Method, path: &str, who: &Login, body: Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", who.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A server-function call the way a browser form sends it.
fn server_fn(endpoint: &str, who: &Login, form: &[(&str, String)]) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, &who.cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap()
}

/// Sends every request at once, each on its own task released by one barrier, and returns
/// the answers in the order the requests were given.
async fn race(router: &Router, requests: Vec<Request<Body>>) -> Vec<(StatusCode, Value)> {
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks = requests.into_iter().map(|req| {
        let router = router.clone();
        let barrier = barrier.clone();
        tokio::spawn(async move {
            barrier.wait().await;
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            let json = serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
            (status, json)
        })
    });
    futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

/// Exactly one save won and every other one got a 409 whose `current` is what the winner
/// wrote; `version_of` reads the version from the winner's body or a `current`. Returns the
/// winner's index and body.
fn one_winner(
    what: &str,
    answers: &[(StatusCode, Value)],
    new_version: i64,
    version_of: impl Fn(&Value) -> Option<i64>,
) -> (usize, Value) {
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| s.as_u16()).collect();
    let winners: Vec<usize> = (0..answers.len())
        .filter(|i| answers[*i].0 == StatusCode::OK)
        .collect();
    let conflicts = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (winners.len(), conflicts),
        (1, answers.len() - 1),
        "{what}: want 1 × 200 and {} × 409, got {statuses:?}: {answers:?}",
        answers.len() - 1
    );
    let winner = answers[winners[0]].1.clone();
    assert_eq!(version_of(&winner), Some(new_version), "{what}: {winner}");
    for (status, body) in answers.iter().filter(|(s, _)| *s == StatusCode::CONFLICT) {
        // REST wraps the error in `error`; a server function sends it bare.
        let error = body.get("error").unwrap_or(body);
        assert_eq!(error["code"], "conflict", "{what}: {status} {body}");
        assert_eq!(
            version_of(&error["current"]),
            Some(new_version),
            "{what}: a 409 carries the state the winner wrote: {body}"
        );
    }
    (winners[0], winner)
}

/// How many events of `kind` are recorded.
async fn events(app: &TestApp, kind: &str) -> u64 {
    use app::entity::event;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    event::Entity::find()
        .filter(event::Column::Kind.eq(kind))
        .count(&app.db.conn)
        .await
        .unwrap()
}

fn version(v: &Value) -> Option<i64> {
    v["version"].as_i64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_launch_edits_from_one_version_leave_one_winner() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Aurora").await;
    let id = launch["id"].as_i64().unwrap();
    assert_eq!(launch["version"], 1);

    let requests = (0..WRITERS)
        .map(|i| {
            server_fn(
                "launch/update_launch",
                &lead,
                &[
                    ("id", id.to_string()),
                    ("version", "1".into()),
                    ("name", format!("Aurora {i}")),
                    ("target_date", "2027-03-01".into()),
                ],
            )
        })
        .collect();
    let answers = race(&app.router, requests).await;
    let (i, _) = one_winner("launch update", &answers, 2, version);

    let (status, stored) = app
        .get(&format!("/api/v1/launches/{id}"), &lead.token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored["version"], 2, "{stored}");
    assert_eq!(stored["name"], format!("Aurora {i}"), "no lost update");
    assert_eq!(events(&app, "launch.updated").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_rotation_saves_first_and_later_leave_one_winner() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let people: Vec<Login> =
        futures::future::join_all((0..WRITERS).map(|_| async { app.login_as(Role::Member).await }))
            .await;
    let launch = app.launch(&lead, "Rota").await["id"].as_i64().unwrap();
    let path = format!("/api/v1/launches/{launch}/rotation");
    let body = |version: i64, i: usize| {
        json!({"version": version, "period_days": 7, "starts_at": "2026-11-02T09:00:00Z",
               "roles": {"engineering_lead": [people[i].actor.id.0]}})
    };
    let rotation_version = |v: &Value| v["rotation"]["version"].as_i64().or(version(v));

    for (from, what) in [(0, "first rotation save"), (1, "rotation save")] {
        let requests = (0..WRITERS)
            .map(|i| rest(Method::PUT, &path, &lead, body(from, i)))
            .collect();
        let answers = race(&app.router, requests).await;
        let (i, _) = one_winner(what, &answers, from + 1, rotation_version);
        let (status, stored) = app.get(&path, &lead.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stored["version"], from + 1, "{what}: {stored}");
        assert_eq!(
            stored["roles"]["engineering_lead"],
            json!([people[i].actor.id.0]),
            "{what}: no lost update"
        );
    }
    assert_eq!(events(&app, "rotation.saved").await, 2);
}

/// A matrix whose only activity is "Race {i}".
fn matrix(version: i64, i: usize) -> Value {
    json!({"version": version, "activities": [
        {"name": format!("Race {i}"), "cells": {"role:sales": "A", "role:support": "R"}}
    ]})
}

/// Races first saves and then later saves of the matrix at `path`.
async fn race_matrix(app: &TestApp, lead: &Login, path: &str, scope: &str) {
    for from in [0, 1] {
        let what = format!("{scope} RACI save from version {from}");
        let requests = (0..WRITERS)
            .map(|i| rest(Method::PUT, path, lead, matrix(from, i)))
            .collect();
        let answers = race(&app.router, requests).await;
        let (i, _) = one_winner(&what, &answers, from + 1, version);
        let (status, stored) = app.get(path, &lead.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stored["version"], from + 1, "{what}: {stored}");
        assert_eq!(
            stored["activities"][0]["name"],
            format!("Race {i}"),
            "{what}: no lost update"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_launch_raci_saves_first_and_later_leave_one_winner() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Matrix").await["id"].as_i64().unwrap();
    race_matrix(
        &app,
        &lead,
        &format!("/api/v1/launches/{launch}/raci"),
        "launch",
    )
    .await;
    assert_eq!(events(&app, "raci.saved").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_escalation_raci_saves_first_and_later_leave_one_winner() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Matrix").await["id"].as_i64().unwrap();
    let escalation = app.escalation(&lead, launch, "Checkout 500s", 2).await["id"]
        .as_i64()
        .unwrap();
    race_matrix(
        &app,
        &lead,
        &format!("/api/v1/escalations/{escalation}/raci"),
        "escalation",
    )
    .await;
    assert_eq!(events(&app, "raci.saved").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_runbook_saves_from_one_version_leave_one_winner() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    for round in 0..2 {
        let (status, book) = app.get("/api/v1/runbook", &lead.token).await;
        assert_eq!(status, StatusCode::OK);
        let from = book["version"].as_i64().unwrap();
        let edited = |i: usize| {
            let mut edited = book.clone();
            edited["tiers"][0]["decide_minutes"] = json!(60 + 10 * round + i);
            edited
        };
        let requests = (0..WRITERS)
            .map(|i| rest(Method::PUT, "/api/v1/runbook", &lead, edited(i)))
            .collect();
        let answers = race(&app.router, requests).await;
        let (i, _) = one_winner("runbook save", &answers, from + 1, version);
        let (_, stored) = app.get("/api/v1/runbook", &lead.token).await;
        assert_eq!(stored["version"], from + 1, "{stored}");
        assert_eq!(
            stored["tiers"][0]["decide_minutes"],
            60 + 10 * round + i,
            "no lost update"
        );
    }
    assert_eq!(events(&app, "runbook.updated").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_postmortem_saves_first_and_later_leave_one_winner() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let mut e = app.escalation(&lead, launch, "Checkout 500s", 3).await;
    let id = e["id"].as_i64().unwrap();
    for stage in ["triaged", "mitigating", "resolved"] {
        let (status, body) = app
            .post(
                &format!("/api/v1/escalations/{id}/move"),
                &lead.token,
                json!({"stage": stage, "version": e["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        e = body;
    }
    let path = format!("/api/v1/escalations/{id}/postmortem");
    for from in [0, 1] {
        let what = format!("post-mortem save from version {from}");
        let requests = (0..WRITERS)
            .map(|i| {
                let summary = format!("Summary {from}.{i}");
                rest(
                    Method::PUT,
                    &path,
                    &lead,
                    json!({"version": from, "summary": summary}),
                )
            })
            .collect();
        let answers = race(&app.router, requests).await;
        let (i, _) = one_winner(&what, &answers, from + 1, version);
        let (status, stored) = app.get(&path, &lead.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stored["version"], from + 1, "{what}: {stored}");
        assert_eq!(
            stored["summary"],
            format!("Summary {from}.{i}"),
            "{what}: no lost update"
        );
    }
    assert_eq!(events(&app, "postmortem.saved").await, 2);
}
