//! The quarterly governance review over real HTTP, on SQLite and on PostgreSQL: opening a
//! quarter, figures (and saying so when a quarter has no data), participants and findings,
//! adopting a runbook adjustment (a new version new escalations use while old ones keep
//! theirs; 409 once the runbook moved), executive sign-off and the Markdown export.

use crate::common;
use app::auth::model::Role;
use app::review::Period;
use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

fn figure<'a>(review: &'a Value, key: &str) -> &'a Value {
    review["figures"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key}: {review}"))
}

#[tokio::test]
async fn a_review_adopts_a_runbook_change_that_new_escalations_use_and_is_signed_off() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let quarter = Period::of(chrono::Utc::now()).to_string();
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let old = app.escalation(&lead, launch, "Checkout slows", 2).await;
    assert_eq!(old["runbook_version"], 1);

    // Bad quarters are named; a future one is refused; an empty one says it has no data.
    for bad in ["2026-Q5", "Q4", ""] {
        let (status, body) = app
            .post("/api/v1/reviews", &lead.token, json!({"period": bad}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert!(body["error"]["fields"]["period"].is_string(), "{body}");
    }
    let next = Period::of(chrono::Utc::now()).next().to_string();
    let (status, _) = app
        .post("/api/v1/reviews", &lead.token, json!({"period": next}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, empty) = app
        .post("/api/v1/reviews", &lead.token, json!({"period": "2020-Q1"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{empty}");
    assert_eq!(empty["figures"]["no_data"], true);
    assert!(
        figure(&empty, "stalls")["value"].is_null(),
        "no zeros shown as facts"
    );
    let (status, _) = app
        .post(
            "/api/v1/reviews",
            &sponsor.token,
            json!({"period": quarter}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "facilitators open reviews");

    let (status, review) = app
        .post("/api/v1/reviews", &lead.token, json!({"period": quarter}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    assert_eq!(review["status"], "open");
    assert_eq!(review["figures"]["no_data"], false);
    assert_eq!(review["figures"]["escalations"], 1);
    assert_eq!(review["figures"]["by_tier"]["2"], 1);
    assert!(
        figure(&review, "acknowledged_in_time_pct")["target"]
            .as_str()
            .unwrap()
            .contains("Tier 2 1 h 00 min")
    );
    let id = review["id"].as_i64().unwrap();
    let (status, again) = app
        .post("/api/v1/reviews", &lead.token, json!({"period": quarter}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["error"]["current"]["id"], id);

    // Participants and findings.
    let path = format!("/api/v1/reviews/{id}");
    let (status, body) = app
        .send(
            Method::PATCH,
            &path,
            Some(&lead.token),
            Some(json!({"participants": [999_999]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, review) = app
        .send(
            Method::PATCH,
            &path,
            Some(&lead.token),
            Some(json!({"participants": [lead.actor.id.0, sponsor.actor.id.0],
                        "findings": "Tier 2 updates every 4 h are *too rare* <script>x()</script>"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["participants"].as_array().unwrap().len(), 2);
    assert!(
        !review["warnings"].as_array().unwrap().is_empty(),
        "areas nobody speaks for are warned of"
    );

    // Propose and adopt tier 2's update cadence: a new runbook version naming the review.
    let (status, adjustment) = app
        .post(
            &format!("{path}/adjustments"),
            &lead.token,
            json!({"kind": "runbook", "change": {"tier": 2, "update_minutes": 120}, "reason": "Updates every two hours"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{adjustment}");
    assert_eq!(adjustment["status"], "proposed");
    let (status, bad) = app
        .post(
            &format!("{path}/adjustments"),
            &lead.token,
            json!({"kind": "runbook", "change": {"tier": 7}, "reason": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let adopt = format!("/api/v1/adjustments/{}/adopt", adjustment["id"]);
    let (status, adopted) = app.post(&adopt, &lead.token, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{adopted}");
    assert_eq!(adopted["status"], "adopted");
    assert_eq!(adopted["result"], "Runbook version 2");
    let (status, _) = app.post(&adopt, &lead.token, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "adopted once");
    let (_, book) = app.get("/api/v1/runbook", &lead.token).await;
    assert_eq!(book["version"], 2);
    assert_eq!(book["tiers"][1]["update_minutes"], 120);
    assert_eq!(
        book["reason"],
        format!("Governance review {quarter}: Updates every two hours")
    );

    // New escalations run on version 2; the old one keeps version 1.
    let new = app.escalation(&lead, launch, "Search slows", 2).await;
    assert_eq!(new["runbook_version"], 2);
    let (_, old_now) = app
        .get(&format!("/api/v1/escalations/{}", old["id"]), &lead.token)
        .await;
    assert_eq!(old_now["runbook_version"], 1);

    // An adjustment proposed before the runbook moved no longer applies: 409, nothing changes.
    let (_, stale) = app
        .post(
            &format!("{path}/adjustments"),
            &lead.token,
            json!({"kind": "runbook", "change": {"tier": 1, "acknowledge_minutes": 10}, "reason": "Faster"}),
        )
        .await;
    let mut edited = book.clone();
    edited["tiers"][3]["decide_minutes"] = json!(2 * 24 * 60);
    edited["reason"] = json!("Tier 4 decides in two days");
    let (status, _) = app
        .send(
            Method::PUT,
            "/api/v1/runbook",
            Some(&lead.token),
            Some(edited),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .post(
            &format!("/api/v1/adjustments/{}/adopt", stale["id"]),
            &lead.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["current"]["version"], 3);
    let (_, book) = app.get("/api/v1/runbook", &lead.token).await;
    assert_eq!(
        (
            book["version"].as_i64(),
            book["tiers"][0]["acknowledge_minutes"].as_i64()
        ),
        (Some(3), Some(15))
    );

    // Only an executive signs off; then it is read-only.
    let sign = format!("{path}/sign-off");
    let (status, _) = app.post(&sign, &lead.token, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, signed) = app.post(&sign, &sponsor.token, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(signed["status"], "signed_off");
    assert_eq!(signed["signed_off_by"]["id"], sponsor.actor.id.0);
    let (status, _) = app
        .send(
            Method::PATCH,
            &path,
            Some(&lead.token),
            Some(json!({"findings": "late"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app.post(&sign, &sponsor.token, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The export: figures, participants, findings as text, the adopted change.
    let res = app
        .raw(
            Method::GET,
            &format!("{path}.md"),
            Some(&sponsor.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let kind = res.headers()[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("text/markdown"), "{kind}");
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let md = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        md.starts_with(&format!("# Governance review {quarter}")),
        "{md}"
    );
    assert!(md.contains("Signed off by"), "{md}");
    assert!(md.contains("| Acknowledged in time (SLA kept) |"), "{md}");
    assert!(md.contains("Tier 2: update every 2 h 00 min"), "{md}");
    assert!(md.contains("Adopted: Runbook version 2"), "{md}");
    assert!(md.contains("Not adopted"), "{md}");
    assert!(
        md.contains("&lt;script&gt;") && !md.contains("<script>"),
        "{md}"
    );
    let (status, _) = app.get("/api/v1/reviews/nope.md", &sponsor.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_review_changes_the_raci_template_that_launches_without_their_own_matrix_use() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let quarter = Period::of(chrono::Utc::now()).to_string();
    let plain = app.launch(&lead, "Plain").await["id"].as_i64().unwrap();
    let own = app.launch(&lead, "Own").await["id"].as_i64().unwrap();
    // "Own" saves its matrix as the template stands: it keeps it whatever the template does.
    let (_, template) = app
        .get(&format!("/api/v1/launches/{own}/raci"), &lead.token)
        .await;
    let mut draft = template.clone();
    draft["version"] = json!(0);
    let (status, saved) = app
        .send(
            Method::PUT,
            &format!("/api/v1/launches/{own}/raci"),
            Some(&lead.token),
            Some(draft),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, review) = app
        .post("/api/v1/reviews", &lead.token, json!({"period": quarter}))
        .await;
    let adjustments = format!("/api/v1/reviews/{}/adjustments", review["id"]);
    let propose = |change: Value| {
        let body = json!({"kind": "raci_template", "change": change, "reason": "Nobody owned the status page"});
        app.post(&adjustments, &lead.token, body)
    };

    // A row that breaks the rules, a seat that is not a functional role, or removing an
    // activity the template lacks: 422 naming the field, nothing proposed.
    for (change, field) in [
        (
            json!({"activity": "Status page", "cells": {"role:marketing": "A", "role:support": "A"}}),
            "change.cells",
        ),
        (
            json!({"activity": "Status page", "cells": {"role:marketing": "A"}}),
            "change.cells",
        ),
        (
            json!({"activity": "Status page", "cells": {"role:wizard": "A", "role:support": "R"}}),
            "change.cells",
        ),
        (
            json!({"activity": "Status page", "cells": {"role:marketing": "X", "role:support": "R"}}),
            "change.cells",
        ),
        (
            json!({"activity": "", "cells": {"role:marketing": "A", "role:support": "R"}}),
            "change.activity",
        ),
        (
            json!({"activity": "No such activity", "remove": true}),
            "change.activity",
        ),
    ] {
        let (status, reply) = propose(change.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{change}: {reply}"
        );
        assert!(reply["error"]["fields"][field].is_string(), "{reply}");
    }

    let row = json!({"activity": "Status page <updates>", "cells": {"role:marketing": "A", "role:support": "R", "role:engineering_lead": "C"}});
    let (status, first) = propose(row).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(
        first["summary"].as_str().unwrap().contains("Marketing A"),
        "{first}"
    );
    let (status, second) =
        propose(json!({"activity": "support macros and help centre", "remove": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (status, adopted) = app
        .post(
            &format!("/api/v1/adjustments/{}/adopt", first["id"]),
            &lead.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{adopted}");
    assert_eq!(adopted["result"], "RACI template version 1");

    let names = |raci: &Value| -> Vec<String> {
        raci["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, plain_raci) = app
        .get(&format!("/api/v1/launches/{plain}/raci"), &lead.token)
        .await;
    assert!(
        names(&plain_raci).contains(&"Status page <updates>".to_string()),
        "{plain_raci}"
    );
    let (_, own_raci) = app
        .get(&format!("/api/v1/launches/{own}/raci"), &lead.token)
        .await;
    assert_eq!(
        names(&own_raci),
        names(&template),
        "a launch's own matrix is its own"
    );

    // The second was proposed against the template before: 409 with the template as it is.
    let (status, reply) = app
        .post(
            &format!("/api/v1/adjustments/{}/adopt", second["id"]),
            &lead.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{reply}");
    assert_eq!(reply["error"]["current"]["version"], 1, "{reply}");
}
