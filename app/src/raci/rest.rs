//! `/api/v1/launches/{id}/raci` (and `.csv`) and `/api/v1/escalations/{id}/raci`.

use super::model::{Raci, RaciDraft, Scope};
use super::service::{csv, get, save};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_launch_raci, put_launch_raci))
        .routes(routes!(launch_raci_csv))
        .routes(routes!(get_escalation_raci, put_escalation_raci))
}

/// The launch's RACI matrix (the default template until a facilitator saves one), with
/// its gaps and overlaps as `warnings`. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/raci", tag = "raci",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Raci), (status = 404, body = ErrorBody)))]
pub async fn get_launch_raci(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Raci>, AppError> {
    Ok(Json(
        get(&state.db.conn, &actor, Scope::Launch(LaunchId(id)))
            .await?
            .0,
    ))
}

/// Saves the launch's matrix in one transaction. Every activity needs exactly one A and at
/// least one R (else 422 naming each activity); a stale `version` gets 409 with the current
/// matrix; gaps and overlaps come back as `warnings`. Facilitators and admins.
#[utoipa::path(put, path = "/launches/{id}/raci", tag = "raci", request_body = RaciDraft,
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Raci), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_launch_raci(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<RaciDraft>,
) -> Result<Json<Raci>, AppError> {
    Ok(Json(
        save(&state.db, &actor, Scope::Launch(LaunchId(id)), &draft).await?,
    ))
}

/// The launch's matrix as CSV (columns named as people read them). Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/raci.csv", tag = "raci",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn launch_raci_csv(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    let body = csv(&state.db.conn, &actor, LaunchId(id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"raci-launch-{id}.csv\""),
            ),
        ],
        body,
    ))
}

/// The escalation's matrix: its own adjusted copy, or its launch's (`inherited: true`).
/// Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/raci", tag = "raci",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Raci), (status = 404, body = ErrorBody)))]
pub async fn get_escalation_raci(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Raci>, AppError> {
    Ok(Json(
        get(&state.db.conn, &actor, Scope::Escalation(EscalationId(id)))
            .await?
            .0,
    ))
}

/// Saves the escalation's own copy (the first save copies and adjusts the launch's; send
/// `version: 0`). Same rules as the launch's. Facilitators and admins.
#[utoipa::path(put, path = "/escalations/{id}/raci", tag = "raci", request_body = RaciDraft,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Raci), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_escalation_raci(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<RaciDraft>,
) -> Result<Json<Raci>, AppError> {
    Ok(Json(
        save(
            &state.db,
            &actor,
            Scope::Escalation(EscalationId(id)),
            &draft,
        )
        .await?,
    ))
}
