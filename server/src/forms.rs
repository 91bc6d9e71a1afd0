//! URL-encoded form posts (server functions, sign-in) must decode to valid UTF-8.
//!
//! Leptos decodes a server function's form with `serde_qs`, and axum's `Form` with
//! `form_urlencoded`: both turn a percent-encoded byte that is not UTF-8 (`%FF`) into
//! U+FFFD and carry on, so the text stored differs from the text sent. The REST door refuses
//! such a body (its JSON does not parse); this guard refuses the form alike, naming the field,
//! before any handler reads it.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a form post (or a server function's query string) holding a percent-encoded byte
/// sequence that is not UTF-8: 422 naming the field, and nothing reaches the handler. A
/// body over the size limit is the JSON 413. Every caller goes through it; other requests
/// pass untouched.
pub async fn refuse_invalid_utf8(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_server_fn(&path)
        && let Some(field) = req.uri().query().and_then(first_invalid_field)
    {
        return refuse(&path, &field);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if req.method() == Method::GET || !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => return error_for(&path, unreadable(err)),
    };
    // The body itself is ASCII when well formed; raw bytes that are not UTF-8 are refused too.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse(&path, "body");
    };
    if let Some(field) = first_invalid_field(text) {
        return refuse(&path, &field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The body could not be read: over the size limit (413), or cut off (400).
fn unreadable(err: axum::Error) -> AppError {
    // The limit's error sits somewhere down the chain of the body's wrappers.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return AppError::PayloadTooLarge;
        }
        cause = error.source();
    }
    AppError::bad_request("The form could not be read.")
}

fn refuse(path: &str, field: &str) -> Response {
    error_for(
        path,
        AppError::invalid_field(field, "is not valid UTF-8 text"),
    )
}

/// Whether `path` is a server function's (the browser's door) rather than the REST API's.
pub fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1")
}

/// `err` in the shape the caller of `path` reads: a server function's typed error (with
/// Leptos's error header, so the browser decodes it as `AppError`), or the REST error JSON.
pub fn error_for(path: &str, err: AppError) -> Response {
    if !is_server_fn(path) {
        return err.into_response();
    }
    let body = serde_json::to_vec(&err).unwrap_or_default();
    let mut res = (
        err.status(),
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if let Ok(path) = HeaderValue::from_str(path) {
        res.headers_mut()
            .insert(leptos::server_fn::error::SERVER_FN_ERROR_HEADER, path);
    }
    res
}

/// The name of the first `key=value` pair whose key or value does not decode to UTF-8
/// (the name itself decoded leniently, to say which field it was).
pub fn first_invalid_field(form: &str) -> Option<String> {
    form.split('&').filter(|p| !p.is_empty()).find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key_bytes = percent_decode(key);
        let bad = String::from_utf8(percent_decode(value)).is_err()
            || std::str::from_utf8(&key_bytes).is_err();
        bad.then(|| String::from_utf8_lossy(&key_bytes).into_owned())
    })
}

/// `application/x-www-form-urlencoded` decoding to bytes: `+` is a space, `%XX` a byte; a
/// `%` not followed by two hex digits stays as it is (as `form_urlencoded` does).
fn percent_decode(input: &str) -> Vec<u8> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                if let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) {
                    out.push((hi * 16 + lo) as u8);
                    i += 3;
                    continue;
                }
                out.push(byte);
            }
            _ => out.push(byte),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::first_invalid_field;

    #[test]
    fn only_undecodable_fields_are_named() {
        assert_eq!(first_invalid_field("name=Aurora+GA&d=%C3%A9t%C3%A9"), None);
        assert_eq!(first_invalid_field("a=100%&b=%zz"), None);
        assert_eq!(
            first_invalid_field("name=ok&description=caf%FF").as_deref(),
            Some("description")
        );
        assert_eq!(
            first_invalid_field("filter%5Bentity%5D=%C3").as_deref(),
            Some("filter[entity]")
        );
        assert_eq!(first_invalid_field("%FF=x").as_deref(), Some("\u{fffd}"));
    }
}
