//! The live doors as a client meets them over a real socket: the app served on loopback,
//! WebSocket clients of `/ws` and the messages they read, and SSE frames from
//! `/api/v1/stream`.

use super::TestApp;
use futures::StreamExt;
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::{Error, Message};

/// What a WebSocket client reads: its messages, one at a time.
pub trait SocketMessages: futures::Stream<Item = Result<Message, Error>> + Unpin {}

impl<S> SocketMessages for S where S: futures::Stream<Item = Result<Message, Error>> + Unpin {}

impl TestApp {
    /// Serves the app on a real socket (for WebSocket and SSE clients).
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let service = self
            .router
            .clone()
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move {
            axum::serve(listener, service).await.unwrap();
        });
        addr
    }
}

/// A WebSocket client of `/ws`, signed in with `cookie`.
pub async fn websocket(
    addr: std::net::SocketAddr,
    cookie: &str,
    after: Option<i64>,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = match after {
        Some(after) => format!("ws://{addr}/ws?after={after}"),
        None => format!("ws://{addr}/ws"),
    };
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", format!("http://{addr}").parse().unwrap());
    // As browsers do: the upgrade must not be compressed however the client offers.
    req.headers_mut()
        .insert("accept-encoding", "gzip, deflate, br".parse().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("websocket");
    socket
}

/// The next JSON text message, within `timeout`.
pub async fn next_json<S>(socket: &mut S, timeout: Duration) -> Option<Value>
where
    S: SocketMessages,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                return serde_json::from_str(&text).ok();
            }
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

/// The next event of `kind` within `timeout`, skipping other messages (events committed just
/// before the socket opened may still be on their way to it).
pub async fn next_event_of<S>(socket: &mut S, kind: &str, timeout: Duration) -> Option<Value>
where
    S: SocketMessages,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let message = next_json(socket, left).await?;
        if message["event"]["kind"] == kind {
            return Some(message);
        }
    }
}

/// The `event` of each event message an open WebSocket delivers, while `more` says so of
/// those read so far (or until none comes within `wait`).
pub async fn socket_events_while<S>(
    socket: &mut S,
    wait: Duration,
    more: impl Fn(&[Value]) -> bool,
) -> Vec<Value>
where
    S: SocketMessages,
{
    let mut out: Vec<Value> = Vec::new();
    while more(&out) {
        let Some(message) = next_json(socket, wait).await else {
            break;
        };
        if message["t"] == "event" {
            out.push(message["event"].clone());
        }
    }
    out
}

/// Reads SSE frames (`id:` and `data:`) from a streaming response until `done` says so of
/// the events read so far (or `wait` runs out).
pub async fn sse_events_until(
    res: reqwest::Response,
    wait: Duration,
    done: impl Fn(&[(i64, Value)]) -> bool,
) -> Vec<(i64, Value)> {
    let mut stream = res.bytes_stream();
    let mut buffer = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while !done(&out) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let Ok(Some(Ok(chunk))) = tokio::time::timeout(left, stream.next()).await else {
            break;
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let id = frame
                .lines()
                .find_map(|l| l.strip_prefix("id:"))
                .map(|v| v.trim().parse::<i64>().unwrap());
            let data = frame
                .lines()
                .find_map(|l| l.strip_prefix("data:"))
                .map(|v| serde_json::from_str(v.trim()).unwrap());
            if let (Some(id), Some(data)) = (id, data) {
                out.push((id, data));
            }
        }
    }
    out
}
