//! `/api/v1/launches/{id}/dashboard`: a launch's figures for integrations and wall screens.

use super::model::Dashboard;
use super::service;
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_dashboard))
}

/// Readiness with its reasons, defects (open by tier and trigger, the last 14 days), time to
/// fix by tier, customer impact and criteria. Drills never count. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/dashboard", tag = "measure",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Dashboard), (status = 404, body = ErrorBody)))]
pub async fn get_dashboard(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Dashboard>, AppError> {
    Ok(Json(
        service::launch_dashboard(&state.db.conn, &actor, LaunchId(id), chrono::Utc::now()).await?,
    ))
}
