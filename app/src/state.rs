//! Server state shared by every request, and how server functions reach it.

use crate::auth::model::Actor;
use crate::auth::service::guard::{AuthSettings, Caller};
use crate::db::Db;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;

/// Everything a request may need, provided once to the router and to server functions.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos: LeptosOptions,
    pub auth: AuthSettings,
    pub hub: crate::realtime::service::Hub,
}

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
