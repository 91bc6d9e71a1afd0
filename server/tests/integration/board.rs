//! The board: no lost updates under concurrent moves, consistent columns under any
//! interleaving, and server-side ordering, paging and filters.

use crate::common;
use app::auth::model::Role;
use app::board::model::PAGE;
use app::board::{BoardFilter, BoardState};
use app::escalation::{EscalationId, Stage};
use app::launch::LaunchId;
use app::runbook::Runbooks;
use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_moves_with_one_version_give_one_success_and_one_conflict() {
    let app = TestApp::new().await;
    let alice = app.login_as(Role::Member).await;
    let bob = app.login_as(Role::Member).await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Race").await;
    let launch_id = launch["id"].as_i64().unwrap();
    for round in 0..40 {
        // Raised by the facilitator, so it has an owner and a deadline and may leave Triggered.
        let e = app
            .escalation(&lead, launch_id, &format!("Race {round}"), 2)
            .await;
        let path = format!("/api/v1/escalations/{}/move", e["id"]);
        let (a, b) = tokio::join!(
            tokio::spawn({
                let app_router = app.router.clone();
                let path = path.clone();
                let token = alice.token.clone();
                async move {
                    send(
                        app_router,
                        &path,
                        &token,
                        json!({"stage": "triaged", "version": 1}),
                    )
                    .await
                }
            }),
            tokio::spawn({
                let app_router = app.router.clone();
                let path = path.clone();
                let token = bob.token.clone();
                async move {
                    send(
                        app_router,
                        &path,
                        &token,
                        json!({"stage": "mitigating", "version": 1}),
                    )
                    .await
                }
            }),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {a:?} {b:?}"
        );
        let (winner, loser) = if a.0 == StatusCode::OK {
            (a, b)
        } else {
            (b, a)
        };
        assert_eq!(winner.1["version"], 2);
        let current = &loser.1["error"]["current"];
        assert_eq!(current["version"], 2, "the 409 carries the current state");
        assert_eq!(current["stage"], winner.1["stage"]);
        assert!(
            loser.1["error"]["message"]
                .as_str()
                .unwrap()
                .contains("moved to"),
            "{}",
            loser.1
        );
    }
}

async fn send(
    router: axum::Router,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn a_stale_patch_is_refused_with_the_current_state_and_overwrites_nothing() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let launch = app
        .launch(&app.login_as(Role::Facilitator).await, "Patch")
        .await;
    let e = app
        .escalation(&member, launch["id"].as_i64().unwrap(), "Original", 3)
        .await;
    let path = format!("/api/v1/escalations/{}", e["id"]);
    let (status, first) = app
        .send(
            axum::http::Method::PATCH,
            &path,
            Some(&member.token),
            Some(json!({"title": "First edit", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["version"], 2);
    let (status, stale) = app
        .send(
            axum::http::Method::PATCH,
            &path,
            Some(&member.token),
            Some(json!({"title": "Second edit", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(stale["error"]["current"]["title"], "First edit");
    let (status, missing) = app
        .send(
            axum::http::Method::PATCH,
            &path,
            Some(&member.token),
            Some(json!({"title": "No version"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing["error"]["fields"]["version"].is_string());
    let (_, now) = app.get(&path, &member.token).await;
    assert_eq!(
        (now["title"].as_str(), now["version"].as_i64()),
        (Some("First edit"), Some(2))
    );
}

#[tokio::test]
async fn moves_by_the_wrong_roles_or_to_unknown_stages_are_refused() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let viewer = app.login_as(Role::Viewer).await;
    let launch = app
        .launch(&app.login_as(Role::Facilitator).await, "Refusals")
        .await;
    let e = app
        .escalation(&member, launch["id"].as_i64().unwrap(), "Card", 3)
        .await;
    let path = format!("/api/v1/escalations/{}/move", e["id"]);
    let (status, _) = app
        .post(
            &path,
            &viewer.token,
            json!({"stage": "triaged", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            &path,
            &member.token,
            json!({"stage": "limbo", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["stage"].is_string());
    let (_, now) = app
        .get(&format!("/api/v1/escalations/{}", e["id"]), &member.token)
        .await;
    assert_eq!(
        (now["stage"].as_str(), now["version"].as_i64()),
        (Some("triggered"), Some(1))
    );
}

mod interleavings {
    use super::*;
    use proptest::prelude::*;

    /// One client's attempt: which client, which card, to which board stage.
    fn op() -> impl Strategy<Value = (usize, usize, usize)> {
        (0usize..3, 0usize..4, 0usize..5)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

        /// Three clients, each with its own (possibly stale) view of four cards, move them in a
        /// random interleaving; a 409 refreshes that client's view. At the end every card is in
        /// exactly one column, each card's versions only ever increased, and its final version
        /// counts its successful moves.
        #[test]
        fn every_card_ends_in_exactly_one_column(ops in proptest::collection::vec(op(), 1..30)) {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let app = TestApp::new().await;
                let facilitator = app.login_as(Role::Facilitator).await;
                let launch = app.launch(&facilitator, "Interleavings").await;
                let launch_id = launch["id"].as_i64().unwrap();
                let mut ids = Vec::new();
                for i in 0..4 {
                    ids.push(app.escalation(&facilitator, launch_id, &format!("Card {i}"), 3).await["id"].as_i64().unwrap());
                }
                let mut views = vec![vec![1i64; 4]; 3];
                let mut seen = vec![vec![1i64]; 4];
                let mut successes = [0i64; 4];
                let mut expected_stage = vec!["triggered".to_string(); 4];
                for (client, card, stage) in ops {
                    let stage = Stage::BOARD[stage].as_str();
                    let (status, body) = app
                        .post(&format!("/api/v1/escalations/{}/move", ids[card]), &facilitator.token,
                              json!({"stage": stage, "version": views[client][card]}))
                        .await;
                    match status {
                        StatusCode::OK => {
                            let v = body["version"].as_i64().unwrap();
                            views[client][card] = v;
                            seen[card].push(v);
                            successes[card] += 1;
                            expected_stage[card] = stage.to_string();
                        }
                        StatusCode::CONFLICT => {
                            let v = body["error"]["current"]["version"].as_i64().unwrap();
                            assert!(v >= views[client][card]);
                            views[client][card] = v;
                            seen[card].push(v);
                        }
                        StatusCode::UNPROCESSABLE_ENTITY => {
                            // Moving to the stage it is already in.
                            assert_eq!(expected_stage[card], stage);
                        }
                        other => panic!("unexpected {other}: {body}"),
                    }
                }
                let (_, all) = app.get(&format!("/api/v1/escalations?launch_id={launch_id}"), &facilitator.token).await;
                let all = all.as_array().unwrap().clone();
                assert_eq!(all.len(), 4);
                let view = app::board::service::view(
                    &app.db.conn, &facilitator.actor, LaunchId(launch_id), BoardFilter::default(), chrono::Utc::now(),
                ).await.unwrap();
                let placed: usize = view.columns.iter().map(|c| c.total as usize).sum();
                assert_eq!(placed, 4, "each card counted in exactly one column");
                for (i, id) in ids.iter().enumerate() {
                    let columns: Vec<_> = view.columns.iter().filter(|c| c.cards.iter().any(|k| k.id.0 == *id)).collect();
                    assert_eq!(columns.len(), 1);
                    assert_eq!(columns[0].stage.as_str(), expected_stage[i]);
                    assert!(seen[i].windows(2).all(|w| w[0] <= w[1]), "versions only increase: {:?}", seen[i]);
                    let card = all.iter().find(|e| e["id"] == *id).unwrap();
                    assert_eq!(card["version"].as_i64().unwrap(), 1 + successes[i]);
                }
            });
        }
    }
}

#[tokio::test]
async fn columns_show_their_top_cards_and_load_the_rest_on_demand() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&facilitator, "Big").await;
    let launch_id = launch["id"].as_i64().unwrap();
    for i in 0..45 {
        let tier = 1 + (i % 4);
        app.escalation(&facilitator, launch_id, &format!("Card {i:02}"), tier)
            .await;
    }
    let view = app::board::service::view(
        &app.db.conn,
        &facilitator.actor,
        LaunchId(launch_id),
        BoardFilter::default(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let triggered = &view.columns[0];
    assert_eq!(triggered.stage, Stage::Triggered);
    assert_eq!(triggered.total, 45);
    assert_eq!(triggered.cards.len(), PAGE);
    assert!(
        triggered
            .cards
            .windows(2)
            .all(|w| w[0].priority >= w[1].priority)
    );
    let more = app::board::service::more(
        &app.db.conn,
        &facilitator.actor,
        LaunchId(launch_id),
        Stage::Triggered,
        &BoardFilter::default(),
        &Runbooks::default(),
        PAGE as u64,
    )
    .await
    .unwrap();
    assert_eq!(more.len(), PAGE);
    assert!(more[0].priority <= triggered.cards[PAGE - 1].priority);
    let mut state = BoardState::new(view.columns.clone());
    assert!(state.find(more[0].id).is_none());
    state.columns[0].cards.extend(more);
    assert_eq!(state.columns[0].cards.len(), 2 * PAGE);
}

#[tokio::test]
async fn server_filters_agree_with_the_client_rule() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let owner = app.login_as(Role::Member).await;
    let launch = app.launch(&facilitator, "Filters").await;
    let launch_id = launch["id"].as_i64().unwrap();
    app.grant_authority(&facilitator, launch_id, &owner).await;
    let triggers = ["plan_deviation", "customer_defect", "risk_forecast"];
    for i in 0..18i64 {
        let mut body = json!({
            "launch_id": launch_id, "title": format!("{} item {i}", if i % 2 == 0 { "Checkout" } else { "Search" }),
            "trigger": triggers[(i % 3) as usize], "tier": 1 + i % 4,
            "impact": {"customer": i % 6, "revenue": 0, "compliance": 0}
        });
        if i % 3 == 0 {
            body["owner_id"] = json!(owner.actor.id.0);
        }
        if i % 5 == 0 {
            body["deadline"] =
                json!((chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339());
        }
        let (status, created) = app
            .post("/api/v1/escalations", &facilitator.token, body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let now = chrono::Utc::now();
    let runbook = Runbooks::default();
    // Every card of the launch, not just the first page of each column.
    let cards: Vec<app::board::model::Card> = app::escalation::service::list(
        &app.db.conn,
        &facilitator.actor,
        Some(LaunchId(launch_id)),
        None,
    )
    .await
    .unwrap()
    .into_iter()
    .map(Into::into)
    .collect();
    assert_eq!(cards.len(), 18);
    let filters = [
        BoardFilter {
            tier: Some(1),
            ..Default::default()
        },
        BoardFilter {
            trigger: Some(app::escalation::Trigger::RiskForecast),
            ..Default::default()
        },
        BoardFilter {
            owner: Some(owner.actor.id.0),
            ..Default::default()
        },
        BoardFilter {
            overdue: true,
            ..Default::default()
        },
        BoardFilter {
            q: Some("checkout".into()),
            ..Default::default()
        },
        BoardFilter {
            q: Some("ITEM 1".into()),
            tier: Some(2),
            ..Default::default()
        },
        BoardFilter {
            q: Some("100%_".into()),
            ..Default::default()
        },
    ];
    for filter in filters {
        let view = app::board::service::view(
            &app.db.conn,
            &facilitator.actor,
            LaunchId(launch_id),
            filter.clone(),
            now,
        )
        .await
        .unwrap();
        let mut server: Vec<EscalationId> = Vec::new();
        for column in &view.columns {
            let mut shown = column.cards.clone();
            while (shown.len() as u64) < u64::from(column.total) {
                let more = app::board::service::more(
                    &app.db.conn,
                    &facilitator.actor,
                    LaunchId(launch_id),
                    column.stage,
                    &filter,
                    &runbook,
                    shown.len() as u64,
                )
                .await
                .unwrap();
                assert!(
                    !more.is_empty(),
                    "{filter:?}: column total exceeds its cards"
                );
                shown.extend(more);
            }
            server.extend(shown.iter().map(|k| k.id));
        }
        let mut client: Vec<EscalationId> = cards
            .iter()
            .filter(|c| filter.matches(c, &runbook, now))
            .map(|c| c.id)
            .collect();
        server.sort();
        client.sort();
        assert_eq!(server, client, "{filter:?}");
    }
}

#[tokio::test]
async fn the_board_page_renders_regions_and_cards_on_the_server() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&facilitator, "Rendered").await;
    let launch_id = launch["id"].as_i64().unwrap();
    app.escalation(&facilitator, launch_id, "Visible <card> & \"quoted\"", 1)
        .await;
    let (status, html, _) = app
        .page(
            &format!("/launches/{launch_id}/board"),
            Some(&facilitator.cookie),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for stage in [
        "Triggered",
        "Triaged",
        "Mitigating",
        "Awaiting decision",
        "Resolved",
    ] {
        assert!(
            html.contains(&format!("aria-label=\"{stage}\"")),
            "{stage} region missing"
        );
    }
    assert!(html.contains("<article"), "cards are articles");
    assert!(
        html.contains("Visible &lt;card&gt; &amp; &quot;quoted&quot;")
            || html.contains("Visible &lt;card&gt; &amp; \"quoted\"")
    );
    assert!(html.contains("aria-haspopup=\"menu\""));
    let (status, _, _) = app
        .page("/launches/999999/board", Some(&facilitator.cookie))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cards_show_their_last_update_and_what_needs_attention() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&facilitator, "Flags").await;
    let launch_id = launch["id"].as_i64().unwrap();
    let quiet = app
        .escalation(&facilitator, launch_id, "Quiet one", 3)
        .await;
    let blocked = app
        .escalation(&facilitator, launch_id, "Blocked one", 3)
        .await;
    let page = || async {
        app.page(
            &format!("/launches/{launch_id}/board"),
            Some(&facilitator.cookie),
        )
        .await
        .1
    };
    let html = page().await;
    assert!(html.contains("No update yet"));
    assert!(!html.contains("Decision stalled"));

    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{}/updates", blocked["id"]),
            &facilitator.token,
            json!({"problem": "Vendor outage", "impact": "EU checkout", "mitigation": "Failover",
                   "decision_required": "Delay the EU launch?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let html = page().await;
    assert!(html.contains("Last update a moment ago"));
    assert!(!html.contains("Decision stalled"));

    // The request falls due unanswered; the quiet one was triaged two days ago and never
    // updated (tier 3 updates daily).
    use sea_orm::ConnectionTrait;
    let (status, _) = app
        .post(
            &format!("/api/v1/escalations/{}/move", quiet["id"]),
            &facilitator.token,
            json!({"stage": "triaged", "version": quiet["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Stored as sqlx stores instants: RFC 3339 text on SQLite, timestamptz on PostgreSQL.
    let at = |t: chrono::DateTime<chrono::Utc>| match app.db.backend() {
        sea_orm::DbBackend::Postgres => format!("TIMESTAMPTZ '{}'", t.to_rfc3339()),
        _ => format!("'{}'", t.to_rfc3339()),
    };
    let now = chrono::Utc::now();
    for sql in [
        format!(
            "UPDATE decision_requests SET due_at = {} WHERE escalation_id = {}",
            at(now - chrono::Duration::minutes(1)),
            blocked["id"]
        ),
        format!(
            "UPDATE escalations SET decision_due_at = {} WHERE id = {}",
            at(now - chrono::Duration::minutes(1)),
            blocked["id"]
        ),
        format!(
            "UPDATE escalations SET created_at = {} WHERE id = {}",
            at(now - chrono::Duration::days(2)),
            quiet["id"]
        ),
    ] {
        app.db.conn.execute_unprepared(&sql).await.unwrap();
    }
    let html = page().await;
    assert!(
        html.contains("Decision stalled"),
        "stalled decision flagged"
    );
    assert!(html.contains("Update overdue"), "overdue update flagged");
}
