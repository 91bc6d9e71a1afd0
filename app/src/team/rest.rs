//! `/api/v1/launches/{id}/rotation` and `/api/v1/launches/{id}/team`.

use super::model::{Rotation, TeamView};
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_rotation, put_rotation))
        .routes(routes!(get_team))
}

/// The launch's rotation: period in days, when turns are counted from, and per functional
/// role the people in turn. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/rotation", tag = "team",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Rotation), (status = 404, body = ErrorBody)))]
pub async fn get_rotation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Rotation>, AppError> {
    actor.require(crate::auth::Permission::Read)?;
    Ok(Json(
        super::service::rotation(&state.db.conn, LaunchId(id)).await?,
    ))
}

/// Replaces the rotation; `version` must be the current one (else 409). Facilitators and
/// admins.
#[utoipa::path(put, path = "/launches/{id}/rotation", tag = "team", request_body = Rotation,
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_rotation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(rotation): JsonBody<Rotation>,
) -> Result<Json<TeamView>, AppError> {
    Ok(Json(
        super::service::save(&state.db, &actor, LaunchId(id), &rotation).await?,
    ))
}

/// Who is on duty now and who is next, per functional role, and when the turn changes.
/// Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/team", tag = "team",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = TeamView), (status = 404, body = ErrorBody)))]
pub async fn get_team(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<TeamView>, AppError> {
    Ok(Json(
        super::service::team(&state.db.conn, &actor, LaunchId(id), chrono::Utc::now()).await?,
    ))
}
