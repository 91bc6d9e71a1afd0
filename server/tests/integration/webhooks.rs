//! Outbound webhooks against a real HTTP receiver on loopback, started by each test: signed
//! bodies, order per webhook, retries that deliver each event exactly once after success,
//! one deliverer across app servers, and a restart mid-backlog that loses nothing.

use crate::common;
use app::auth::model::Role;
use app::webhook::service::Outbound;
use app::webhook::service::worker::run_once;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{Duration, Utc};
use common::{Login, TestApp};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the receiver got and answered 2xx to: (event id header, signature header, body).
type Got = Vec<(Option<i64>, String, Vec<u8>)>;

/// A webhook receiver on loopback: it answers 500 to the first `fail_first` requests, hangs
/// (until the sender gives up) on every request once `hang_after` were accepted, and keeps
/// what it accepted.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Got>>,
    requests: Arc<AtomicUsize>,
    fail_first: Arc<AtomicUsize>,
    hang_after: Arc<AtomicUsize>,
}

impl Receiver {
    async fn start(fail_first: usize) -> (Self, String) {
        let receiver = Self::default();
        receiver.fail_first.store(fail_first, Ordering::SeqCst);
        receiver.hang_after.store(usize::MAX, Ordering::SeqCst);
        let state = receiver.clone();
        let router = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    let n = state.requests.fetch_add(1, Ordering::SeqCst);
                    if n < state.fail_first.load(Ordering::SeqCst) {
                        return StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    if state.got.lock().unwrap().len() >= state.hang_after.load(Ordering::SeqCst) {
                        std::future::pending::<()>().await;
                    }
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string)
                    };
                    state.got.lock().unwrap().push((
                        header("x-flare-event-id").and_then(|v| v.parse().ok()),
                        header("x-flare-signature").unwrap_or_default(),
                        body.to_vec(),
                    ));
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        (receiver, format!("http://{addr}/hook"))
    }

    fn got(&self) -> Got {
        self.got.lock().unwrap().clone()
    }

    fn event_ids(&self) -> Vec<i64> {
        self.got().iter().filter_map(|(id, _, _)| *id).collect()
    }
}

fn outbound() -> Outbound {
    Outbound {
        allow_private: true,
        public_url: "https://flare.example.com".into(),
    }
}

async fn add_webhook(app: &TestApp, admin: &Login, body: Value) -> Value {
    let (status, created) = app.post("/api/v1/webhooks", &admin.token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

/// The ids of the events of `kinds` on escalation `id`, oldest first.
async fn events_of(app: &TestApp, who: &Login, id: &Value, kinds: &[&str]) -> Vec<i64> {
    let (_, timeline) = app
        .get(&format!("/api/v1/escalations/{id}/timeline"), &who.token)
        .await;
    timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| kinds.contains(&e["kind"].as_str().unwrap()))
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
}

/// Runs delivery passes, the clock a minute further each time (past any backoff), until
/// `done` or 30 passes.
async fn deliver_until(app: &TestApp, holder: &str, done: impl Fn() -> bool) {
    let client = outbound().client().unwrap();
    let mut now = Utc::now();
    for _ in 0..30 {
        run_once(&app.db, &outbound(), &client, holder, now)
            .await
            .unwrap();
        if done() {
            return;
        }
        now += Duration::minutes(1);
    }
    panic!("not delivered after 30 passes");
}

#[tokio::test]
async fn deliveries_are_signed_kept_in_order_and_sent_once_after_three_failures() {
    let app = TestApp::new().await;
    let admin = app.login_as(Role::Admin).await;
    let lead = app.login_as(Role::Facilitator).await;
    let member = app.login_as(Role::Member).await;
    let (receiver, url) = Receiver::start(3).await;
    let (slack, slack_url) = Receiver::start(0).await;

    // Only admins add webhooks; a URL must be http(s); private addresses need the
    // operator's allowance.
    let (status, _) = app
        .post("/api/v1/webhooks", &member.token, json!({"url": url}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            "/api/v1/webhooks",
            &admin.token,
            json!({"url": "ftp://example.com/x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["url"].is_string());
    let refused = app::webhook::service::create(
        &app.db,
        &admin.actor,
        &Outbound::default(),
        &app::webhook::model::WebhookRequest {
            url: Some(url.clone()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let hook = add_webhook(
        &app,
        &admin,
        json!({"url": url, "events": ["escalation.created", "escalation.moved"], "format": "json"}),
    )
    .await;
    let secret = hook["secret"].as_str().unwrap().to_string();
    assert!(secret.len() >= 32);
    add_webhook(
        &app,
        &admin,
        json!({"url": slack_url, "events": ["escalation.created"], "format": "slack"}),
    )
    .await;
    let (_, listed) = app.get("/api/v1/webhooks", &admin.token).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        listed[0].get("secret").is_none(),
        "the secret is shown once"
    );

    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let e = app
        .escalation(&lead, launch, "Checkout <b>fails</b>", 2)
        .await;
    app.walk(&lead, e.clone(), &["triaged", "mitigating"]).await;
    let wanted = events_of(
        &app,
        &lead,
        &e["id"],
        &["escalation.created", "escalation.moved"],
    )
    .await;
    assert_eq!(wanted.len(), 3);

    deliver_until(&app, "one", || {
        receiver.got().len() == 3 && slack.got().len() == 1
    })
    .await;
    // Three 500s, then each event exactly once, in order, signed with the secret.
    assert_eq!(receiver.requests.load(Ordering::SeqCst), 6);
    assert_eq!(receiver.event_ids(), wanted);
    for (id, signature, body) in receiver.got() {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(&body);
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(signature, expected);
        let event: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(event["id"].as_i64(), id);
    }
    // More passes send nothing again.
    deliver_until(&app, "one", || true).await;
    assert_eq!(receiver.got().len(), 3);

    // The Slack-compatible message: a readable line plus blocks, the title as text.
    let (_, _, body) = &slack.got()[0];
    let message: Value = serde_json::from_slice(body).unwrap();
    let text = message["text"].as_str().unwrap();
    assert!(text.contains("Checkout &lt;b&gt;fails&lt;/b&gt;"), "{text}");
    assert!(text.contains("Tier 2"), "{text}");
    assert!(
        text.contains(&format!(
            "https://flare.example.com/escalations/{}",
            e["id"]
        )),
        "{text}"
    );
    assert_eq!(
        message["blocks"][0]["text"]["text"],
        "Checkout <b>fails</b>"
    );

    // The delivery log: three failures with their status codes, then three deliveries.
    let (status, log) = app
        .get(
            &format!("/api/v1/webhooks/{}/deliveries", hook["id"]),
            &admin.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let outcomes: Vec<(&str, i64)> = log
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|d| {
            (
                d["outcome"].as_str().unwrap(),
                d["status_code"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("failed", 500),
            ("failed", 500),
            ("failed", 500),
            ("delivered", 204),
            ("delivered", 204),
            ("delivered", 204)
        ]
    );

    // "Send test" posts now and logs it; deleting removes the webhook and its log.
    let (status, test) = app
        .post(
            &format!("/api/v1/webhooks/{}/test", hook["id"]),
            &admin.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{test}");
    assert_eq!(test["outcome"], "delivered");
    assert_eq!(test["event_id"], Value::Null);
    let (status, _) = app
        .send(
            axum::http::Method::DELETE,
            &format!("/api/v1/webhooks/{}", hook["id"]),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .get(
            &format!("/api/v1/webhooks/{}/deliveries", hook["id"]),
            &admin.token,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_send_each_event_once_and_a_restart_mid_backlog_loses_nothing() {
    let app = TestApp::new().await;
    let other = app.another_instance().await;
    let admin = app.login_as(Role::Admin).await;
    let lead = app.login_as(Role::Facilitator).await;
    let (receiver, url) = Receiver::start(0).await;
    add_webhook(
        &app,
        &admin,
        json!({"url": url, "events": ["escalation.created"]}),
    )
    .await;
    let launch = app.launch(&lead, "Backlog").await["id"].as_i64().unwrap();
    let mut created = Vec::new();
    for n in 0..12 {
        let e = app.escalation(&lead, launch, &format!("Card {n}"), 3).await;
        created.extend(events_of(&app, &lead, &e["id"], &["escalation.created"]).await);
    }

    // A server that stops mid-backlog: the receiver hangs on the fifth event, and the
    // server's worker dies with that request in flight (its lease still held).
    receiver.hang_after.store(4, Ordering::SeqCst);
    let client = outbound().client().unwrap();
    let db = app.db.clone();
    let crashed =
        tokio::spawn(
            async move { run_once(&db, &outbound(), &client, "crashed", Utc::now()).await },
        );
    for _ in 0..200 {
        if receiver.requests.load(Ordering::SeqCst) >= 5 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    crashed.abort();
    assert_eq!(receiver.event_ids(), created[..4]);
    receiver.hang_after.store(usize::MAX, Ordering::SeqCst);

    // Two servers (two connection pools) pass at once after the lease ran out: the rest
    // arrives once, in order.
    let client = outbound().client().unwrap();
    let later = Utc::now() + Duration::minutes(5);
    let settings = outbound();
    let (a, b) = tokio::join!(
        run_once(&app.db, &settings, &client, "a", later),
        run_once(&other, &settings, &client, "b", later),
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(receiver.event_ids(), created);
}

#[tokio::test]
async fn an_event_failing_for_a_day_is_given_up_and_the_queue_moves_on() {
    let app = TestApp::new().await;
    let admin = app.login_as(Role::Admin).await;
    let lead = app.login_as(Role::Facilitator).await;
    let (receiver, url) = Receiver::start(usize::MAX).await;
    let hook = add_webhook(
        &app,
        &admin,
        json!({"url": url, "events": ["escalation.created"]}),
    )
    .await;
    let launch = app.launch(&lead, "Flaky receiver").await["id"]
        .as_i64()
        .unwrap();
    let first = app.escalation(&lead, launch, "First", 3).await;
    let second = app.escalation(&lead, launch, "Second", 3).await;
    let second_event = events_of(&app, &lead, &second["id"], &["escalation.created"]).await;

    // Failing every few hours for a day: the first event is given up, the second is tried.
    let client = outbound().client().unwrap();
    let start = Utc::now();
    for hours in (0..=27).step_by(3) {
        run_once(
            &app.db,
            &outbound(),
            &client,
            "one",
            start + Duration::hours(hours),
        )
        .await
        .unwrap();
    }
    receiver.fail_first.store(0, Ordering::SeqCst);
    run_once(
        &app.db,
        &outbound(),
        &client,
        "one",
        start + Duration::hours(29),
    )
    .await
    .unwrap();
    assert_eq!(receiver.event_ids(), second_event);
    let (_, log) = app
        .get(
            &format!("/api/v1/webhooks/{}/deliveries", hook["id"]),
            &admin.token,
        )
        .await;
    let first_event = events_of(&app, &lead, &first["id"], &["escalation.created"]).await;
    let gave_up: Vec<i64> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["outcome"] == "gave_up")
        .map(|d| d["event_id"].as_i64().unwrap())
        .collect();
    assert_eq!(gave_up, first_event);
}
