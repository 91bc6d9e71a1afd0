//! `/api/v1/runbook`: read and version the runbook.

use super::model::Runbook;
use crate::error::AppError;
use crate::rest::{ApiCaller, ErrorBody, JsonBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_runbook, put_runbook))
}

/// The current runbook: per tier, acknowledge / update / decide windows in minutes and
/// whether executives are notified. Anyone signed in.
#[utoipa::path(get, path = "/runbook", tag = "runbook", responses((status = 200, body = Runbook)))]
pub async fn get_runbook(
    State(state): State<AppState>,
    _caller: ApiCaller,
) -> Result<Json<Runbook>, AppError> {
    Ok(Json(super::service::current(&state.db.conn).await?))
}

/// Saves a new version; `version` must be the current one (else 409). Facilitators and admins.
#[utoipa::path(put, path = "/runbook", tag = "runbook", request_body = Runbook,
    responses((status = 200, body = Runbook), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn put_runbook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    JsonBody(book): JsonBody<Runbook>,
) -> Result<Json<Runbook>, AppError> {
    Ok(Json(super::service::save(&state.db, &actor, &book).await?))
}
