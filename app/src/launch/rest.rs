//! `/api/v1/launches`: the launch endpoints for integrations.

use super::model::{Launch, LaunchDraft, LaunchId};
use super::service;
use crate::error::AppError;
use crate::rest::{ApiCaller, JsonBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_launches, create_launch))
        .routes(routes!(get_launch))
        .routes(routes!(get_authority, put_authority))
}

/// The members granted authority to commit resources for the launch (facilitators,
/// executives and admins always hold it). Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/authority", tag = "launches",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Vec<crate::auth::Person>), (status = 404, body = crate::rest::ErrorBody)))]
pub async fn get_authority(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<crate::auth::Person>>, AppError> {
    Ok(Json(
        service::authority(&state.db.conn, &actor, LaunchId(id)).await?,
    ))
}

/// Replaces the list of members granted authority. Facilitators and admins.
#[utoipa::path(put, path = "/launches/{id}/authority", tag = "launches", request_body = super::model::AuthorityList,
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Vec<crate::auth::Person>), (status = 403, body = crate::rest::ErrorBody),
              (status = 422, body = crate::rest::ErrorBody)))]
pub async fn put_authority(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(list): JsonBody<super::model::AuthorityList>,
) -> Result<Json<Vec<crate::auth::Person>>, AppError> {
    Ok(Json(
        service::set_authority(&state.db, &actor, LaunchId(id), &list.user_ids).await?,
    ))
}

/// Every launch, soonest target date first. Anyone signed in.
#[utoipa::path(get, path = "/launches", tag = "launches",
    responses((status = 200, body = Vec<Launch>), (status = 401, body = crate::rest::ErrorBody)))]
pub async fn list_launches(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<Launch>>, AppError> {
    Ok(Json(service::list(&state.db.conn, &actor).await?))
}

/// Creates a launch in `planning`. Facilitators and admins.
#[utoipa::path(post, path = "/launches", tag = "launches", request_body = LaunchDraft,
    responses((status = 201, body = Launch), (status = 403, body = crate::rest::ErrorBody),
              (status = 422, body = crate::rest::ErrorBody)))]
pub async fn create_launch(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    JsonBody(draft): JsonBody<LaunchDraft>,
) -> Result<(StatusCode, Json<Launch>), AppError> {
    let launch = service::create(&state.db, &actor, &draft).await?;
    Ok((StatusCode::CREATED, Json(launch)))
}

/// One launch. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}", tag = "launches",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Launch), (status = 404, body = crate::rest::ErrorBody)))]
pub async fn get_launch(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Launch>, AppError> {
    Ok(Json(
        service::get(&state.db.conn, &actor, LaunchId(id)).await?,
    ))
}
