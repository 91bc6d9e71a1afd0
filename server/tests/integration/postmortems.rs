//! Post-mortems through the REST API: started from a Resolved escalation, saved as drafts
//! section by section with stale saves refused only where someone else wrote, remediation
//! items that are ordinary action items, times computed from the events and corrected with a
//! reason, review by named reviewers, publication that makes it read-only and lets a Tier 1
//! escalation close, the Markdown export, and the index.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::{Login, TestApp, date_in_days};
use serde_json::{Value, json};

async fn put(app: &TestApp, id: i64, who: &Login, body: Value) -> (StatusCode, Value) {
    app.send(
        Method::PUT,
        &format!("/api/v1/escalations/{id}/postmortem"),
        Some(&who.token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_tier_1_escalation_closes_only_once_its_postmortem_is_published() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let writer = app.login_as(Role::Member).await;
    let reviewer = app.login_as(Role::Member).await;
    let viewer = app.login_as(Role::Viewer).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Checkout 500s", 1).await;
    let id = e["id"].as_i64().unwrap();

    // Not before the escalation is Resolved.
    let (status, body) = put(&app, id, &writer, json!({"summary": "Too early"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["stage"].is_string(), "{body}");
    let e = app
        .walk(&lead, e, &["triaged", "mitigating", "resolved"])
        .await;

    // A Tier 1 escalation does not close without a published post-mortem, reason or not.
    let close = json!({"stage": "closed", "version": e["version"], "reason": "Fixed"});
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{id}/move"),
            &lead.token,
            close.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["stage"]
            .as_str()
            .unwrap()
            .contains("post-mortem")
    );

    // An empty draft with computed times and the timeline is there to start from.
    let (status, blank) = app
        .get(
            &format!("/api/v1/escalations/{id}/postmortem"),
            &viewer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{blank}");
    assert_eq!(blank["version"], 0);
    assert_eq!(blank["status"], "draft");
    assert_eq!(blank["times"]["detect"]["minutes"], 0);
    assert!(blank["times"]["resolve"]["computed_minutes"].is_i64());
    assert_eq!(blank["timeline"][0]["text"], "Raised: Checkout 500s");

    // Viewers read but do not write.
    let (status, _) = put(&app, id, &viewer, json!({"summary": "No"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, pm) = put(
        &app,
        id,
        &writer,
        json!({"version": 0, "summary": "Payments failed <script>alert(1)</script>"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["version"], 1);
    assert_eq!(pm["status"], "draft");

    // Remediation items need an owner and a due date; a refused save stores nothing.
    let events_before = app.count("events").await;
    let (status, body) = put(
        &app,
        id,
        &writer,
        json!({"version": 1, "remediation": [{"title": "Expiry alerts"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = body["error"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("remediation[0].owner_id"), "{body}");
    assert!(fields.contains_key("remediation[0].due"), "{body}");
    assert_eq!(app.count("events").await, events_before);

    let (status, pm) = put(
        &app,
        id,
        &writer,
        json!({"version": 1, "remediation": [
            {"title": "Certificate expiry alerts", "owner_id": writer.actor.id.0, "due": date_in_days(10)}
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["remediation"][0]["title"], "Certificate expiry alerts");
    // It is an ordinary action item of the escalation.
    let (_, actions) = app
        .get(&format!("/api/v1/escalations/{id}/actions"), &viewer.token)
        .await;
    assert!(
        actions
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "remediation" && a["title"] == "Certificate expiry alerts"),
        "{actions}"
    );

    // Review needs the required sections, each named.
    let submit = format!("/api/v1/escalations/{id}/postmortem/submit");
    let (status, body) = app
        .post(
            &submit,
            &writer.token,
            json!({"reviewer_ids": [reviewer.actor.id.0, lead.actor.id.0]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let missing: Vec<&String> = body["error"]["fields"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        missing,
        ["impact.customers_affected", "learnings", "root_causes"]
    );

    let (status, pm) = put(
        &app,
        id,
        &writer,
        json!({"impact": {"customers_affected": 1200, "revenue": 85000, "segments": ["EU"]},
               "root_causes": ["Expired certificate", "  "], "learnings": "Alert before expiry"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["root_causes"], json!(["Expired certificate"]));
    let (status, body) = app
        .post(&submit, &writer.token, json!({"reviewer_ids": []}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, pm) = app
        .post(
            &submit,
            &writer.token,
            json!({"reviewer_ids": [reviewer.actor.id.0, lead.actor.id.0]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["status"], "in_review");

    // Only named reviewers approve; it is published when all have.
    let approve = format!("/api/v1/escalations/{id}/postmortem/approve");
    let (status, _) = app.post(&approve, &writer.token, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, pm) = app.post(&approve, &reviewer.token, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["status"], "in_review");
    let (status, pm) = app.post(&approve, &lead.token, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["status"], "published");
    assert!(pm["published_at"].is_string());

    // Published is read-only; corrections are addenda.
    let (status, body) = put(&app, id, &writer, json!({"summary": "Rewritten"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("addendum")
    );
    let (status, pm) = app
        .post(
            &format!("/api/v1/escalations/{id}/postmortem/addenda"),
            &writer.token,
            json!({"text": "Revenue figure confirmed by finance"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{pm}");
    assert_eq!(pm["summary"], "Payments failed <script>alert(1)</script>");
    assert_eq!(
        pm["addenda"][0]["text"],
        "Revenue figure confirmed by finance"
    );

    // The export has every section, the timeline and the remediation table; markup stays text.
    let (status, md, headers) = app
        .page(
            &format!("/api/v1/escalations/{id}/postmortem.md"),
            Some(&writer.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    for part in [
        "# Post-mortem: Checkout 500s",
        "## Summary",
        "## Customer impact",
        "## Times",
        "## Root causes",
        "## Learnings",
        "| Certificate expiry alerts |",
        "## Timeline",
        "Raised: Checkout 500s",
        "Moved from Mitigating to Resolved",
        "## Addenda",
    ] {
        assert!(md.contains(part), "{part} missing from:\n{md}");
    }
    assert!(
        md.contains("&lt;script&gt;") && !md.contains("<script>"),
        "{md}"
    );

    // Now it closes.
    let (_, current) = app
        .get(&format!("/api/v1/escalations/{id}"), &lead.token)
        .await;
    let (status, closed) = app
        .post(
            &format!("/api/v1/escalations/{id}/move"),
            &lead.token,
            json!({"stage": "closed", "version": current["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["stage"], "closed");

    // Every change is an event.
    let (_, timeline) = app
        .get(&format!("/api/v1/escalations/{id}/timeline"), &lead.token)
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "postmortem.saved",
        "postmortem.submitted",
        "postmortem.approved",
        "postmortem.published",
        "postmortem.addendum",
    ] {
        assert!(kinds.contains(&kind), "{kind} not in {kinds:?}");
    }

    // The index lists it with its open remediation.
    let (status, index) = app
        .get(
            &format!("/api/v1/postmortems?launch_id={launch}"),
            &viewer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{index}");
    assert_eq!(index[0]["escalation_id"], id);
    assert_eq!(index[0]["status"], "published");
    assert_eq!(index[0]["open_remediation"], 1);
}

#[tokio::test]
async fn a_stale_save_is_refused_only_for_sections_someone_else_saved() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let a = app.login_as(Role::Member).await;
    let b = app.login_as(Role::Member).await;
    let launch = app.launch(&lead, "Borealis").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Slow search", 3).await;
    let id = e["id"].as_i64().unwrap();
    app.walk(&lead, e, &["triaged", "resolved"]).await;

    let (status, _) = put(
        &app,
        id,
        &a,
        json!({"version": 0, "summary": "A's summary"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // B loaded version 0 and writes another section: it merges.
    let (status, pm) = put(
        &app,
        id,
        &b,
        json!({"version": 0, "learnings": "B's learnings"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["summary"], "A's summary");
    assert_eq!(pm["version"], 2);
    // A (at version 1) changes the summary again: nobody else touched it.
    let (status, _) = put(
        &app,
        id,
        &a,
        json!({"version": 1, "summary": "A's second summary"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // B (at version 2) writes the summary A changed at version 3: 409 with the current text.
    let (status, body) = put(
        &app,
        id,
        &b,
        json!({"version": 2, "summary": "B's summary"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Summary"),
        "{body}"
    );
    assert_eq!(body["error"]["current"]["summary"], "A's second summary");
    let (_, pm) = app
        .get(&format!("/api/v1/escalations/{id}/postmortem"), &a.token)
        .await;
    assert_eq!(pm["summary"], "A's second summary");
    assert_eq!(pm["learnings"], "B's learnings");

    // Status changes only through review.
    let (status, body) = put(&app, id, &a, json!({"status": "published"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Timeline marks are for facilitators.
    let event_id = pm["timeline"][0]["event_id"].as_i64().unwrap();
    let marks =
        json!({"timeline": [{"event_id": event_id, "pinned": true, "note": "Paged quickly"}]});
    let (status, _) = put(&app, id, &a, marks.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, pm) = put(&app, id, &lead, marks).await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["timeline"][0]["pinned"], true);
    assert_eq!(pm["timeline"][0]["note"], "Paged quickly");
    let (status, pm) = put(
        &app,
        id,
        &lead,
        json!({"timeline": [{"event_id": event_id, "hidden": true}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["timeline"][0]["hidden"], true);
    // Hidden, not deleted: the event is still in the log, and out of the export.
    let (_, md, _) = app
        .page(
            &format!("/api/v1/escalations/{id}/postmortem.md"),
            Some(&a.cookie),
        )
        .await;
    assert!(!md.contains("Raised: Slow search"), "{md}");
    let (_, timeline) = app
        .get(&format!("/api/v1/escalations/{id}/timeline"), &a.token)
        .await;
    assert_eq!(timeline[0]["kind"], "escalation.created");
}

#[tokio::test]
async fn times_come_from_the_events_and_corrections_need_a_reason() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Comet").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Login loop", 2).await;
    let id = e["id"].as_i64().unwrap();
    app.walk(&lead, e, &["triaged", "resolved"]).await;

    // Customers were affected 90 minutes before it was raised.
    let started = (chrono::Utc::now() - chrono::Duration::minutes(90))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (status, pm) = put(&app, id, &lead, json!({"impact": {"started_at": started}})).await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    let detect = pm["times"]["detect"]["minutes"].as_i64().unwrap();
    assert!((89..=90).contains(&detect), "{detect}");
    assert!(pm["times"]["resolve"]["minutes"].as_i64().unwrap() >= 89);
    assert!(pm["times"]["acknowledge"]["minutes"].as_i64().unwrap() <= 1);

    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let (status, body) = put(&app, id, &lead, json!({"impact": {"started_at": future}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = put(
        &app,
        id,
        &lead,
        json!({"times": {"detect": {"minutes": 30}}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["times.detect.reason"].is_string());
    let (status, pm) = put(
        &app,
        id,
        &lead,
        json!({"times": {"detect": {"minutes": 30, "reason": "Monitoring saw it at once; the ticket was late"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pm}");
    assert_eq!(pm["times"]["detect"]["minutes"], 30);
    assert_eq!(
        pm["times"]["detect"]["computed_minutes"].as_i64().unwrap(),
        detect
    );
}
