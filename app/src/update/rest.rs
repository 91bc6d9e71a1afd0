//! `/api/v1/escalations/{id}/updates`.

use super::model::{Update, UpdateDraft};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_updates, post_update))
}

/// The escalation's stand-up updates, newest first. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/updates", tag = "updates",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Vec<Update>), (status = 404, body = ErrorBody)))]
pub async fn list_updates(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Update>>, AppError> {
    crate::entity::escalation::find_existing(&state.db.conn, EscalationId(id)).await?;
    Ok(Json(
        super::service::for_escalation(&state.db.conn, &actor, EscalationId(id)).await?,
    ))
}

/// Posts a stand-up update: problem, impact, mitigation, and optionally the decision
/// required — which opens a decision request (to the owner, or `address_to: "sponsor"`) and
/// moves the escalation to `awaiting_decision`. Members, facilitators, admins.
#[utoipa::path(post, path = "/escalations/{id}/updates", tag = "updates", request_body = UpdateDraft,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 201, body = Update), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn post_update(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<UpdateDraft>,
) -> Result<(StatusCode, Json<Update>), AppError> {
    let update = super::service::post(&state.db, &actor, EscalationId(id), &draft).await?;
    Ok((StatusCode::CREATED, Json(update)))
}
