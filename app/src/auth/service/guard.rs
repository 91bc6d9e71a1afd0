//! Request guards: who is calling (session or bearer token), what anonymous callers may
//! reach, cross-site request refusal, and security headers on every response.

use super::backend::AuthSession;
use crate::auth::model::Actor;
use crate::error::AppError;
use crate::state::AppState;
// The settings and the caller are the state's; named here too, where the guard's users
// (the server's config, the REST extractors) have always found them.
pub use crate::state::{AuthSettings, Caller};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

/// Session keys Flare keeps beside axum-login's.
pub const SIGNED_IN_AT: &str = "flare.signed_in_at";
const SEEN_AT: &str = "flare.seen_at";

/// Paths anonymous callers may reach: sign-in, health, static assets.
pub fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/healthz" | "/readyz" | "/favicon.svg")
        || path.starts_with("/pkg/")
        || is_calendar_feed(path)
}

/// `/calendar/{token}.ics`: a calendar app fetches it without signing in; the token is the key.
fn is_calendar_feed(path: &str) -> bool {
    path.strip_prefix("/calendar/")
        .and_then(|rest| rest.strip_suffix(".ics"))
        .is_some_and(|token| !token.is_empty() && !token.contains('/'))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Resolves the caller from a bearer token or the session, enforces the absolute session
/// timeout, and refuses anonymous callers everywhere but the public paths.
pub async fn resolve_caller(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let caller = if let Some(secret) = bearer(req.headers()) {
        match super::actor_for_token(&state.db, secret).await {
            Ok(actor) => Some(actor),
            Err(err) => return err.into_response(),
        }
    } else if let Some(auth) = req.extensions().get::<AuthSession>().cloned() {
        match session_actor(auth, &state.auth).await {
            Ok(actor) => actor,
            Err(err) => return err.into_response(),
        }
    } else {
        None
    };
    let path = req.uri().path().to_string();
    if caller.is_none() && !is_public(&path) {
        return refuse_anonymous(req.method(), &path, req.uri().query());
    }
    req.extensions_mut().insert(Caller(caller));
    next.run(req).await
}

async fn session_actor(
    mut auth: AuthSession,
    settings: &AuthSettings,
) -> Result<Option<Actor>, AppError> {
    let Some(user) = auth.user.clone() else {
        return Ok(None);
    };
    let now = Utc::now().timestamp();
    let session_error = |e: tower_sessions::session::Error| AppError::internal(e);
    let signed_in_at: i64 = auth
        .session
        .get(SIGNED_IN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    if now - signed_in_at > settings.absolute_timeout.as_secs() as i64 {
        auth.logout().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    // Touch the session at most once a minute so the idle timeout counts from the last use
    // without a database write on every request.
    let seen_at: i64 = auth
        .session
        .get(SEEN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    if now - seen_at >= 60 {
        auth.session
            .insert(SEEN_AT, now)
            .await
            .map_err(session_error)?;
    }
    Ok(Some(user.actor))
}

fn refuse_anonymous(method: &Method, path: &str, query: Option<&str>) -> Response {
    if path.starts_with("/api/v1") {
        return AppError::sign_in_required().into_response();
    }
    if path.starts_with("/api/") {
        // A server function: answer in its own error encoding.
        let body = serde_json::to_string(&AppError::sign_in_required()).unwrap_or_default();
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    if method == Method::GET || method == Method::HEAD {
        let target = match query {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };
        let next: String = url_encode(&target);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    AppError::sign_in_required().into_response()
}

/// Percent-encodes everything but unreserved characters.
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Refuses state-changing requests sent by another site (Leptos server functions do no
/// CSRF check of their own). Bearer-token calls carry no cookies and are not at risk.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && bearer(req.headers()).is_none() && is_cross_site(req.headers()) {
        return AppError::forbidden("Cross-site requests are refused.").into_response();
    }
    next.run(req).await
}

/// `Sec-Fetch-Site` when the browser sends it, else `Origin` against `Host`.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            origin == "null" || origin_host != host
        }
    }
}

/// Security headers on every response, and the Content-Security-Policy of each.
///
/// Every request gets its own script nonce here: the page renderer writes it on the page's
/// inline scripts (`provide_page_nonce`) and every HTML response gets the page policy naming
/// it, whatever rendered the page; everything else gets a policy that allows nothing. (The
/// policy used to be set by the shell while rendering, from two context look-ups that fell
/// back to the allow-nothing policy when either came back empty — a page that never hydrates.)
pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let page = is_html
        .then(|| HeaderValue::from_str(&page_policy(&nonce)).ok())
        .flatten();
    match page {
        Some(policy) => {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        None => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
            );
        }
    }
    res
}

/// Hands the request's nonce (made by `security_headers`) to the page renderer, so the
/// page's inline scripts carry the nonce its policy names. Given to every Leptos handler as
/// its additional context.
pub fn provide_page_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned())
    {
        provide_context(nonce);
    }
}

/// The page policy: scripts only from here or with this response's nonce, wasm allowed.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "flare.example")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "https://flare.example"),
            ("host", "flare.example")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "flare.example")
        ])));
        assert!(!is_cross_site(&headers(&[])));
    }

    #[test]
    fn public_paths_are_few() {
        for p in [
            "/login",
            "/healthz",
            "/readyz",
            "/pkg/flare.wasm",
            "/favicon.svg",
            "/calendar/abc_DEF-123.ics",
        ] {
            assert!(is_public(p), "{p}");
        }
        for p in [
            "/",
            "/launches/1",
            "/api/v1/me",
            "/api/create_launch",
            "/loginx",
            "/audit",
            "/calendar",
            "/calendar/.ics",
            "/calendar/a/b.ics",
            "/calendar/abc",
            "/api/v1/me/calendar",
        ] {
            assert!(!is_public(p), "{p}");
        }
    }

    #[test]
    fn next_urls_are_encoded() {
        assert_eq!(
            url_encode("/launches/1?x=a b&y"),
            "/launches/1%3Fx%3Da%20b%26y"
        );
    }
}
