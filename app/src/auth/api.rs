//! Server functions for the signed-in user and for administering users and tokens.

use super::model::{User, UserId};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Every user (for pickers and the admin page). Anyone signed in.
#[server(endpoint = "auth/list_users")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::list_users(&state.db.conn, &actor).await
}

/// Creates a user. Admins.
#[server(endpoint = "auth/create_user")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    functional_area: String,
    password: String,
) -> Result<User, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = super::model::UserDraft {
        email: Some(email),
        name: Some(name),
        role: Some(role),
        functional_area: Some(functional_area),
        password: Some(password),
    };
    super::service::create_user(&state.db, &actor, &draft).await
}

/// Changes a user's role and whether they may sign in. Admins; not on themselves.
#[server(endpoint = "auth/update_user")]
pub async fn update_user(id: i64, role: String, active: Option<String>) -> Result<User, AppError> {
    let (state, actor) = crate::state::request()?;
    let role = super::model::Role::parse(&role)
        .ok_or_else(|| AppError::invalid_field("role", "is not a role"))?;
    let active = active.as_deref() == Some("true");
    super::service::administer_user(&state.db, &actor, UserId(id), Some(role), Some(active)).await
}

/// A token as listed on the admin page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: UserId,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked: bool,
}

/// Every API token (never their secrets). Admins.
#[server(endpoint = "auth/list_tokens")]
pub async fn list_tokens() -> Result<Vec<TokenRow>, AppError> {
    let (state, actor) = crate::state::request()?;
    Ok(super::service::list_tokens(&state.db.conn, &actor)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            user_id: t.user_id,
            label: t.label,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// Issues a token acting as a user; returns the secret, shown once. Admins.
#[server(endpoint = "auth/create_token")]
pub async fn create_token(user_id: i64, label: String) -> Result<String, AppError> {
    let (state, actor) = crate::state::request()?;
    let issued = super::service::create_token(&state.db, &actor, UserId(user_id), &label).await?;
    Ok(issued.secret)
}

/// Revokes a token. Admins.
#[server(endpoint = "auth/revoke_token")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(super::model::Permission::Administer)?;
    super::service::revoke_token(&state.db, &(&actor).into(), id).await?;
    Ok(())
}

/// Changes the caller's own password; their other sessions end, this one stays. Anyone
/// signed in.
#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::service::backend::{AuthSession, SessionUser};
    let (state, actor) = crate::state::request()?;
    let model =
        super::service::change_password(&state.db, &actor, current_password, new_password).await?;
    let mut auth: AuthSession = leptos_axum::extract().await.map_err(AppError::internal)?;
    if auth.user.is_some() {
        auth.login(&SessionUser::new(&model)?)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(())
}
