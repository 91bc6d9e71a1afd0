//! Who receives which events on the live doors (WebSocket and SSE), live and replayed:
//! each caller exactly what its role may read elsewhere, account and token events only to
//! admins and to the person they concern; and a resume id the log has not reached is refused.

use crate::common;
use app::auth::model::Role;
use app::event::model::EventActor;
use common::{
    Login, SocketMessages, TestApp, next_json, socket_events_while, sse_events_until, websocket,
};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// The events an SSE stream delivers until one satisfies `done` (or the wait runs out).
async fn sse_until(
    addr: SocketAddr,
    login: &Login,
    after: Option<i64>,
    done: impl Fn(&Value) -> bool,
) -> Vec<Value> {
    let mut req = common::http()
        .build()
        .unwrap()
        .get(format!("http://{addr}/api/v1/stream"))
        .bearer_auth(&login.token);
    if let Some(after) = after {
        req = req.header("last-event-id", after.to_string());
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    sse_events_until(res, WAIT, |seen| seen.last().is_some_and(|(_, e)| done(e)))
        .await
        .into_iter()
        .map(|(_, event)| event)
        .collect()
}

/// The events a WebSocket delivers until the one with id `until` (or the wait runs out).
async fn socket_until(
    addr: SocketAddr,
    login: &Login,
    after: Option<i64>,
    until: i64,
) -> Vec<Value> {
    let mut socket = websocket(addr, &login.cookie, after).await;
    events_until(&mut socket, until).await
}

/// The events an open WebSocket delivers until the one with id `until`.
async fn events_until<S: SocketMessages>(socket: &mut S, until: i64) -> Vec<Value> {
    socket_events_while(socket, WAIT, |seen| {
        seen.last().is_none_or(|e| e["id"] != until)
    })
    .await
}

fn kinds_about(events: &[Value], user_id: i64) -> Vec<String> {
    events
        .iter()
        .filter(|e| concerns(e, user_id))
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Whether an account event is about `user_id` (their account, or a token of theirs).
fn concerns(e: &Value, user_id: i64) -> bool {
    (e["entity"] == "user" && e["entity_id"] == user_id)
        || (e["entity"] == "api_token" && e["payload"]["user_id"] == user_id)
}

fn is_account_event(e: &Value) -> bool {
    e["entity"] == "user"
        || e["entity"] == "api_token"
        || e["kind"]
            .as_str()
            .is_some_and(|k| k.starts_with("user.") || k.starts_with("api_token."))
}

/// Accounts and tokens change (through the services, as an admin), then a launch with an
/// escalation is made; the last event is a launch change every role may read.
struct Scene {
    admin: Login,
    viewer: Login,
    /// A second viewer whose account the admin changes.
    subject: Login,
    launch_id: i64,
    escalation_id: i64,
    sentinel: i64,
}

async fn scene(app: &TestApp) -> Scene {
    let admin = app.login_as(Role::Admin).await;
    let viewer = app.login_as(Role::Viewer).await;
    let subject = app.login_as(Role::Executive).await;
    let by = EventActor::from(&admin.actor);
    app::auth::service::set_role(&app.db, &by, subject.actor.id, Role::Viewer)
        .await
        .unwrap();
    let subject = Login {
        actor: app::auth::Actor {
            role: Role::Viewer,
            ..subject.actor
        },
        ..subject
    };
    app::auth::service::issue_token(&app.db, &by, subject.actor.id, "subject's script")
        .await
        .unwrap();
    let launch = app.launch(&admin, "Visible").await;
    let launch_id = launch["id"].as_i64().unwrap();
    let escalation = app.escalation(&admin, launch_id, "Seen by all", 2).await;
    app.launch(&admin, "Sentinel").await;
    let sentinel = app::event::service::last_id(&app.db.conn).await.unwrap().0;
    Scene {
        admin,
        viewer,
        subject,
        launch_id,
        escalation_id: escalation["id"].as_i64().unwrap(),
        sentinel,
    }
}

/// Every event a viewer received is one it can read through the REST API: an escalation's
/// event on that escalation's timeline, a launch's event about a launch it can open.
async fn assert_readable_by(app: &TestApp, login: &Login, events: &[Value], door: &str) {
    for e in events {
        let readable = if let Some(escalation) = e["escalation_id"].as_i64() {
            let (status, timeline) = app
                .get(
                    &format!("/api/v1/escalations/{escalation}/timeline"),
                    &login.token,
                )
                .await;
            status == 200
                && timeline
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["id"] == e["id"])
        } else if e["entity"] == "user" {
            // Their own account, which they read at /api/v1/me.
            let (status, me) = app.get("/api/v1/me", &login.token).await;
            status == 200 && me["id"] == e["entity_id"]
        } else if e["entity"] == "api_token" {
            // A token of their own (the person concerned).
            e["payload"]["user_id"] == login.actor.id.0
        } else if e["entity"] == "launch" {
            let (status, _) = app
                .get(
                    &format!("/api/v1/launches/{}", e["entity_id"]),
                    &login.token,
                )
                .await;
            status == 200
        } else {
            false
        };
        assert!(
            readable,
            "{door} sent {:?} an event it cannot read through the REST API: {e}",
            login.actor.role
        );
    }
}

#[tokio::test]
async fn a_viewers_stream_and_socket_resumed_from_zero_hold_only_what_it_may_read() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let s = scene(&app).await;
    // The viewer may not read the audit log, nor list tokens.
    assert!(
        app::event::service::audit_page(&app.db.conn, &s.viewer.actor, &Default::default(), 100)
            .await
            .is_err()
    );

    let sentinel = s.sentinel;
    let sse = sse_until(addr, &s.viewer, Some(0), |e| e["id"] == sentinel).await;
    let ws = socket_until(addr, &s.viewer, Some(0), s.sentinel).await;
    for (door, events) in [("SSE", &sse), ("WebSocket", &ws)] {
        assert_eq!(
            events.last().map(|e| e["id"].clone()),
            Some(s.sentinel.into()),
            "{door}: the replay reached the last event"
        );
        let viewer = s.viewer.actor.id.0;
        let leaked: Vec<&Value> = events
            .iter()
            .filter(|e| is_account_event(e))
            .filter(|e| !concerns(e, viewer))
            .collect();
        assert!(
            leaked.is_empty(),
            "{door} leaked account events: {leaked:?}"
        );
        let text = serde_json::to_string(events).unwrap();
        assert!(
            !text.contains(&s.subject.actor.email),
            "{door} carried another user's email"
        );
        // What the viewer may read does arrive: the launch and the escalation.
        assert!(
            events
                .iter()
                .any(|e| e["kind"] == "launch.created" && e["entity_id"] == s.launch_id)
        );
        assert!(
            events
                .iter()
                .any(|e| e["kind"] == "escalation.created"
                    && e["escalation_id"] == s.escalation_id)
        );
        assert_readable_by(&app, &s.viewer, events, door).await;
    }
    assert_eq!(
        sse.iter().map(|e| e["id"].clone()).collect::<Vec<_>>(),
        ws.iter().map(|e| e["id"].clone()).collect::<Vec<_>>(),
        "both doors apply the same rule"
    );
}

#[tokio::test]
async fn account_events_reach_admins_and_the_person_they_concern() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let s = scene(&app).await;
    let subject = s.subject.actor.id.0;
    let viewer = s.viewer.actor.id.0;

    let sentinel = s.sentinel;
    for door in ["SSE", "WebSocket"] {
        let replay = |login: Login| async move {
            match door {
                "SSE" => sse_until(addr, &login, Some(0), |e| e["id"] == sentinel).await,
                _ => socket_until(addr, &login, Some(0), sentinel).await,
            }
        };
        // The admin sees every account change.
        let admin = replay(s.admin.clone()).await;
        assert_eq!(
            kinds_about(&admin, subject),
            [
                "user.created",
                "api_token.created",
                "user.role_changed",
                "api_token.created"
            ],
            "{door}: admin"
        );
        assert_eq!(
            kinds_about(&admin, viewer),
            ["user.created", "api_token.created"],
            "{door}: admin"
        );
        // The subject sees their own, and nobody else's.
        let own = replay(s.subject.clone()).await;
        assert_eq!(
            kinds_about(&own, subject),
            [
                "user.created",
                "api_token.created",
                "user.role_changed",
                "api_token.created"
            ],
            "{door}: the person concerned"
        );
        let others: Vec<&Value> = own
            .iter()
            .filter(|e| is_account_event(e))
            .filter(|e| !concerns(e, subject))
            .collect();
        assert!(
            others.is_empty(),
            "{door}: others' account events: {others:?}"
        );
    }
}

#[tokio::test]
async fn live_account_events_are_filtered_too() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let admin = app.login_as(Role::Admin).await;
    let viewer = app.login_as(Role::Viewer).await;
    let mut viewer_socket = websocket(addr, &viewer.cookie, None).await;
    let mut admin_socket = websocket(addr, &admin.cookie, None).await;
    assert_eq!(
        next_json(&mut viewer_socket, WAIT).await.unwrap()["t"],
        "hello"
    );
    assert_eq!(
        next_json(&mut admin_socket, WAIT).await.unwrap()["t"],
        "hello"
    );
    let live_sse = {
        let viewer = viewer.clone();
        tokio::spawn(async move {
            sse_until(addr, &viewer, None, |e| e["kind"] == "launch.created").await
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;

    let other = app.login_as(Role::Member).await; // user.created + api_token.created
    let launch = app.launch(&admin, "Live sentinel").await;
    let sentinel = app::event::service::last_id(&app.db.conn).await.unwrap().0;

    let socket = events_until(&mut viewer_socket, sentinel).await;
    let sse = live_sse.await.unwrap();
    for (door, seen) in [("WebSocket", &socket), ("SSE", &sse)] {
        assert_eq!(
            seen.last().map(|e| e["entity_id"].clone()),
            Some(launch["id"].clone()),
            "{door}: the launch reached the viewer"
        );
        assert!(
            kinds_about(seen, other.actor.id.0).is_empty(),
            "{door}: another user's account events reached the viewer: {seen:?}"
        );
        assert!(
            !serde_json::to_string(seen)
                .unwrap()
                .contains(&other.actor.email),
            "{door} carried another user's email"
        );
    }
    let admin_seen = events_until(&mut admin_socket, sentinel).await;
    assert_eq!(
        kinds_about(&admin_seen, other.actor.id.0),
        ["user.created", "api_token.created"]
    );
}

#[tokio::test]
async fn a_resume_id_ahead_of_the_log_is_refused() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let member = app.login_as(Role::Member).await;
    let newest = app::event::service::last_id(&app.db.conn).await.unwrap().0;
    let client = common::http().build().unwrap();
    let stream = |id: String| {
        client
            .get(format!("http://{addr}/api/v1/stream"))
            .bearer_auth(&member.token)
            .header("last-event-id", id)
            .send()
    };

    let ahead = stream((newest + 1_000).to_string()).await.unwrap();
    assert_eq!(ahead.status(), 409);
    assert!(
        ahead.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = ahead.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("ahead"), "{message}");
    assert!(message.contains(&newest.to_string()), "{message}");
    assert_eq!(body["error"]["current"]["last_event_id"], newest);

    for bad in ["abc", "1.5", "-3", "99999999999999999999999"] {
        let res = stream(bad.into()).await.unwrap();
        assert_eq!(res.status(), 400, "Last-Event-ID {bad}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request", "{body}");
    }

    // At the head exactly, the stream opens (and delivers what comes next).
    let at_head = stream(newest.to_string()).await.unwrap();
    assert_eq!(at_head.status(), 200);

    // The WebSocket's answer: a reload message naming the newest id, then the socket ends.
    let mut socket = websocket(addr, &member.cookie, Some(newest + 1_000)).await;
    let first = next_json(&mut socket, WAIT).await.unwrap();
    assert_eq!(first["t"], "reload", "{first}");
    let reason = first["reason"].as_str().unwrap();
    assert!(
        reason.contains("ahead") && reason.contains(&newest.to_string()),
        "{reason}"
    );
    assert!(
        next_json(&mut socket, Duration::from_millis(500))
            .await
            .is_none()
    );
    let mut socket = websocket(addr, &member.cookie, Some(newest)).await;
    assert_eq!(next_json(&mut socket, WAIT).await.unwrap()["t"], "hello");
}

#[tokio::test]
async fn a_websocket_resume_id_that_is_not_an_event_id_is_a_json_400() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let member = app.login_as(Role::Member).await;
    let mut req = format!("ws://{addr}/ws?after=abc")
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("cookie", member.cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", format!("http://{addr}").parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
            assert_eq!(res.status(), 400);
            let body: Value = serde_json::from_slice(res.body().as_deref().unwrap()).unwrap();
            assert_eq!(body["error"]["code"], "bad_request", "{body}");
        }
        other => panic!("a bad resume id must be refused: {other:?}"),
    }
}

/// A facilitator reads the audit log, so the streams send it every event but those about
/// accounts and tokens, and the audit log holds those back from it just the same.
#[tokio::test]
async fn a_facilitators_stream_matches_its_audit_log() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let s = scene(&app).await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let sentinel = s.sentinel;
    let streamed = sse_until(addr, &facilitator, Some(0), |e| e["id"] == sentinel).await;
    let audit = app::event::service::audit_page(
        &app.db.conn,
        &facilitator.actor,
        &Default::default(),
        1_000,
    )
    .await
    .unwrap();
    let audited: Vec<i64> = audit
        .iter()
        .rev()
        .map(|e| e.id.0)
        .filter(|id| *id <= sentinel)
        .collect();
    let ids: Vec<i64> = streamed.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, audited, "the stream and the audit log agree");
    assert!(!streamed.iter().any(is_account_event), "{streamed:?}");
    assert!(
        streamed.iter().any(|e| e["entity"] == "launch"),
        "{streamed:?}"
    );
    // The admin's audit log still has every account event.
    let all =
        app::event::service::audit_page(&app.db.conn, &s.admin.actor, &Default::default(), 1_000)
            .await
            .unwrap();
    assert!(all.iter().any(|e| e.kind == "user.role_changed"));
    assert!(all.iter().any(|e| e.kind == "api_token.created"));
}

/// A live door reads with the account it was opened with; when that account changes (an admin
/// demoted), the door sends the change and closes, so nothing after it is judged by the old
/// role: the socket asks the page to reload, the stream ends.
#[tokio::test]
async fn a_demoted_admins_live_doors_close_on_the_change() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let admin = app.login_as(Role::Admin).await;
    let demoted = app.login_as(Role::Admin).await;
    let mut socket = websocket(addr, &demoted.cookie, None).await;
    assert_eq!(next_json(&mut socket, WAIT).await.unwrap()["t"], "hello");
    let sse = {
        let demoted = demoted.clone();
        tokio::spawn(async move { sse_until(addr, &demoted, None, |_| false).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Events committed just before the doors opened may still reach them: look past those.
    let before = app::event::service::last_id(&app.db.conn).await.unwrap().0;
    let after = |e: &Value| e["id"].as_i64().is_some_and(|id| id > before);
    let by = EventActor::from(&admin.actor);
    app::auth::service::set_role(&app.db, &by, demoted.actor.id, Role::Viewer)
        .await
        .unwrap();
    // Another account's event, which only admins may read, comes after the change.
    app.login_as(Role::Member).await;

    let mut received = Vec::new();
    while let Some(message) = next_json(&mut socket, WAIT).await {
        received.push(message);
    }
    let kinds: Vec<&str> = received
        .iter()
        .filter(|m| after(&m["event"]))
        .filter_map(|m| m["event"]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["user.role_changed"], "{received:?}");
    assert_eq!(received.last().unwrap()["t"], "reload", "{received:?}");

    let streamed = tokio::time::timeout(WAIT, sse).await.unwrap().unwrap();
    let kinds: Vec<&str> = streamed
        .iter()
        .filter(|e| after(e))
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["user.role_changed"],
        "the stream ended after the change"
    );
}
