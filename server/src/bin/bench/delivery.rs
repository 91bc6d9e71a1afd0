//! Commit-to-delivery latency: live WebSocket clients on a real socket, timed from each
//! move's commit to its event's arrival at every client.

use crate::fixture::{Fixture, session_cookie};
use crate::moves::{Round, move_card};
use crate::{line, percentile};
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Opens `clients` signed-in WebSockets, makes 60 moves 50 ms apart, and times each event
/// from its commit to its arrival at every client.
pub(crate) async fn bench_delivery(fx: &mut Fixture, clients: usize) {
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
        move_card(&fx.db, &fx.actor, &mut fx.cards, at, Round::Open).await;
        let done = Instant::now();
        let event_id = app::event::service::last_id(&fx.db.conn)
            .await
            .expect("last id")
            .0;
        committed.insert(event_id, done);
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
