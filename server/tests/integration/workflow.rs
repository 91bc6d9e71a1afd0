//! Working an escalation through the REST API: triage with an owner who holds authority,
//! stand-up updates, decision requests and the append-only decision log, urgent meetings,
//! workarounds, action items and the runbook — and the bad input each must refuse without
//! storing anything.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::{Login, TestApp};
use serde_json::{Value, json};

fn in_hours(hours: i64) -> String {
    // Whole seconds: PostgreSQL keeps microseconds, so nanoseconds would not round-trip.
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn instant(value: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .to_utc()
}

struct Scene {
    app: TestApp,
    lead: Login,
    owner: Login,
    sponsor: Login,
    launch: i64,
}

/// A launch with a facilitator as lead, an executive as senior sponsor and a member granted
/// authority.
async fn scene() -> Scene {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let owner = app.login_as(Role::Member).await;
    let sponsor = app.login_as(Role::Executive).await;
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &lead.token,
            json!({"name": "Workflow", "target_date": "2027-01-01",
                   "sponsor_id": sponsor.actor.id.0, "lead_id": lead.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let launch = launch["id"].as_i64().unwrap();
    app.grant_authority(&lead, launch, &owner).await;
    Scene {
        app,
        lead,
        owner,
        sponsor,
        launch,
    }
}

impl Scene {
    /// An escalation owned by the member, triaged and being mitigated.
    async fn mitigating(&self, tier: i64) -> Value {
        let (status, e) = self
            .app
            .post(
                "/api/v1/escalations",
                &self.lead.token,
                json!({"launch_id": self.launch, "title": "Payments vendor down", "trigger": "customer_defect",
                       "tier": tier, "impact": {"customer": 4, "revenue": 4, "compliance": 0},
                       "owner_id": self.owner.actor.id.0, "deadline": in_hours(8)}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{e}");
        self.move_to(&e, "triaged").await;
        let e = self.current(&e).await;
        self.move_to(&e, "mitigating").await;
        self.current(&e).await
    }

    async fn current(&self, e: &Value) -> Value {
        let (status, e) = self
            .app
            .get(
                &format!("/api/v1/escalations/{}", e["id"]),
                &self.lead.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        e
    }

    async fn move_to(&self, e: &Value, stage: &str) {
        let (status, body) = self
            .app
            .post(
                &format!("/api/v1/escalations/{}/move", e["id"]),
                &self.lead.token,
                json!({"stage": stage, "version": e["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn ask(
        &self,
        e: &Value,
        question: &str,
        address_to: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut body = json!({"problem": "The EU region is down", "impact": "300 failed checkouts an hour",
                              "mitigation": "Fail over at higher fees", "decision_required": question});
        if let Some(to) = address_to {
            body["address_to"] = json!(to);
        }
        self.app
            .post(
                &format!("/api/v1/escalations/{}/updates", e["id"]),
                &self.owner.token,
                body,
            )
            .await
    }

    async fn open_requests(&self) -> Vec<Value> {
        let (status, list) = self
            .app
            .get("/api/v1/decision-requests", &self.lead.token)
            .await;
        assert_eq!(status, StatusCode::OK);
        list.as_array().unwrap().clone()
    }
}

#[tokio::test]
async fn leaving_triggered_needs_an_owner_with_authority_and_a_future_deadline() {
    let s = scene().await;
    let app = &s.app;
    let outsider = app.login_as(Role::Member).await;
    let (_, e) = app
        .post(
            "/api/v1/escalations",
            &s.owner.token,
            json!({"launch_id": s.launch, "title": "Search is slow", "trigger": "risk_forecast", "tier": 3,
                   "impact": {"customer": 2, "revenue": 1, "compliance": 0}}),
        )
        .await;
    let path = format!("/api/v1/escalations/{}", e["id"]);
    let (status, body) = app
        .post(
            &format!("{path}/move"),
            &s.owner.token,
            json!({"stage": "triaged", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["owner_id"].is_string());
    assert!(body["error"]["fields"]["deadline"].is_string());

    // A deadline in the past, then an owner without authority for this launch: each named.
    for (body, field) in [
        (
            json!({"version": 1, "tier": 2, "owner_id": s.owner.actor.id.0, "deadline": in_hours(-1)}),
            "deadline",
        ),
        (
            json!({"version": 1, "tier": 2, "owner_id": outsider.actor.id.0, "deadline": in_hours(4)}),
            "owner_id",
        ),
    ] {
        let (status, reply) = app
            .post(&format!("{path}/triage"), &s.owner.token, body)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(
            reply["error"]["fields"][field].is_string(),
            "{field}: {reply}"
        );
    }
    let (_, unchanged) = app.get(&path, &s.owner.token).await;
    assert_eq!(
        (unchanged["stage"].as_str(), unchanged["version"].as_i64()),
        (Some("triggered"), Some(1))
    );

    // Granted authority, the same member may own it; triage is one step.
    let deadline = in_hours(6);
    let (status, triaged) = app
        .post(
            &format!("{path}/triage"),
            &s.owner.token,
            json!({"version": 1, "tier": 2, "impact": {"customer": 3, "revenue": 2, "compliance": 0},
                   "owner_id": s.owner.actor.id.0, "deadline": deadline}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{triaged}");
    assert_eq!(triaged["stage"], "triaged");
    assert_eq!(triaged["tier"], 2);
    assert_eq!(triaged["owner_id"], s.owner.actor.id.0);
    assert_eq!(instant(&triaged["deadline"]), instant(&json!(deadline)));

    // Authority is a per-launch list that facilitators edit and anyone reads.
    let (status, holders) = app
        .get(
            &format!("/api/v1/launches/{}/authority", s.launch),
            &outsider.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(holders.as_array().unwrap().len(), 1);
    assert_eq!(holders[0]["id"], s.owner.actor.id.0);
}

#[tokio::test]
async fn an_update_asking_for_a_decision_opens_a_request_due_after_the_tier_decision_time() {
    let s = scene().await;
    let e = s.mitigating(1).await;
    let before = (s.app.count("updates").await, s.app.count("events").await);
    let (status, body) = s
        .app
        .post(
            &format!("/api/v1/escalations/{}/updates", e["id"]),
            &s.owner.token,
            json!({"problem": " ", "impact": "", "mitigation": null, "decision_required": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = body["error"]["fields"].as_object().unwrap();
    assert!(
        ["problem", "impact", "mitigation"]
            .iter()
            .all(|f| fields.contains_key(*f))
    );
    assert_eq!(
        (s.app.count("updates").await, s.app.count("events").await),
        before
    );

    let (status, update) = s.ask(&e, "Accept the backup vendor's fees?", None).await;
    assert_eq!(status, StatusCode::CREATED, "{update}");
    let now = s.current(&e).await;
    assert_eq!(now["stage"], "awaiting_decision");
    assert!(now["last_update_at"].is_string());
    let requests = s.open_requests().await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request["addressed_to"]["id"], s.owner.actor.id.0);
    assert_eq!(request["question"], "Accept the backup vendor's fees?");
    // Tier 1 decides within 2 hours (DESIGN.md's default runbook).
    let window = instant(&request["due_at"]) - instant(&request["opened_at"]);
    assert_eq!(window, chrono::Duration::hours(2));

    // Addressed to the senior sponsor instead, when asked.
    let other = s.mitigating(3).await;
    let (status, _) = s
        .ask(&other, "Slip the launch a week?", Some("sponsor"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let to_sponsor = s
        .open_requests()
        .await
        .into_iter()
        .find(|r| r["escalation_id"] == other["id"])
        .unwrap();
    assert_eq!(to_sponsor["addressed_to"]["id"], s.sponsor.actor.id.0);
    let window = instant(&to_sponsor["due_at"]) - instant(&to_sponsor["opened_at"]);
    assert_eq!(
        window,
        chrono::Duration::hours(24),
        "tier 3 decides within a day"
    );
}

#[tokio::test]
async fn only_authority_or_an_executive_records_a_decision_and_it_is_never_changed() {
    let s = scene().await;
    let app = &s.app;
    let e = s.mitigating(2).await;
    let (status, _) = s.ask(&e, "Roll back the release?", None).await;
    assert_eq!(status, StatusCode::CREATED);
    let decisions = format!("/api/v1/escalations/{}/decisions", e["id"]);
    let body = json!({"decision": "Roll back", "rationale": "Data loss risk outweighs the delay"});

    // Without authority: 403 and nothing stored, the request still open.
    let outsider = app.login_as(Role::Member).await;
    let viewer = app.login_as(Role::Viewer).await;
    let before = (app.count("decisions").await, app.count("events").await);
    for login in [&outsider, &viewer] {
        let (status, reply) = app.post(&decisions, &login.token, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
    }
    assert_eq!(
        (app.count("decisions").await, app.count("events").await),
        before
    );
    assert_eq!(s.open_requests().await.len(), 1);

    // Bad input names its fields.
    let (status, reply) = app
        .post(
            &decisions,
            &s.sponsor.token,
            json!({"decision": "", "rationale": " "}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply["error"]["fields"]["decision"].is_string());
    assert!(reply["error"]["fields"]["rationale"].is_string());

    // An executive decides: the request is answered and the escalation returns to Mitigating.
    let participants = json!([s.owner.actor.id.0, s.lead.actor.id.0]);
    let mut with_people = body.clone();
    with_people["participant_ids"] = participants;
    let (status, decision) = app.post(&decisions, &s.sponsor.token, with_people).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["decided_by"]["id"], s.sponsor.actor.id.0);
    let took_part: Vec<i64> = decision["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    for who in [&s.owner, &s.lead] {
        assert!(took_part.contains(&who.actor.id.0), "{took_part:?}");
    }
    assert!(decision["request_id"].is_i64());
    assert_eq!(s.current(&e).await["stage"], "mitigating");
    assert!(s.open_requests().await.is_empty());

    // Never edited: PUT, PATCH and DELETE are 405 and the entry is intact.
    let one = format!("{decisions}/{}", decision["id"]);
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        let (status, reply) = app
            .send(
                method.clone(),
                &one,
                Some(&s.lead.token),
                Some(json!({"decision": "Ship anyway"})),
            )
            .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {reply}");
        assert_eq!(reply["error"]["code"], "method_not_allowed");
    }
    let (_, stored) = app.get(&one, &s.lead.token).await;
    assert_eq!(stored, decision);

    // A correction is a new entry that points at the one it corrects; the member holding
    // authority may record it.
    let (status, correction) = app
        .post(
            &decisions,
            &s.owner.token,
            json!({"decision": "Roll back the EU region only", "rationale": "Other regions are healthy",
                   "corrects_id": decision["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{correction}");
    assert_eq!(correction["corrects_id"], decision["id"]);
    let (_, log) = app.get(&decisions, &s.lead.token).await;
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert_eq!(log[0], decision, "the original stays as it was");

    // All of it is on the escalation's timeline.
    let (_, timeline) = app
        .get(
            &format!("/api/v1/escalations/{}/timeline", e["id"]),
            &s.lead.token,
        )
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| event["kind"].as_str())
        .collect();
    for kind in [
        "update.posted",
        "decision_request.opened",
        "decision.recorded",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(
        kinds.iter().filter(|k| **k == "decision.recorded").count(),
        2
    );
}

#[tokio::test]
async fn the_escalation_lead_calls_an_urgent_meeting_whose_outcome_is_a_decision() {
    let s = scene().await;
    let app = &s.app;
    let e = s.mitigating(2).await;
    s.ask(&e, "Delay the EU launch?", Some("sponsor")).await;
    let request = s.open_requests().await[0].clone();
    let meeting_path = format!("/api/v1/decision-requests/{}/meeting", request["id"]);
    let body = json!({"starts_at": in_hours(1), "participant_ids": [s.sponsor.actor.id.0, s.owner.actor.id.0]});
    let (status, _) = app.post(&meeting_path, &s.owner.token, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, meeting) = app.post(&meeting_path, &s.lead.token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{meeting}");
    let agenda = meeting["agenda"].as_str().unwrap();
    for part in [
        "Delay the EU launch?",
        "The EU region is down",
        "300 failed checkouts an hour",
    ] {
        assert!(agenda.contains(part), "agenda lacks {part:?}: {agenda}");
    }
    let (status, decision) = app
        .post(
            &format!("/api/v1/escalations/{}/decisions", e["id"]),
            &s.sponsor.token,
            json!({"decision": "Delay by one week", "rationale": "Agreed in the meeting",
                   "meeting_id": meeting["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["meeting_id"], meeting["id"]);
}

#[tokio::test]
async fn workarounds_are_time_boxed_and_need_an_owned_root_cause_follow_up() {
    let s = scene().await;
    let app = &s.app;
    let e = s.mitigating(2).await;
    let path = format!("/api/v1/escalations/{}/workaround", e["id"]);
    let before = (app.count("action_items").await, app.count("events").await);
    for (body, field) in [
        (
            json!({"version": e["version"], "description": "Failover", "expires_at": in_hours(-2),
                   "root_cause_title": "Fix it", "root_cause_owner_id": s.owner.actor.id.0, "root_cause_due": in_hours(4)}),
            "expires_at",
        ),
        (
            json!({"version": e["version"], "description": "Failover", "expires_at": in_hours(6),
                   "root_cause_title": "Fix it", "root_cause_due": in_hours(4)}),
            "root_cause_owner_id",
        ),
        (
            json!({"version": e["version"], "description": "Failover", "expires_at": in_hours(6),
                   "root_cause_owner_id": s.owner.actor.id.0, "root_cause_due": in_hours(4)}),
            "root_cause_title",
        ),
    ] {
        let (status, reply) = app
            .send(Method::PUT, &path, Some(&s.owner.token), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(
            reply["error"]["fields"][field].is_string(),
            "{field}: {reply}"
        );
    }
    assert_eq!(
        (app.count("action_items").await, app.count("events").await),
        before
    );
    let (status, with) = app
        .send(
            Method::PUT,
            &path,
            Some(&s.owner.token),
            Some(json!({"version": e["version"], "description": "Failover to the backup vendor",
                        "expires_at": in_hours(6), "root_cause_title": "Fix the primary vendor integration",
                        "root_cause_owner_id": s.owner.actor.id.0, "root_cause_due": in_hours(4)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{with}");
    assert_eq!(
        with["workaround"]["description"],
        "Failover to the backup vendor"
    );
    let (_, items) = app
        .get(
            &format!("/api/v1/escalations/{}/actions", e["id"]),
            &s.owner.token,
        )
        .await;
    let item = &items[0];
    assert_eq!(item["id"], with["workaround"]["root_cause_item_id"]);
    assert_eq!(item["owner"]["id"], s.owner.actor.id.0);
    assert_eq!(item["done"], false);
}

#[tokio::test]
async fn action_items_have_an_owner_a_due_instant_and_a_versioned_done_flag() {
    let s = scene().await;
    let app = &s.app;
    let e = s.mitigating(3).await;
    let path = format!("/api/v1/escalations/{}/actions", e["id"]);
    for (body, fields) in [
        (
            json!({"title": "", "owner_id": s.owner.actor.id.0, "due": "tomorrow"}),
            &["title", "due"][..],
        ),
        (
            json!({"title": "Call", "owner_id": 999_999, "due": in_hours(2)}),
            &["owner_id"][..],
        ),
    ] {
        let (status, reply) = app.post(&path, &s.owner.token, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        for field in fields {
            assert!(
                reply["error"]["fields"][field].is_string(),
                "{field}: {reply}"
            );
        }
    }
    let (status, later) = app
        .post(
            &path,
            &s.owner.token,
            json!({"title": "Brief support", "owner_id": s.owner.actor.id.0, "due": in_hours(6)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{later}");
    let (status, sooner) = app
        .post(
            &path,
            &s.lead.token,
            json!({"title": "Call the vendor", "owner_id": s.owner.actor.id.0, "due": in_hours(1)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, list) = app.get(&path, &s.owner.token).await;
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Call the vendor", "Brief support"],
        "soonest first"
    );

    // DESIGN.md's `YYYY-MM-DD` form: due at the end of that day (UTC).
    let (status, dated) = app
        .post(
            &path,
            &s.owner.token,
            json!({"title": "Retrospective notes", "owner_id": s.owner.actor.id.0, "due": "2099-01-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{dated}");
    assert_eq!(
        instant(&dated["due_at"]),
        instant(&json!("2099-01-31T23:59:59Z"))
    );

    let item = format!("/api/v1/actions/{}", sooner["id"]);
    let (status, done) = app
        .send(
            Method::PATCH,
            &item,
            Some(&s.owner.token),
            Some(json!({"version": sooner["version"], "done": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["done"], true);
    assert!(done["done_at"].is_string());
    let (status, stale) = app
        .send(
            Method::PATCH,
            &item,
            Some(&s.owner.token),
            Some(json!({"version": sooner["version"], "done": false})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    let (_, list) = app.get(&path, &s.owner.token).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == sooner["id"] && a["done"] == true)
    );
    let _ = later;
}

#[tokio::test]
async fn facilitators_version_the_runbook_and_each_change_is_an_event() {
    let s = scene().await;
    let app = &s.app;
    let (status, book) = app.get("/api/v1/runbook", &s.owner.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(book["tiers"][0]["acknowledge_minutes"], 15);
    assert_eq!(book["tiers"][0]["decide_minutes"], 120);
    assert_eq!(book["tiers"][3]["update_minutes"], 24 * 60);

    let mut changed = book.clone();
    changed["tiers"][0]["decide_minutes"] = json!(90);
    let (status, _) = app
        .send(
            Method::PUT,
            "/api/v1/runbook",
            Some(&s.owner.token),
            Some(changed.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut broken = book.clone();
    broken["tiers"][1]["update_minutes"] = json!(0);
    let (status, reply) = app
        .send(
            Method::PUT,
            "/api/v1/runbook",
            Some(&s.lead.token),
            Some(broken),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");

    let (status, saved) = app
        .send(
            Method::PUT,
            "/api/v1/runbook",
            Some(&s.lead.token),
            Some(changed.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], book["version"].as_i64().unwrap() + 1);
    assert_eq!(saved["tiers"][0]["decide_minutes"], 90);
    let (status, _) = app
        .send(
            Method::PUT,
            "/api/v1/runbook",
            Some(&s.lead.token),
            Some(changed),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale version is refused");

    // New requests use the new decision time.
    let e = s.mitigating(1).await;
    s.ask(&e, "Go?", None).await;
    let request = &s.open_requests().await[0];
    let window = instant(&request["due_at"]) - instant(&request["opened_at"]);
    assert_eq!(window, chrono::Duration::minutes(90));

    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let events = app::entity::event::Entity::find()
        .filter(app::entity::event::Column::Kind.eq("runbook.updated"))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor_id, Some(s.lead.actor.id.0));
}
