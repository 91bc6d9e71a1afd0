//! Pages under hostile text: every user-written field carrying markup is rendered as text on
//! every page (parsed with a real HTML parser, nothing in the document comes from user text).

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::{Login, TestApp, date_in_days};
use scraper::{Html, Selector};
use serde_json::{Value, json};

/// Markup that, written raw into a page, ends `<title>`, `<textarea>` or `<script>` and adds
/// a refresh to another site and an element and attribute of its own.
const HOSTILE: &str = concat!(
    "Q</title></textarea></script></style>",
    r#"<meta http-equiv="refresh" content="2;url=https://evil.example/">"#,
    r#"<flare-pwned data-pwned="1">x</flare-pwned>"'&amp;"#,
);

fn in_hours(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

async fn ok(app: &TestApp, method: Method, path: &str, who: &Login, body: Value) -> Value {
    let (status, reply) = app.send(method, path, Some(&who.token), Some(body)).await;
    assert!(status.is_success(), "{path}: {status} {reply}");
    reply
}

/// Fails if anything in `html` was made from the hostile text rather than shown as text.
fn assert_nothing_from_user_text(path: &str, html: &str) -> Html {
    let doc = Html::parse_document(html);
    for selector in ["flare-pwned", "[data-pwned]", "meta[http-equiv]"] {
        let found = doc.select(&Selector::parse(selector).unwrap()).count();
        assert_eq!(found, 0, "{path}: user text became markup ({selector})");
    }
    let titles: Vec<String> = doc
        .select(&Selector::parse("title").unwrap())
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(titles.len(), 1, "{path}: one <title>, got {titles:?}");
    assert!(titles[0].ends_with("Flare"), "{path}: title {titles:?}");
    doc
}

#[tokio::test]
async fn hostile_text_in_every_user_written_field_is_text_on_every_page() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let admin = app.login_as(Role::Admin).await;
    let named = app.user("hostile@example.com", HOSTILE, Role::Member).await;

    let launch = ok(
        &app,
        Method::POST,
        "/api/v1/launches",
        &lead,
        json!({"name": HOSTILE, "target_date": "2027-03-01", "description": HOSTILE}),
    )
    .await;
    let launch_id = launch["id"].as_i64().unwrap();
    let e = ok(
        &app,
        Method::POST,
        "/api/v1/escalations",
        &lead,
        json!({"launch_id": launch_id, "title": HOSTILE, "description": HOSTILE,
               "trigger": "customer_defect", "tier": 3,
               "impact": {"customer": 3, "revenue": 2, "compliance": 0},
               "owner_id": lead.actor.id.0, "deadline": in_hours(8)}),
    )
    .await;
    let id = e["id"].as_i64().unwrap();
    let base = format!("/api/v1/escalations/{id}");
    ok(
        &app,
        Method::POST,
        &format!("{base}/updates"),
        &lead,
        json!({"problem": HOSTILE, "impact": HOSTILE, "mitigation": HOSTILE,
               "decision_required": HOSTILE}),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &format!("{base}/decisions"),
        &lead,
        json!({"decision": HOSTILE, "rationale": HOSTILE,
               "participant_ids": [named.actor.id.0]}),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &format!("{base}/actions"),
        &lead,
        json!({"title": HOSTILE, "owner_id": named.actor.id.0, "due": date_in_days(3)}),
    )
    .await;
    ok(
        &app,
        Method::PUT,
        &format!("/api/v1/launches/{launch_id}/raci"),
        &lead,
        json!({"version": 0, "activities": [
            {"name": HOSTILE, "cells": {"role:engineering_lead": "A",
                                        named.actor.id.0.to_string(): "R"}}]}),
    )
    .await;
    // Resolved (the decision took it back to Mitigating), with a post-mortem written in every
    // section.
    let e = ok(&app, Method::GET, &base, &lead, Value::Null).await;
    ok(
        &app,
        Method::POST,
        &format!("{base}/move"),
        &lead,
        json!({"stage": "resolved", "version": e["version"], "outcome": HOSTILE,
               "risk_posture": {"level": "high", "note": HOSTILE}}),
    )
    .await;
    ok(
        &app,
        Method::PUT,
        &format!("{base}/postmortem"),
        &lead,
        json!({"summary": HOSTILE,
               "impact": {"customers_affected": 10, "revenue": 5000, "segments": [HOSTILE]},
               "root_causes": [HOSTILE], "contributing_factors": HOSTILE,
               "went_well": HOSTILE, "went_poorly": HOSTILE, "got_lucky": HOSTILE,
               "learnings": HOSTILE,
               "remediation": [{"title": HOSTILE, "owner_id": named.actor.id.0, "due": date_in_days(9)}]}),
    )
    .await;

    // A criterion named in hostile text, breached, so its name is in every readiness reason.
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/launches/{launch_id}/criteria"),
        &lead,
        json!({"name": HOSTILE, "metric": "checkout.p95_ms", "comparator": "<=", "threshold": 800}),
    )
    .await;
    for value in [500, 900] {
        let (status, body) = app
            .post(
                &format!("/api/v1/launches/{launch_id}/metrics"),
                &lead.token,
                json!({"samples": [{"metric": "checkout.p95_ms", "value": value}]}),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    }

    let pages = [
        "/".to_string(),
        format!("/launches/{launch_id}"),
        format!("/launches/{launch_id}/criteria"),
        format!("/launches/{launch_id}/dashboard"),
        "/dashboard".to_string(),
        format!("/launches/{launch_id}/board"),
        format!("/launches/{launch_id}/raci"),
        format!("/launches/{launch_id}/team"),
        format!("/escalations/{id}"),
        format!("/escalations/{id}/raci"),
        format!("/escalations/{id}/postmortem"),
        "/postmortems".to_string(),
        format!("/postmortems?launch={launch_id}"),
        "/decisions".to_string(),
        "/my-work".to_string(),
        "/runbook".to_string(),
        "/audit".to_string(),
        "/notifications".to_string(),
        "/admin".to_string(),
        "/account".to_string(),
    ];
    // Pages that show the hostile text in their title, and the title they must show.
    let titled = [
        (
            format!("/launches/{launch_id}"),
            format!("{HOSTILE} · Flare"),
        ),
        (
            format!("/launches/{launch_id}/board"),
            format!("Board · {HOSTILE} · Flare"),
        ),
        (format!("/escalations/{id}"), format!("{HOSTILE} · Flare")),
        (
            format!("/launches/{launch_id}/criteria"),
            format!("Success criteria · {HOSTILE} · Flare"),
        ),
        (
            format!("/launches/{launch_id}/dashboard"),
            format!("Dashboard · {HOSTILE} · Flare"),
        ),
        (
            format!("/escalations/{id}/postmortem"),
            format!("Post-mortem · {HOSTILE} · Flare"),
        ),
    ];
    for who in [&lead, &admin, &named] {
        for path in &pages {
            let (status, html, _) = app.page(path, Some(&who.cookie)).await;
            assert!(
                status.is_success() || status == StatusCode::FORBIDDEN,
                "{path}: {status}"
            );
            let doc = assert_nothing_from_user_text(path, &html);
            if let Some((_, want)) = titled.iter().find(|(p, _)| p == path) {
                let title: String = doc
                    .select(&Selector::parse("title").unwrap())
                    .flat_map(|t| t.text())
                    .collect();
                assert_eq!(&title, want, "{path}: the title shows the text as written");
            }
        }
    }
    // The launch's edit form shows the description exactly as written.
    let (_, html, _) = app
        .page(&format!("/launches/{launch_id}"), Some(&lead.cookie))
        .await;
    let doc = Html::parse_document(&html);
    let areas: Vec<String> = doc
        .select(&Selector::parse("textarea").unwrap())
        .map(|t| t.text().collect())
        .collect();
    assert!(
        areas.iter().any(|text| text == HOSTILE),
        "the description's textarea holds the text as written: {areas:?}"
    );
}
