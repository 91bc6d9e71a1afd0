//! Keeping stakeholders informed: the outcome and risk posture a resolution records, and
//! who the runbook's rules tell when an escalation is raised or resolved.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::{Login, TestApp};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// Who got a notification of `kind` about escalation `id`, sorted.
async fn told(app: &TestApp, kind: &str, id: &Value) -> Vec<i64> {
    let rows = app
        .db
        .conn
        .query_all_raw(Statement::from_string(
            app.db.backend(),
            format!(
                "SELECT user_id FROM notifications WHERE kind = '{kind}' AND escalation_id = {id} ORDER BY user_id"
            ),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get_by_index::<i64>(0).unwrap())
        .collect()
}

fn ids(logins: &[&Login]) -> Vec<i64> {
    let mut ids: Vec<i64> = logins.iter().map(|l| l.actor.id.0).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn resolving_records_the_outcome_and_tells_every_stakeholder_by_the_runbook() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let owner = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let other_executive = app.login_as(Role::Executive).await;
    let on_duty = app.login_as(Role::Member).await;
    let helper = app.login_as(Role::Member).await;
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &lead.token,
            json!({"name": "Aurora", "target_date": "2027-01-01",
                   "sponsor_id": sponsor.actor.id.0, "lead_id": lead.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let launch = launch["id"].as_i64().unwrap();
    let (status, body) = app
        .send(
            Method::PUT,
            &format!("/api/v1/launches/{launch}/rotation"),
            Some(&lead.token),
            Some(
                json!({"version": 0, "period_days": 7, "starts_at": "2026-01-05T09:00:00Z",
                   "roles": {"support": [on_duty.actor.id.0]}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Raising: a tier 1 reaches its team, the lead, the sponsor and (the runbook says so
    // for tier 1) every executive; not its owner, who raised it.
    let major = app.escalation(&owner, launch, "Checkout fails", 1).await;
    assert_eq!(
        told(&app, "escalation_raised", &major["id"]).await,
        ids(&[&lead, &sponsor, &other_executive, &on_duty])
    );
    // A tier 4 stays with its team.
    let minor = app
        .escalation(&owner, launch, "Typo in the footer", 4)
        .await;
    assert_eq!(
        told(&app, "escalation_raised", &minor["id"]).await,
        ids(&[&on_duty])
    );

    let e = app
        .walk(&lead, major.clone(), &["triaged", "mitigating"])
        .await;
    let id = e["id"].as_i64().unwrap();
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{id}/updates"),
            &helper.token,
            json!({"problem": "Card payments fail", "impact": "EU checkout", "mitigation": "Rolling back"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, e) = app
        .get(&format!("/api/v1/escalations/{id}"), &lead.token)
        .await;
    let path = format!("/api/v1/escalations/{id}/move");

    // A tier 1 does not resolve without its outcome and risk posture …
    let (status, body) = app
        .post(
            &path,
            &lead.token,
            json!({"stage": "resolved", "version": e["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = &body["error"]["fields"];
    assert!(fields["outcome"].is_string(), "{body}");
    assert!(fields["risk_posture.level"].is_string(), "{body}");
    let (status, body) = app
        .post(
            &path,
            &lead.token,
            json!({"stage": "resolved", "version": e["version"], "outcome": "Rolled back",
                   "risk_posture": {"level": "severe"}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["error"]["fields"]["risk_posture.level"],
        "must be low, medium or high"
    );
    assert!(told(&app, "escalation_resolved", &e["id"]).await.is_empty());

    // … and with them it is resolved, shows them, and every stakeholder but the resolver
    // hears: owner, team, whoever acted on it, sponsor and executives.
    let (status, resolved) = app
        .post(
            &path,
            &lead.token,
            json!({"stage": "resolved", "version": e["version"],
                   "outcome": " Rolled back the payment gateway ",
                   "risk_posture": {"level": "medium", "note": "Fallback has no spare capacity"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{resolved}");
    assert_eq!(resolved["stage"], "resolved");
    assert_eq!(resolved["outcome"], "Rolled back the payment gateway");
    assert_eq!(
        resolved["risk_posture"],
        json!({"level": "medium", "note": "Fallback has no spare capacity"})
    );
    assert_eq!(
        told(&app, "escalation_resolved", &e["id"]).await,
        ids(&[&owner, &sponsor, &other_executive, &on_duty, &helper])
    );
    // A stale move is told what last happened to the escalation itself, not the notices.
    let (status, body) = app
        .post(
            &path,
            &owner.token,
            json!({"stage": "awaiting_decision", "version": e["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("was moved to Resolved by"), "{message}");
    let (_, timeline) = app
        .get(&format!("/api/v1/escalations/{id}/timeline"), &lead.token)
        .await;
    let moved = timeline
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["kind"] == "escalation.moved")
        .unwrap();
    assert_eq!(
        moved["payload"]["outcome"],
        "Rolled back the payment gateway"
    );
    assert_eq!(moved["payload"]["risk_posture"]["level"], "medium");
    let (_, postmortem) = app
        .get(&format!("/api/v1/escalations/{id}/postmortem"), &lead.token)
        .await;
    assert_eq!(postmortem["outcome"], "Rolled back the payment gateway");
    assert_eq!(postmortem["risk_posture"]["level"], "medium");

    // Reopened, it no longer claims an outcome.
    let reopened = app.walk(&lead, resolved, &["mitigating"]).await;
    assert_eq!(reopened["outcome"], Value::Null);
    assert_eq!(reopened["risk_posture"], Value::Null);

    // Tiers 3–4 may resolve without either.
    let minor = app.walk(&lead, minor, &["triaged"]).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{}/move", minor["id"]),
            &lead.token,
            json!({"stage": "resolved", "version": minor["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["outcome"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_missed_acknowledgement_and_update_is_told_once_to_the_owner_and_the_lead() {
    use app::checks::service::run_once;
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let lead = app.login_as(Role::Facilitator).await;
    let owner = app.login_as(Role::Facilitator).await;
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &lead.token,
            json!({"name": "Misses", "target_date": "2027-01-01", "lead_id": lead.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let launch = launch["id"].as_i64().unwrap();
    let waiting = app.escalation(&owner, launch, "Nobody triaged me", 1).await;
    let working = app.escalation(&owner, launch, "Nobody updates me", 1).await;
    let working = app.walk(&owner, working, &["triaged"]).await;

    // Tier 1: acknowledge within 15 minutes, update hourly. Two servers check at once,
    // twice; each miss is told once, to the owner and the lead.
    let later = chrono::Utc::now() + chrono::Duration::minutes(90);
    for at in [later, later + chrono::Duration::minutes(1)] {
        let (a, b) = tokio::join!(run_once(&app.db, at), run_once(&other, at));
        a.unwrap();
        b.unwrap();
    }
    let both = ids(&[&lead, &owner]);
    assert_eq!(
        told(&app, "acknowledgement_missed", &waiting["id"]).await,
        both
    );
    assert!(
        told(&app, "acknowledgement_missed", &working["id"])
            .await
            .is_empty()
    );
    assert_eq!(told(&app, "update_missed", &working["id"]).await, both);
    assert!(told(&app, "update_missed", &waiting["id"]).await.is_empty());

    // An update resets the cadence; missing the next one is a new miss, told again.
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{}/updates", working["id"]),
            &owner.token,
            json!({"problem": "p", "impact": "i", "mitigation": "m"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    run_once(&app.db, later + chrono::Duration::minutes(120))
        .await
        .unwrap();
    let mut twice = [both.clone(), both].concat();
    twice.sort_unstable();
    assert_eq!(told(&app, "update_missed", &working["id"]).await, twice);
    // The misses are events too, so webhooks carry them.
    let (_, timeline) = app
        .get(
            &format!("/api/v1/escalations/{}/timeline", working["id"]),
            &lead.token,
        )
        .await;
    let misses = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "escalation.update_missed")
        .count();
    assert_eq!(misses, 2);
}

#[tokio::test]
async fn the_latest_word_is_the_newest_update_of_each_open_tier_1_2_escalation() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Latest").await["id"].as_i64().unwrap();
    let major = app.escalation(&lead, launch, "Major", 1).await;
    let minor = app.escalation(&lead, launch, "Minor", 3).await;
    for (e, problem) in [(&major, "first"), (&major, "second"), (&minor, "minor")] {
        let (status, body) = app
            .post(
                &format!("/api/v1/escalations/{}/updates", e["id"]),
                &lead.token,
                json!({"problem": problem, "impact": "i", "mitigation": "m"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let word = app::update::service::latest_word(&app.db.conn, &lead.actor)
        .await
        .unwrap();
    let mine: Vec<_> = word
        .iter()
        .filter(|w| w.escalation_id.0 == major["id"].as_i64().unwrap())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].update.as_ref().unwrap().problem, "second");
    assert!(
        word.iter()
            .all(|w| w.escalation_id.0 != minor["id"].as_i64().unwrap())
    );
}
