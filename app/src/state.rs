//! Server state shared by every request, the caller the request guard resolved, and how
//! server functions reach both.
//!
//! The guard (`auth::service::guard`) fills these in; this module names them and imports
//! nothing from it, so the dependency runs one way.

use crate::auth::model::Actor;
use crate::db::Db;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;
use std::time::Duration;

/// Everything a request may need, provided once to the router and to server functions.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos: LeptosOptions,
    pub auth: AuthSettings,
    pub hub: crate::realtime::service::Hub,
    /// Outbound webhooks' settings.
    pub outbound: crate::webhook::service::Outbound,
    /// Whether mail is sent (the operator set `FLARE_SMTP_URL`).
    pub mail_sending: bool,
}

/// Session lifetimes and cookie security.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute_timeout: Duration,
    /// Mark cookies `Secure` (when served over https).
    pub secure_cookies: bool,
    /// The header a trusted reverse proxy puts the client's address in; `None` uses the
    /// socket peer's address (see `throttle::client_address`).
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(8 * 3600),
            absolute_timeout: Duration::from_secs(7 * 24 * 3600),
            secure_cookies: false,
            trusted_proxy_header: None,
        }
    }
}

/// Who is calling, as resolved by `resolve_caller`; `None` for anonymous callers of the few
/// public paths.
#[derive(Clone, Debug)]
pub struct Caller(pub Option<Actor>);

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The state, inside a server function or while rendering.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// The caller, if signed in, inside a server function or while rendering.
pub fn caller() -> Option<Actor> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned())
        .and_then(|caller| caller.0)
}

/// The signed-in caller, or 401.
pub fn acting_user() -> Result<Actor, AppError> {
    caller().ok_or_else(AppError::sign_in_required)
}

/// State and caller together: what most server functions start with.
pub fn request() -> Result<(AppState, Actor), AppError> {
    Ok((app_state()?, acting_user()?))
}
