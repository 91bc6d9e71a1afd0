//! Server functions for launches: thin wrappers over `service`.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

use super::model::{Launch, LaunchDraft, LaunchHealth, LaunchId};
use crate::error::AppError;
use leptos::prelude::*;

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// Parses an optional person picker's value.
pub fn person_id(field: &str, value: Option<String>) -> Result<Option<i64>, AppError> {
    match blank_to_none(value) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid_field(field, "is not a user")),
    }
}

/// Every launch with its health counts. Anyone signed in.
#[server(endpoint = "launch/launches_with_health")]
pub async fn launches_with_health() -> Result<Vec<LaunchHealth>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::health(&state.db.conn, &actor).await
}

/// One launch. Anyone signed in.
#[server(endpoint = "launch/get_launch")]
pub async fn get_launch(id: LaunchId) -> Result<Launch, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::get(&state.db.conn, &actor, id).await
}

/// The launch form's fields as a draft.
pub fn draft(
    name: Option<String>,
    target_date: Option<String>,
    description: Option<String>,
    status: Option<String>,
    sponsor_id: Option<String>,
    lead_id: Option<String>,
) -> Result<LaunchDraft, AppError> {
    Ok(LaunchDraft {
        name,
        target_date,
        description,
        status: blank_to_none(status),
        sponsor_id: person_id("sponsor_id", sponsor_id)?,
        lead_id: person_id("lead_id", lead_id)?,
    })
}

/// Creates a launch and opens its page. Facilitators and admins.
#[server(endpoint = "launch/create_launch")]
pub async fn create_launch(
    name: Option<String>,
    target_date: Option<String>,
    description: Option<String>,
    sponsor_id: Option<String>,
    lead_id: Option<String>,
) -> Result<Launch, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = draft(name, target_date, description, None, sponsor_id, lead_id)?;
    let launch = super::service::create(&state.db, &actor, &draft).await?;
    leptos_axum::redirect(&format!("/launches/{}", launch.id));
    Ok(launch)
}

/// Edits a launch (name, date, description, status, sponsor, lead). Facilitators and admins.
#[server(endpoint = "launch/update_launch")]
pub async fn update_launch(
    id: LaunchId,
    version: i64,
    name: Option<String>,
    target_date: Option<String>,
    description: Option<String>,
    status: Option<String>,
    sponsor_id: Option<String>,
    lead_id: Option<String>,
) -> Result<Launch, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = draft(name, target_date, description, status, sponsor_id, lead_id)?;
    super::service::update(&state.db, &actor, id, version, &draft).await
}

/// The members granted authority for a launch. Anyone signed in.
#[server(endpoint = "launch/launch_authority")]
pub async fn launch_authority(id: LaunchId) -> Result<Vec<crate::auth::Person>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::authority(&state.db.conn, &actor, id).await
}

/// Grants or withdraws one member's authority for a launch. Facilitators and admins.
#[server(endpoint = "launch/set_member_authority")]
pub async fn set_member_authority(
    id: LaunchId,
    user_id: i64,
    grant: bool,
) -> Result<Vec<crate::auth::Person>, AppError> {
    let (state, actor) = crate::state::request()?;
    let mut ids: Vec<i64> = super::service::authority(&state.db.conn, &actor, id)
        .await?
        .into_iter()
        .map(|p| p.id.0)
        .filter(|p| *p != user_id)
        .collect();
    if grant {
        ids.push(user_id);
    }
    super::service::set_authority(&state.db, &actor, id, &ids).await
}
