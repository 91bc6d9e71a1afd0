//! `/api/v1/escalations/{id}/actions` and `/api/v1/actions/{id}`.

use super::model::{ActionDraft, ActionItem, ActionPatch};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_actions, create_action))
        .routes(routes!(patch_action))
}

/// The escalation's action items, overdue first. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/actions", tag = "actions",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Vec<ActionItem>), (status = 404, body = ErrorBody)))]
pub async fn list_actions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ActionItem>>, AppError> {
    crate::entity::escalation::find_existing(&state.db.conn, EscalationId(id)).await?;
    Ok(Json(
        super::service::for_escalation(&state.db.conn, &actor, EscalationId(id)).await?,
    ))
}

/// Adds an action item (title, owner, due instant). Members, facilitators, admins.
#[utoipa::path(post, path = "/escalations/{id}/actions", tag = "actions", request_body = ActionDraft,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 201, body = ActionItem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_action(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<ActionDraft>,
) -> Result<(StatusCode, Json<ActionItem>), AppError> {
    let item = super::service::create(&state.db, &actor, EscalationId(id), &draft).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Marks an item done or not; `version` is required (409 if stale). Members, facilitators, admins.
#[utoipa::path(patch, path = "/actions/{id}", tag = "actions", request_body = ActionPatch,
    params(("id" = i64, Path, description = "Action item id")),
    responses((status = 200, body = ActionItem), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_action(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(patch): JsonBody<ActionPatch>,
) -> Result<Json<ActionItem>, AppError> {
    Ok(Json(
        super::service::set_done(&state.db, &actor, id, &patch).await?,
    ))
}
