//! `make bench`: the board's figures, one per line — first-view render time for a 500-card
//! launch, card moves per second on SQLite, and commit-to-delivery latency to 100 and 1,000
//! live WebSocket clients. Everything runs on this machine, against loopback.
//!
//! A measuring tool, not a server: any failed setup step aborts the run with its reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use app::auth::Actor;
use app::auth::model::UserDraft;
use app::db::{Db, DbOptions};
use app::escalation::model::{EscalationDraft, ImpactDraft, MoveRequest};
use app::escalation::{EscalationId, Stage};
use app::event::model::EventActor;
use app::launch::LaunchDraft;
use app::realtime::service::Hub;
use app::state::AppState;
use axum::body::Body;
use axum::http::Request;
use futures::StreamExt;
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use tower::ServiceExt;

const PASSWORD: &str = "benchmark password";

struct Fixture {
    _dir: tempfile::TempDir,
    db: Db,
    state: AppState,
    actor: Actor,
    launch: i64,
    cards: Vec<(EscalationId, i64, Stage)>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn line(text: String) {
    server::cli::print_line(&text);
}

async fn fixture(cards: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = app::db::sqlite_url(&dir.path().join("bench.db")).expect("url");
    let db = Db::connect(&DbOptions::new(url)).await.expect("database");
    server::database::migrate(&db).await.expect("migrate");
    let valid = UserDraft {
        email: Some("bench@flare.test".into()),
        name: Some("Bench Facilitator".into()),
        role: Some("facilitator".into()),
        functional_area: Some("operations".into()),
        password: Some(PASSWORD.into()),
    }
    .validate()
    .expect("user");
    let user = app::auth::service::insert_user(&db, &EventActor::system(), valid)
        .await
        .expect("user");
    let actor = Actor {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
    };
    let launch = app::launch::service::create(
        &db,
        &actor,
        &LaunchDraft {
            name: Some("Benchmark launch".into()),
            target_date: Some("2027-01-01".into()),
            ..Default::default()
        },
    )
    .await
    .expect("launch");
    let triggers = ["plan_deviation", "customer_defect", "risk_forecast"];
    let mut out = Vec::with_capacity(cards);
    for i in 0..cards {
        let e = app::escalation::service::create(
            &db,
            &actor,
            &EscalationDraft {
                launch_id: Some(launch.id.0),
                title: Some(format!(
                    "Escalation number {i} with a realistic title length"
                )),
                description: Some("Customers in several markets see errors when they pay.".into()),
                trigger: Some(triggers[i % 3].into()),
                tier: Some(1 + (i % 4) as i64),
                impact: ImpactDraft {
                    customer: Some((i % 6) as i64),
                    revenue: Some((i % 5) as i64),
                    compliance: Some((i % 3) as i64),
                },
                owner_id: Some(actor.id.0),
                deadline: Some(
                    (chrono::Utc::now() + chrono::Duration::hours(1 + (i % 48) as i64))
                        .to_rfc3339(),
                ),
            },
        )
        .await
        .expect("escalation");
        let stage = Stage::BOARD[i % 5];
        let mut version = e.version;
        if stage != Stage::Triggered {
            version = app::escalation::service::move_to(
                &db,
                &actor,
                e.id,
                &MoveRequest {
                    stage: Some(stage.as_str().into()),
                    version: Some(version),
                    reason: None,
                },
            )
            .await
            .expect("move")
            .version;
        }
        out.push((e.id, version, stage));
    }
    let config = server::config::Config::default();
    let hub = Hub::default();
    tokio::spawn(app::realtime::service::run_relay(db.clone(), hub.clone()));
    let state = AppState {
        db: db.clone(),
        leptos: server::leptos_options(&config),
        auth: config.auth(),
        hub,
    };
    Fixture {
        _dir: dir,
        db,
        state,
        actor,
        launch: launch.id.0,
        cards: out,
    }
}

async fn session_cookie(router: &axum::Router) -> String {
    let res = router
        .clone()
        .oneshot(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(
                    "email=bench%40flare.test&password=benchmark+password",
                ))
                .expect("request"),
        )
        .await
        .expect("sign in");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("flare_session="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string()
}

/// The board's data alone (its queries, no HTTP or HTML), to tell the two costs apart.
async fn bench_board_data(fx: &Fixture) {
    let mut times = Vec::new();
    for i in 0..330 {
        let started = Instant::now();
        app::board::service::view(
            &fx.db.conn,
            &fx.actor,
            app::launch::LaunchId(fx.launch),
            app::board::BoardFilter::default(),
            chrono::Utc::now(),
        )
        .await
        .expect("board");
        if i >= 30 {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    line(format!(
        "board first view, data only (its queries, no HTTP or HTML): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&times, 50.0),
        percentile(&times, 99.0),
    ));
}

async fn bench_render(fx: &Fixture) {
    let router = server::router(fx.state.clone(), 1 << 20);
    let cookie = session_cookie(&router).await;
    let path = format!("/launches/{}/board", fx.launch);
    let render = || {
        let router = router.clone();
        let req = Request::get(&path)
            .header("cookie", &cookie)
            .body(Body::empty())
            .expect("request");
        async move {
            let started = Instant::now();
            let res = router.oneshot(req).await.expect("response");
            assert!(res.status().is_success(), "board answered {}", res.status());
            let body = res.into_body().collect().await.expect("body").to_bytes();
            (started.elapsed(), body.len())
        }
    };
    for _ in 0..30 {
        render().await;
    }
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..300 {
        let (t, len) = render().await;
        times.push(t.as_secs_f64() * 1000.0);
        bytes = len;
    }
    times.sort_by(f64::total_cmp);
    line(format!(
        "board first view (500 escalations, top {} per column, {} kB HTML): p50 {:.2} ms, p99 {:.2} ms over {} renders",
        app::board::model::PAGE,
        bytes / 1024,
        percentile(&times, 50.0),
        percentile(&times, 99.0),
        times.len()
    ));
}

async fn bench_moves(fx: &mut Fixture) {
    let moves = 4_000;
    let started = Instant::now();
    for i in 0..moves {
        let at = i % fx.cards.len();
        let (id, version, stage) = fx.cards[at];
        let next =
            Stage::BOARD[(Stage::BOARD.iter().position(|s| *s == stage).unwrap_or(0) + 1) % 5];
        let moved = app::escalation::service::move_to(
            &fx.db,
            &fx.actor,
            id,
            &MoveRequest {
                stage: Some(next.as_str().into()),
                version: Some(version),
                reason: None,
            },
        )
        .await
        .expect("move");
        fx.cards[at] = (id, moved.version, next);
    }
    let rate = moves as f64 / started.elapsed().as_secs_f64();
    line(format!(
        "card moves on SQLite through the service layer (WAL, synchronous=NORMAL, one mover): {rate:.0} moves/s over {moves} moves"
    ));

    // Four movers at once, each on its own cards: writers queue on SQLite's write lock.
    let movers = 4;
    let per_mover = 1_000;
    let started = Instant::now();
    let chunks: Vec<Vec<(EscalationId, i64, Stage)>> = (0..movers)
        .map(|m| fx.cards.iter().copied().skip(m).step_by(movers).collect())
        .collect();
    let mut tasks = Vec::new();
    for mut cards in chunks {
        let db = fx.db.clone();
        let actor = fx.actor.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_mover {
                let at = i % cards.len();
                let (id, version, stage) = cards[at];
                let next = Stage::BOARD
                    [(Stage::BOARD.iter().position(|s| *s == stage).unwrap_or(0) + 1) % 5];
                let moved = app::escalation::service::move_to(
                    &db,
                    &actor,
                    id,
                    &MoveRequest {
                        stage: Some(next.as_str().into()),
                        version: Some(version),
                        reason: None,
                    },
                )
                .await
                .expect("move");
                cards[at] = (id, moved.version, next);
            }
            cards
        }));
    }
    let mut merged = Vec::new();
    for t in tasks {
        merged.extend(t.await.expect("mover"));
    }
    fx.cards = merged;
    let rate = (movers * per_mover) as f64 / started.elapsed().as_secs_f64();
    line(format!(
        "card moves on SQLite, {movers} concurrent movers: {rate:.0} moves/s over {} moves",
        movers * per_mover
    ));
}

async fn bench_delivery(fx: &mut Fixture, clients: usize) {
    let router = server::router(fx.state.clone(), 1 << 20);
    let cookie = session_cookie(&router).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    let received: Arc<Mutex<Vec<(i64, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(clients);
    let mut sockets = Vec::new();
    for _ in 0..clients {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut req = format!("ws://{addr}/ws")
            .into_client_request()
            .expect("url");
        req.headers_mut()
            .insert("cookie", cookie.parse().expect("cookie"));
        req.headers_mut()
            .insert("origin", format!("http://{addr}").parse().expect("origin"));
        let received = received.clone();
        let ready = ready_tx.clone();
        sockets.push(tokio::spawn(async move {
            let (mut socket, _) = tokio_tungstenite::connect_async(req)
                .await
                .expect("connect");
            let mut local = Vec::new();
            while let Some(Ok(message)) = socket.next().await {
                if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                    let at = Instant::now();
                    if text.contains("\"t\":\"hello\"") {
                        let _ = ready.send(()).await;
                    } else if let Some(id) = text
                        .split("\"id\":")
                        .nth(1)
                        .and_then(|rest| rest.split([',', '}']).next())
                        .and_then(|id| id.trim().parse::<i64>().ok())
                    {
                        local.push((id, at));
                    }
                }
            }
            let _ = socket.close(None).await;
            received.lock().await.extend(local);
        }));
    }
    for _ in 0..clients {
        ready_rx.recv().await;
    }
    let events = 60;
    let mut committed: HashMap<i64, Instant> = HashMap::new();
    for i in 0..events {
        let at = i % fx.cards.len();
        let (id, version, stage) = fx.cards[at];
        let next =
            Stage::BOARD[(Stage::BOARD.iter().position(|s| *s == stage).unwrap_or(0) + 1) % 5];
        let moved = app::escalation::service::move_to(
            &fx.db,
            &fx.actor,
            id,
            &MoveRequest {
                stage: Some(next.as_str().into()),
                version: Some(version),
                reason: None,
            },
        )
        .await
        .expect("move");
        let done = Instant::now();
        let event_id = app::event::service::last_id(&fx.db.conn)
            .await
            .expect("last id")
            .0;
        committed.insert(event_id, done);
        fx.cards[at] = (id, moved.version, next);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    fx.state.hub.shutdown().cancel();
    for s in sockets {
        let _ = s.await;
    }
    server.abort();
    let received = received.lock().await;
    let mut latencies: Vec<f64> = received
        .iter()
        .filter_map(|(id, at)| {
            committed
                .get(id)
                .map(|c| at.saturating_duration_since(*c).as_secs_f64() * 1000.0)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let expected = clients * events;
    line(format!(
        "commit-to-delivery, {clients} live clients: p50 {:.2} ms, p99 {:.2} ms ({} of {} deliveries, 20 events/s)",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.len(),
        expected
    ));
}

#[tokio::main]
async fn main() {
    server::telemetry::init();
    // `bench render moves delivery` runs only those parts (for profiling one of them).
    let only: Vec<String> = std::env::args().skip(1).collect();
    let run = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    let mut fx = fixture(500).await;
    if run("render") {
        bench_render(&fx).await;
        bench_board_data(&fx).await;
    }
    if run("moves") {
        bench_moves(&mut fx).await;
    }
    if !run("delivery") {
        return;
    }
    for clients in [100, 1_000] {
        // A fresh hub per run: the previous run's shutdown ended its streams.
        let hub = Hub::default();
        tokio::spawn(app::realtime::service::run_relay(
            fx.db.clone(),
            hub.clone(),
        ));
        fx.state.hub = hub;
        bench_delivery(&mut fx, clients).await;
    }
}
