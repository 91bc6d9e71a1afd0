//! RACI matrices and the rotating escalation team through the REST API and the services:
//! the template, validation that names each activity, warnings that never refuse, versioned
//! saves, an escalation's own copy, decision routing to the A, CSV, and the rotation's
//! boundary under a fixed clock.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, StatusCode};
use common::{Login, TestApp};
use serde_json::{Value, json};

async fn put(app: &TestApp, path: &str, who: &Login, body: Value) -> (StatusCode, Value) {
    app.send(Method::PUT, path, Some(&who.token), Some(body))
        .await
}

#[tokio::test]
async fn a_launch_starts_from_the_template_and_only_valid_matrices_are_saved() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let member = app.login_as(Role::Member).await;
    let viewer = app.login_as(Role::Viewer).await;
    let launch = app.launch(&lead, "Matrix").await["id"].as_i64().unwrap();
    let path = format!("/api/v1/launches/{launch}/raci");

    let (status, template) = app.get(&path, &viewer.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(template["version"], 0);
    assert_eq!(template["columns"].as_array().unwrap().len(), 6);
    assert!(
        template["columns"][0]
            .as_str()
            .unwrap()
            .starts_with("role:")
    );
    let names: Vec<&str> = template["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    for expected in [
        "Approve workaround",
        "Customer communication",
        "Hotfix release",
        "Executive briefing",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    assert_eq!(template["warnings"], json!([]));

    // Broken activities are each named; nothing is stored.
    let before = app.count("events").await;
    let (status, reply) = put(
        &app,
        &path,
        &lead,
        json!({"version": 0, "activities": [
            {"name": "Two accountable", "cells": {"role:sales": "A", "role:support": "A", "role:marketing": "R"}},
            {"name": "Fine", "cells": {"role:sales": "A", "role:support": "R"}},
            {"name": "Nobody responsible", "cells": {"role:sales": "A", "role:support": "C"}},
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    let fields = reply["error"]["fields"].as_object().unwrap();
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["activities[0]", "activities[2]"]
    );
    assert!(
        fields["activities[0]"]
            .as_str()
            .unwrap()
            .starts_with("Two accountable:")
    );
    assert!(
        fields["activities[2]"]
            .as_str()
            .unwrap()
            .contains("at least one R")
    );
    for (body, field) in [
        (
            json!({"activities": [{"name": "Ghost", "cells": {"999999": "A", "role:sales": "R"}}]}),
            "activities[0]",
        ),
        (
            json!({"activities": [{"name": "Letter", "cells": {"role:sales": "A", "role:support": "Z"}}]}),
            "activities[0]",
        ),
        (
            json!({"activities": [{"name": "Role", "cells": {"role:astronaut": "A", "role:support": "R"}}]}),
            "activities[0]",
        ),
    ] {
        let (status, reply) = put(&app, &path, &lead, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(reply["error"]["fields"][field].is_string(), "{reply}");
    }
    assert_eq!(app.count("events").await, before);
    assert_eq!(app.count("raci_matrices").await, 0);

    // Members and viewers read but never edit.
    let valid = json!({"version": 0, "activities": [
        {"name": "Hotfix release", "cells": {"role:engineering_lead": "R", "role:product_owner": "A"}},
    ], "columns": ["role:product_owner", "role:engineering_lead", member.actor.id.0.to_string()]});
    for who in [&member, &viewer] {
        let (status, _) = put(&app, &path, who, valid.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // A valid matrix with gaps saves, and says so.
    let (status, saved) = put(&app, &path, &lead, valid.clone()).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    let warnings: Vec<&str> = saved["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("has no role in any activity")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("No one is informed")),
        "{warnings:?}"
    );

    // A stale save is refused with the current matrix, and overwrites nothing.
    let mut stale = valid.clone();
    stale["activities"][0]["name"] = json!("Overwritten");
    let (status, reply) = put(&app, &path, &lead, stale).await;
    assert_eq!(status, StatusCode::CONFLICT, "{reply}");
    assert_eq!(reply["error"]["current"]["version"], 1);
    let (_, now) = app.get(&path, &viewer.token).await;
    assert_eq!(now["activities"][0]["name"], "Hotfix release");
    assert_eq!(now["version"], 1);

    // Every change is an event; the CSV names the columns as people read them.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let events = app::entity::event::Entity::find()
        .filter(app::entity::event::Column::Kind.eq("raci.saved"))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor_id, Some(lead.actor.id.0));
    let res = app
        .raw(
            Method::GET,
            &format!("/api/v1/launches/{launch}/raci.csv"),
            Some(&viewer.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    use http_body_util::BodyExt;
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let csv = String::from_utf8(body.to_vec()).unwrap();
    assert!(
        csv.starts_with("\"Activity\",\"Product owner\",\"Engineering lead\",\"Test Member\""),
        "{csv}"
    );
    assert!(csv.contains("\"Hotfix release\",\"A\",\"R\",\"\""), "{csv}");
}

#[tokio::test]
async fn an_escalation_adjusts_a_copy_and_decisions_go_to_its_accountable_person() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let owner = app.login_as(Role::Member).await;
    let decider = app.login_as(Role::Member).await;
    let launch = app.launch(&lead, "Routing").await["id"].as_i64().unwrap();
    app.grant_authority(&lead, launch, &owner).await;
    let (status, e) = app
        .post(
            "/api/v1/escalations",
            &lead.token,
            json!({"launch_id": launch, "title": "Routing", "trigger": "risk_forecast", "tier": 2,
                   "impact": {"customer": 2, "revenue": 2, "compliance": 0},
                   "owner_id": owner.actor.id.0,
                   "deadline": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = e["id"].as_i64().unwrap();
    let path = format!("/api/v1/escalations/{id}/raci");
    let (_, inherited) = app.get(&path, &owner.token).await;
    assert_eq!(inherited["inherited"], true);
    assert_eq!(inherited["version"], 0);

    // The escalation's own copy names a person accountable for the decision.
    let mut copy = inherited.clone();
    let decision = copy["activities"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["name"] == "Go/no-go decision")
        .unwrap();
    copy["activities"][decision]["cells"] = json!({
        decider.actor.id.0.to_string(): "A", "role:engineering_lead": "R", "role:support": "I"
    });
    let (status, saved) = put(&app, &path, &lead, copy).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["inherited"], false);
    assert_eq!(saved["version"], 1);
    let (_, launch_matrix) = app
        .get(&format!("/api/v1/launches/{launch}/raci"), &owner.token)
        .await;
    assert_eq!(
        launch_matrix["version"], 0,
        "the launch's matrix is untouched"
    );

    // A decision asked without naming anyone goes to that A, not the owner.
    let (status, _) = app
        .post(
            &format!("/api/v1/escalations/{id}/updates"),
            &owner.token,
            json!({"problem": "p", "impact": "i", "mitigation": "m", "decision_required": "Go?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, requests) = app.get("/api/v1/decision-requests", &owner.token).await;
    assert_eq!(requests[0]["addressed_to"]["id"], decider.actor.id.0);
}

#[tokio::test]
async fn the_turn_changes_at_the_boundary_and_a_new_escalation_gets_that_weeks_team() {
    use app::escalation::model::{EscalationDraft, ImpactDraft};
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let first = app.login_as(Role::Member).await;
    let second = app.login_as(Role::Member).await;
    let support = app.login_as(Role::Member).await;
    let launch = app.launch(&lead, "Rota").await["id"].as_i64().unwrap();
    let path = format!("/api/v1/launches/{launch}/rotation");
    let (status, rotation) = app.get(&path, &lead.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rotation["period_days"], 7, "weekly by default");

    let starts = "2026-11-02T09:00:00Z";
    let (status, reply) = put(
        &app,
        &path,
        &lead,
        json!({"version": 0, "period_days": 7, "starts_at": starts, "roles": {"engineering_lead": [999999]}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    let (status, _) = put(
        &app,
        &path,
        &first,
        json!({"version": 0, "period_days": 7, "starts_at": starts, "roles": {}}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, team) = put(
        &app,
        &path,
        &lead,
        json!({"version": 0, "period_days": 7, "starts_at": starts,
               "roles": {"engineering_lead": [first.actor.id.0, second.actor.id.0], "support": [support.actor.id.0]}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{team}");
    assert_eq!(team["rotation"]["version"], 1);

    // A fixed clock on either side of the first boundary (a week after the start).
    let boundary = chrono::DateTime::parse_from_rfc3339("2026-11-09T09:00:00Z")
        .unwrap()
        .to_utc();
    let draft = |title: &str| EscalationDraft {
        launch_id: Some(launch),
        title: Some(title.into()),
        trigger: Some("risk_forecast".into()),
        tier: Some(3),
        impact: ImpactDraft {
            customer: Some(1),
            revenue: Some(1),
            compliance: Some(0),
        },
        ..Default::default()
    };
    let before = app::escalation::service::create_at(
        &app.db,
        &lead.actor,
        &draft("Before"),
        boundary - chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    let after =
        app::escalation::service::create_at(&app.db, &lead.actor, &draft("After"), boundary)
            .await
            .unwrap();
    use app::team::FunctionalRole::{EngineeringLead, Support};
    assert_eq!(before.team[&EngineeringLead], first.actor.id.0);
    assert_eq!(after.team[&EngineeringLead], second.actor.id.0);
    assert_eq!(before.team[&Support], support.actor.id.0);
    assert_eq!(after.team[&Support], support.actor.id.0);
    // The team stays with the escalation: read back through the API.
    let (_, read) = app
        .get(&format!("/api/v1/escalations/{}", before.id), &lead.token)
        .await;
    assert_eq!(read["team"]["engineering_lead"], first.actor.id.0);

    let (status, now) = app
        .get(&format!("/api/v1/launches/{launch}/team"), &first.token)
        .await;
    assert_eq!(status, StatusCode::OK);
    let seats = now["seats"].as_array().unwrap();
    assert_eq!(seats.len(), 6);
    let engineering = seats
        .iter()
        .find(|s| s["role"] == "engineering_lead")
        .unwrap();
    assert!(engineering["now"]["id"].is_i64());
    assert!(engineering["next"]["id"].is_i64());
    assert_ne!(engineering["now"]["id"], engineering["next"]["id"]);

    // A stale rotation save is refused.
    let (status, _) = put(
        &app,
        &path,
        &lead,
        json!({"version": 0, "period_days": 14, "starts_at": starts, "roles": {}}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}
