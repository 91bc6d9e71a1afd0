//! The two doors to the hub: `GET /ws` for browsers (signed-in, same-origin) and
//! `GET /api/v1/stream` (Server-Sent Events) for integrations.

use super::model::parse_resume_id;
use super::service::{Hub, replay};
use crate::auth::service::guard::{Caller, is_cross_site};
use crate::error::AppError;
use crate::event::model::{ends_access, may_see};
use crate::rest::{ApiCaller, ErrorBody, Query};
use crate::state::AppState;
use axum::Extension;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::BroadcastStream;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(Debug, Default, Deserialize)]
pub struct WsQuery {
    /// The last event id the browser saw; it receives everything after it (a whole number;
    /// anything else is a 400, see `parse_resume_id`).
    pub after: Option<String>,
}

/// `GET /ws`: the browser's live connection. Signed-in callers only, and only from Flare's
/// own pages (a WebSocket upgrade is a GET that CORS does not protect, so `Origin` is checked).
/// A resume id that is not a whole number is a JSON 400; one ahead of the event log gets a
/// `reload` message on the socket (see `service::session`).
pub async fn websocket(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<WsQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(actor) = caller.0 else {
        return AppError::sign_in_required().into_response();
    };
    if is_cross_site(&headers) {
        return AppError::forbidden("Live updates are only for Flare's own pages.").into_response();
    }
    let after = match parse_resume_id(query.after.as_deref().unwrap_or_default()) {
        Ok(after) => after,
        Err(error) => return error.into_response(),
    };
    let hub = state.hub.clone();
    let db = state.db.clone();
    upgrade.on_upgrade(move |socket| super::service::session(socket, db, hub, actor, after))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream))
}

/// The events the caller may see, as Server-Sent Events: `id:` is the event id and `data:`
/// the Event JSON. Send `Last-Event-ID` to receive what was missed since then (up to 1,000
/// events; more answers 409, and the client should resynchronise through the REST API).
/// A `Last-Event-ID` ahead of the newest event answers 409 naming the newest id (`current:
/// {last_event_id}`); one that is not a whole number, 400. Anyone signed in; each caller
/// receives only the events `may_see` lets it read (account and token events only to admins
/// and to the person they concern).
#[utoipa::path(get, path = "/stream", tag = "events",
    params(("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id")),
    responses((status = 200, description = "text/event-stream of Events", content_type = "text/event-stream"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn stream(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, AppError> {
    let hub: Hub = state.hub.clone();
    let live = BroadcastStream::new(hub.subscribe());
    let last_seen = match headers.get("last-event-id") {
        Some(value) => parse_resume_id(value.to_str().map_err(|_| {
            AppError::bad_request("The Last-Event-ID header must be an event id.")
        })?)?,
        None => None,
    };
    let start = last_seen.unwrap_or_else(|| hub.last_published());
    let missed = replay(&state.db, start).await?;
    let mut last_sent = missed.last().map_or(start, |e| e.id);
    let viewer = actor.clone();
    let replayed = stream::iter(missed)
        .filter(move |e| std::future::ready(may_see(&viewer, e)))
        .map(|e| to_sse(&e));
    // An event that changes the caller's own account ends the stream right after it is sent:
    // the stream was opened with the old role, and the client reconnects as who it is now.
    let live = live
        .take_while(|item| std::future::ready(item.is_ok()))
        .filter_map(move |item| {
            let out = match item {
                Ok(published)
                    if published.event.id > last_sent && may_see(&actor, &published.event) =>
                {
                    last_sent = published.event.id;
                    let then_close = ends_access(&actor, &published.event).then_some(None);
                    Some(stream::iter(
                        std::iter::once(Some(to_sse(&published.event))).chain(then_close),
                    ))
                }
                _ => None,
            };
            std::future::ready(out)
        })
        .flatten()
        .take_while(|item| std::future::ready(item.is_some()))
        .filter_map(std::future::ready);
    let shutdown = hub.shutdown();
    let events = replayed
        .chain(live)
        .take_until(async move { shutdown.cancelled().await })
        .map(Ok);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn to_sse(event: &crate::event::model::Event) -> SseEvent {
    SseEvent::default()
        .id(event.id.0.to_string())
        .data(serde_json::to_string(event).unwrap_or_default())
}
