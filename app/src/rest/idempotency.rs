//! `Idempotency-Key` on `/api/v1` POSTs: a client that retries after losing the response gets
//! the first response again instead of creating a duplicate.
//!
//! One axum middleware, layered on the `/api/v1` router inside `resolve_caller`, so the caller
//! is known. For every POST that carries the header:
//!
//! - The key is 1–200 printable ASCII characters (space to `~`), sent once; anything else is
//!   a 422 naming `Idempotency-Key`.
//! - A key belongs to the caller (user id) and to the method + path it was first used on;
//!   another user, or another path, with the same key is a separate key.
//! - The first request reserves the key (an INSERT on a unique index, `ON CONFLICT DO
//!   NOTHING`) before it runs, so of two concurrent requests with one key only one runs; the
//!   other gets 409 "still in progress".
//! - A 2xx response is stored with the key (status, content type, body up to 256 KiB) and
//!   answered again, with `Idempotent-Replayed: true`, to a retry with the same key, path and
//!   request (query string and body, compared by SHA-256) without running it again. A retry
//!   whose request differs is a 422. A success whose body is larger than the cap (or not
//!   text) keeps the key but not the body: a retry gets 409 saying it already succeeded.
//! - Errors are not stored: the reservation is released, so a retry after a 422 runs again.
//! - The reserved request runs in its own task, so a client that hangs up does not cancel it
//!   half-way; the response is stored either way. If the request panics the key is released.
//! - Keys expire 24 h after first use: an expired key is reused in place, and expired rows are
//!   purged lazily (at most once a minute, by the next keyed request). A reservation is never
//!   taken over before then, even when its server died mid-request: whether that request
//!   committed is unknown, and running it twice is what a key promises never to do (the
//!   client checks and retries with a new key).
//!
//! PUT and PATCH carry a `version` and need no key; other methods ignore the header.

mod openapi;
mod store;

pub use openapi::describe_header;

use crate::auth::service::guard::Caller;
use crate::entity::idempotency_key as row;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use store::{Reserved, purge_expired, record, release, reserve};
use tracing::Instrument;

/// The request header naming the key.
pub const HEADER: &str = "idempotency-key";
/// The response header marking a stored response answered again.
pub const REPLAYED: &str = "idempotent-replayed";
/// The wire name used in error `fields`.
const FIELD: &str = "Idempotency-Key";
const MAX_KEY_CHARS: usize = 200;
/// Responses larger than this are not kept.
const RESPONSE_CAP: usize = 256 * 1024;

/// Middleware for the `/api/v1` router: runs a POST with an `Idempotency-Key` at most once per
/// caller, path and key, answering retries from the stored response. Requests without the
/// header, other methods and anonymous callers pass straight through.
pub async fn replay_or_run(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.headers().contains_key(HEADER) {
        return next.run(req).await;
    }
    let Some(user_id) = req
        .extensions()
        .get::<Caller>()
        .and_then(|caller| caller.0.as_ref())
        .map(|actor| actor.id.0)
    else {
        return next.run(req).await;
    };
    match run_once(state.db.conn.clone(), user_id, req, next).await {
        Ok(res) | Err(res) => res,
    }
}

/// The key of a request: exactly one header of 1–200 printable ASCII characters.
pub fn parse_key(headers: &HeaderMap) -> Result<String, AppError> {
    let mut values = headers.get_all(HEADER).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(AppError::invalid_field(FIELD, "Send one key, not several."));
    };
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_KEY_CHARS {
        return Err(AppError::invalid_field(
            FIELD,
            format!("must be 1 to {MAX_KEY_CHARS} characters long."),
        ));
    }
    if !bytes.iter().all(|b| (b' '..=b'~').contains(b)) {
        return Err(AppError::invalid_field(
            FIELD,
            "may contain printable ASCII characters only.",
        ));
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// Hex SHA-256 of the parts, each length-prefixed so that no two lists hash alike.
fn fingerprint(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

async fn run_once(
    db: DatabaseConnection,
    user_id: i64,
    req: Request,
    next: Next,
) -> Result<Response, Response> {
    let key = parse_key(req.headers()).map_err(IntoResponse::into_response)?;
    let (parts, body) = req.into_parts();
    // The body, read once to fingerprint it (and handed on below), under the same limits as
    // the handler's own extractor.
    let mut body_request = Request::new(body);
    *body_request.extensions_mut() = parts.extensions.clone();
    let body = Bytes::from_request(body_request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge.into_response()
            } else {
                AppError::bad_request(rejection.body_text()).into_response()
            }
        })?;
    let scope = fingerprint(&[
        parts.method.as_str().as_bytes(),
        parts.uri.path().as_bytes(),
    ]);
    let request_hash = fingerprint(&[parts.uri.query().unwrap_or("").as_bytes(), &body]);
    purge_expired(&db).await;
    let id = match reserve(&db, user_id, &scope, &key, &request_hash).await {
        Ok(Reserved::Mine(id)) => id,
        Ok(Reserved::Taken(existing)) => return Err(answer_for(&existing, &request_hash)),
        Err(err) => return Err(AppError::internal(err).into_response()),
    };
    // Run to the end even if the client hangs up: whatever it wrote is then on record.
    let task = tokio::spawn({
        let db = db.clone();
        async move {
            let res = next.run(Request::from_parts(parts, Body::from(body))).await;
            settle(&db, id, res).await
        }
        .instrument(tracing::Span::current())
    });
    match task.await {
        Ok(res) => Ok(res),
        Err(err) => {
            release(&db, id).await;
            Err(AppError::internal(format!("keyed request failed: {err}")).into_response())
        }
    }
}

/// What a request gets when another already holds its key.
fn answer_for(existing: &row::Model, request_hash: &str) -> Response {
    if existing.request_hash != request_hash {
        return AppError::invalid_field(
            FIELD,
            "was already used for a different request (another body or query) in the last 24 hours; \
             use a new key for a new request.",
        )
        .into_response();
    }
    let status = existing
        .response_status
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok());
    let Some(status) = status else {
        return AppError::conflict(
            "A request with this Idempotency-Key is still in progress (or its server stopped before it finished); retry once it has finished, or check and use a new key.",
            None,
        )
        .into_response();
    };
    let Some(body) = existing.response_body.clone() else {
        return AppError::conflict(
            "The request with this Idempotency-Key already succeeded, but its response was too \
             large to keep; look the result up instead.",
            None,
        )
        .into_response();
    };
    let mut res = (status, body).into_response();
    let content_type = existing
        .response_content_type
        .as_deref()
        .and_then(|ct| HeaderValue::from_str(ct).ok())
        .unwrap_or(HeaderValue::from_static("application/json"));
    res.headers_mut().insert(header::CONTENT_TYPE, content_type);
    res.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    res
}

/// Stores a success with its key, or releases the key after an error.
async fn settle(db: &DatabaseConnection, id: i64, res: Response) -> Response {
    let status = res.status();
    if !status.is_success() {
        release(db, id).await;
        return res;
    }
    let (parts, body) = res.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let fits = body
        .size_hint()
        .upper()
        .is_some_and(|len| len <= RESPONSE_CAP as u64);
    if !fits {
        record(db, id, status, content_type, None).await;
        return Response::from_parts(parts, body);
    }
    match axum::body::to_bytes(body, RESPONSE_CAP).await {
        Ok(bytes) => {
            let text = std::str::from_utf8(&bytes).ok().map(str::to_string);
            record(db, id, status, content_type, text).await;
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(err) => {
            record(db, id, status, content_type, None).await;
            AppError::internal(format!("reading a keyed response: {err}")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&'static [u8]]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(HEADER, HeaderValue::from_bytes(v).unwrap());
        }
        h
    }

    #[test]
    fn keys_are_one_short_printable_value() {
        assert_eq!(parse_key(&headers(&[b"abc-123 X~"])).unwrap(), "abc-123 X~");
        let long: &'static [u8] = Box::leak(vec![b'k'; 200].into_boxed_slice());
        assert!(parse_key(&headers(&[long])).is_ok());
        let too_long: &'static [u8] = Box::leak(vec![b'k'; 201].into_boxed_slice());
        for bad in [
            headers(&[too_long]),
            headers(&[b""]),
            headers(&[b"caf\xc3\xa9"]),
            headers(&[b"tab\there"]),
            headers(&[b"one", b"two"]),
        ] {
            let err = parse_key(&bad).unwrap_err();
            assert!(err.field(FIELD).is_some(), "{err:?}");
        }
    }

    #[test]
    fn fingerprints_do_not_run_parts_together() {
        assert_ne!(fingerprint(&[b"ab", b"c"]), fingerprint(&[b"a", b"bc"]));
        assert_eq!(fingerprint(&[b"a", b"b"]), fingerprint(&[b"a", b"b"]));
    }
}
