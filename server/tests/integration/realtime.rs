//! Live delivery over real sockets: the WebSocket (browsers) and SSE (integrations) doors,
//! resuming from an event id, and who may connect.

use crate::common;
use app::auth::model::Role;
use common::{
    SocketMessages, TestApp, next_event_of, next_json, socket_events_while, sse_events_until,
    websocket,
};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// The ids of the next `count` events an open WebSocket delivers.
async fn event_ids<S: SocketMessages>(socket: &mut S, count: usize) -> Vec<i64> {
    socket_events_while(socket, WAIT, |seen| seen.len() < count)
        .await
        .iter()
        .map(|event| event["id"].as_i64().unwrap())
        .collect()
}

async fn last_event(app: &TestApp) -> i64 {
    app::event::service::last_id(&app.db.conn).await.unwrap().0
}

#[tokio::test]
async fn a_websocket_client_resuming_from_an_id_gets_exactly_what_it_missed() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let member = app.login_as(Role::Member).await;
    // The facilitator raises, so escalations have an owner and a deadline and may move.
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Live").await;
    let launch_id = launch["id"].as_i64().unwrap();
    let resume_from = last_event(&app).await;
    let a = app.escalation(&lead, launch_id, "Missed one", 2).await;
    let b = app.escalation(&lead, launch_id, "Missed two", 3).await;
    let missed = [resume_from + 1, resume_from + 2];

    let mut socket = websocket(addr, &member.cookie, Some(resume_from)).await;
    let hello = next_json(&mut socket, WAIT).await.unwrap();
    assert_eq!(hello["t"], "hello");
    assert_eq!(event_ids(&mut socket, 2).await, missed);

    // Then live: a move made now arrives once, with its payload.
    let (status, _) = app
        .post(
            &format!("/api/v1/escalations/{}/move", a["id"]),
            &member.token,
            json!({"stage": "triaged", "version": 1}),
        )
        .await;
    assert_eq!(status, 200);
    let live = next_json(&mut socket, WAIT).await.unwrap();
    assert_eq!(live["t"], "event");
    assert_eq!(live["event"]["kind"], "escalation.moved");
    assert_eq!(live["event"]["payload"]["stage"], "triaged");
    assert_eq!(live["event"]["id"], resume_from + 3);
    // Nothing else (no duplicates of what was replayed).
    assert!(
        next_json(&mut socket, Duration::from_millis(700))
            .await
            .is_none()
    );

    // A second connection from the same cursor gets the same three, in order.
    let mut again = websocket(addr, &member.cookie, Some(resume_from)).await;
    next_json(&mut again, WAIT).await.unwrap();
    assert_eq!(
        event_ids(&mut again, 3).await,
        [resume_from + 1, resume_from + 2, resume_from + 3]
    );
    assert!(b["id"].is_i64());
}

#[tokio::test]
async fn websockets_are_for_signed_in_users_on_flares_own_pages() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let member = app.login_as(Role::Member).await;
    let anonymous = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await;
    assert!(anonymous.is_err(), "anonymous upgrade refused");
    let mut req = format!("ws://{addr}/ws").into_client_request().unwrap();
    req.headers_mut()
        .insert("cookie", member.cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    let cross = tokio_tungstenite::connect_async(req).await;
    match cross {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => assert_eq!(res.status(), 403),
        other => panic!("a cross-site upgrade must be refused: {other:?}"),
    }
}

#[tokio::test]
async fn notifications_reach_only_their_recipient() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let alice = app.login_as(Role::Member).await;
    let bob = app.login_as(Role::Member).await;
    let mut alice_socket = websocket(addr, &alice.cookie, None).await;
    let mut bob_socket = websocket(addr, &bob.cookie, None).await;
    next_json(&mut alice_socket, WAIT).await.unwrap();
    next_json(&mut bob_socket, WAIT).await.unwrap();
    let txn = app.db.write().await.unwrap();
    app::event::service::append(
        &*txn,
        &app::event::model::EventActor::system(),
        app::event::service::NewEvent::untyped(
            "notification",
            1,
            "notification.created",
            json!({"recipient_id": alice.actor.id.0, "text": "for Alice"}),
        ),
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let got = next_event_of(&mut alice_socket, "notification.created", WAIT)
        .await
        .unwrap();
    assert_eq!(got["event"]["payload"]["text"], "for Alice");
    assert!(
        next_event_of(
            &mut bob_socket,
            "notification.created",
            Duration::from_millis(700)
        )
        .await
        .is_none()
    );
}

/// Reads SSE frames (`id:` and `data:`) from a streaming response until `count` events.
async fn sse_events(res: reqwest::Response, count: usize) -> Vec<(i64, Value)> {
    sse_events_until(res, WAIT, |seen| seen.len() >= count).await
}

#[tokio::test]
async fn an_sse_client_reconnecting_with_last_event_id_gets_exactly_what_it_missed() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let member = app.login_as(Role::Member).await;
    // The facilitator raises, so escalations have an owner and a deadline and may move.
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Stream").await;
    let launch_id = launch["id"].as_i64().unwrap();
    let client = common::http().build().unwrap();
    let url = format!("http://{addr}/api/v1/stream");

    let first = client
        .get(&url)
        .bearer_auth(&member.token)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    assert!(
        first.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    // Live from now: events committed just before the stream opened may still arrive first
    // (they were not yet published); the escalation raised now must follow them.
    let reader = tokio::spawn(sse_events_until(first, WAIT, |seen| {
        seen.last()
            .is_some_and(|(_, e)| e["kind"] == "escalation.created")
    }));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let e = app.escalation(&lead, launch_id, "Streamed", 2).await;
    let seen = reader.await.unwrap();
    let (last_seen, event) = seen.last().unwrap();
    assert_eq!(event["kind"], "escalation.created");
    assert_eq!(event["escalation_id"], e["id"]);
    assert_eq!(event["id"], *last_seen);

    // Disconnected: two changes happen meanwhile.
    for stage in ["triaged", "mitigating"] {
        let (_, moved) = app
            .get(&format!("/api/v1/escalations/{}", e["id"]), &member.token)
            .await;
        app.post(
            &format!("/api/v1/escalations/{}/move", e["id"]),
            &member.token,
            json!({"stage": stage, "version": moved["version"]}),
        )
        .await;
    }
    let resumed = client
        .get(&url)
        .bearer_auth(&member.token)
        .header("last-event-id", last_seen.to_string())
        .send()
        .await
        .unwrap();
    let missed = sse_events(resumed, 3).await;
    let ids: Vec<i64> = missed.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        [last_seen + 1, last_seen + 2],
        "exactly the two missed events, nothing more"
    );
    assert_eq!(missed[1].1["payload"]["stage"], "mitigating");

    let anonymous = client.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_client_that_missed_too_much_is_told_to_reload() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let member = app.login_as(Role::Member).await;
    // Append more events than a replay may carry, directly (fast).
    let txn = app.db.write().await.unwrap();
    for i in 0..=app::realtime::model::MAX_REPLAY {
        app::event::service::append(
            &*txn,
            &app::event::model::EventActor::system(),
            app::event::service::NewEvent::untyped("test", i as i64, "test.filler", json!({})),
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let mut socket = websocket(addr, &member.cookie, Some(0)).await;
    let first = next_json(&mut socket, WAIT).await.unwrap();
    assert_eq!(first["t"], "reload", "{first}");
    let resumed = common::http()
        .build()
        .unwrap()
        .get(format!("http://{addr}/api/v1/stream"))
        .bearer_auth(&member.token)
        .header("last-event-id", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(resumed.status(), 409);
}
