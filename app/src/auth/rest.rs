//! The auth feature's HTTP handlers: `GET /api/v1/me`, and the sign-in and sign-out form
//! posts (plain HTML forms, so they work with JavaScript off and reload the whole page).

use super::model::Actor;
use super::service::backend::{AuthSession, SessionUser};
use super::service::guard::{SIGNED_IN_AT, url_encode};
use crate::error::AppError;
use crate::rest::{ApiCaller, ErrorBody};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Form, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Json, Router, routing::post};
use serde::Deserialize;
use std::net::SocketAddr;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// The caller: `{id, email, name, role}`. Anyone signed in.
#[utoipa::path(get, path = "/me", tag = "auth",
    responses((status = 200, body = Actor), (status = 401, body = ErrorBody)))]
pub async fn me(ApiCaller(actor): ApiCaller) -> Json<Actor> {
    Json(actor)
}

/// `POST /login` and `POST /logout`.
pub fn session_routes() -> Router<AppState> {
    Router::new()
        .route("/login", post(sign_in))
        .route("/logout", post(sign_out))
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// Only same-site paths: `next=//evil.example` must not redirect off-site.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n,
        _ => "/",
    }
}

/// The client's address, for throttling sign-in failures per account and address.
fn client_address(state: &AppState, parts: &Parts) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    super::service::throttle::client_address(
        &parts.headers,
        peer,
        state.auth.trusted_proxy_header.as_ref(),
    )
}

async fn sign_in(
    State(state): State<AppState>,
    mut auth: AuthSession,
    parts: Parts,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    let address = client_address(&state, &parts);
    let refused = |message: String| {
        Redirect::to(&format!(
            "/login?error={}&next={}",
            url_encode(&message),
            url_encode(&next)
        ))
        .into_response()
    };
    match super::service::authenticate(&state.db, &form.email, form.password, &address).await {
        Ok(user) => {
            let session_user = match SessionUser::new(&user) {
                Ok(session_user) => session_user,
                Err(err) => return err.into_response(),
            };
            if let Err(err) = auth.login(&session_user).await {
                return AppError::internal(format!("{err:?}")).into_response();
            }
            if let Err(err) = auth
                .session
                .insert(SIGNED_IN_AT, chrono::Utc::now().timestamp())
                .await
            {
                return AppError::internal(err).into_response();
            }
            tracing::info!(user.id = user.id, "signed in");
            Redirect::to(&next).into_response()
        }
        Err(AppError::Unauthenticated { message }) => refused(message),
        Err(other) => refused(other.to_string()),
    }
}

async fn sign_out(mut auth: AuthSession) -> Response {
    match auth.logout().await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(err) => AppError::internal(format!("{err:?}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/launches/3")), "/launches/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
