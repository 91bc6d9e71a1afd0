//! What the app writes per request goes out compressed to clients that accept it (a board's
//! HTML shrinks about tenfold), while the live doors — the event stream and the WebSocket —
//! stay uncompressed and live.

use crate::common;
use app::auth::model::Role;
use axum::body::Body;
use axum::http::{HeaderMap, Request, header};
use common::{TestApp, next_json, sse_events_until, websocket};
use http_body_util::BodyExt;
use std::io::Read;
use std::time::Duration;
use tower::ServiceExt;

/// GETs `path` signed in with `cookie`, offering `encoding` if any: the headers and raw body.
async fn fetch(
    app: &TestApp,
    path: &str,
    cookie: &str,
    encoding: Option<&str>,
) -> (HeaderMap, Vec<u8>) {
    let mut req = Request::get(path)
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin");
    if let Some(encoding) = encoding {
        req = req.header(header::ACCEPT_ENCODING, encoding);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (headers, body)
}

fn brotli_text(bytes: &[u8]) -> String {
    let mut text = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut text)
        .expect("a valid brotli stream");
    text
}

#[tokio::test]
async fn pages_and_json_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Compressed launch").await;
    let launch_id = launch["id"].as_i64().unwrap();
    for n in 1..=20 {
        app.escalation(&lead, launch_id, &format!("Compressed card {n}"), 3)
            .await;
    }
    let board = format!("/launches/{launch_id}/board");

    let (headers, plain) = fetch(&app, &board, &lead.cookie, None).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    let plain = String::from_utf8(plain).unwrap();
    assert!(plain.contains("Compressed card 3") && plain.contains("</html>"));

    let (headers, packed) = fetch(&app, &board, &lead.cookie, Some("gzip, deflate, br")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert!(
        headers.get_all(header::VARY).iter().any(|v| v
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")),
        "caches must keep the encodings apart: {headers:?}"
    );
    let html = brotli_text(&packed);
    assert!(html.contains("Compressed card 3") && html.contains("</html>"));
    assert!(
        packed.len() * 4 < html.len(),
        "{} bytes of brotli for {} of HTML",
        packed.len(),
        html.len()
    );

    let (headers, _) = fetch(&app, &board, &lead.cookie, Some("gzip")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");

    let list = format!("/api/v1/escalations?launch_id={launch_id}");
    let (headers, packed) = fetch(&app, &list, &lead.cookie, Some("br")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let list: serde_json::Value = serde_json::from_str(&brotli_text(&packed)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn the_event_stream_and_the_websocket_stay_live_and_uncompressed() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Live launch").await;
    let launch_id = launch["id"].as_i64().unwrap();

    let stream = common::http()
        .build()
        .unwrap()
        .get(format!("http://{addr}/api/v1/stream"))
        .bearer_auth(&lead.token)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.headers().get("content-encoding").is_none());
    let reader = tokio::spawn(sse_events_until(stream, Duration::from_secs(5), |seen| {
        seen.iter().any(|(_, e)| e["kind"] == "escalation.created")
    }));

    // The helper offers every encoding, as browsers do on the upgrade.
    let mut socket = websocket(addr, &lead.cookie, None).await;
    let hello = next_json(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(hello.unwrap()["t"], "hello");

    tokio::time::sleep(Duration::from_millis(300)).await;
    app.escalation(&lead, launch_id, "Seen live", 3).await;
    let events = reader.await.unwrap();
    assert!(
        events
            .iter()
            .any(|(_, e)| e["kind"] == "escalation.created"),
        "the stream delivered the event as it happened: {events:?}"
    );
    let message =
        common::next_event_of(&mut socket, "escalation.created", Duration::from_secs(5)).await;
    assert!(message.is_some(), "the socket delivered the event");
}
