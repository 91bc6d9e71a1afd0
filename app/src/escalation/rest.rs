//! `/api/v1/escalations`: raise, read, change and move escalations.

use super::model::{
    Escalation, EscalationDraft, EscalationId, EscalationPatch, MoveRequest, Stage,
};
use super::service;
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path, Query};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_escalations, create_escalation))
        .routes(routes!(get_escalation, patch_escalation))
        .routes(routes!(move_escalation))
        .routes(routes!(triage_escalation))
        .routes(routes!(set_workaround))
}

/// Triage in one step: tier, impact, an owner with authority and a deadline; the escalation
/// leaves Triggered. `version` is required. Members, facilitators, admins.
#[utoipa::path(post, path = "/escalations/{id}/triage", tag = "escalations", request_body = super::model::TriageRequest,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Escalation), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn triage_escalation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<super::model::TriageRequest>,
) -> Result<Json<Escalation>, AppError> {
    Ok(Json(
        service::triage(&state.db, &actor, EscalationId(id), &req).await?,
    ))
}

/// Sets a time-boxed workaround with its root-cause follow-up (an action item with owner and
/// due time). `version` is required. Members, facilitators, admins.
#[utoipa::path(put, path = "/escalations/{id}/workaround", tag = "escalations", request_body = super::model::WorkaroundRequest,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Escalation), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_workaround(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<super::model::WorkaroundRequest>,
) -> Result<Json<Escalation>, AppError> {
    Ok(Json(
        service::set_workaround(&state.db, &actor, EscalationId(id), &req).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this launch's escalations.
    pub launch_id: Option<i64>,
    /// Only escalations in this stage.
    pub stage: Option<String>,
}

/// Escalations, highest priority first. Anyone signed in.
#[utoipa::path(get, path = "/escalations", tag = "escalations", params(ListQuery),
    responses((status = 200, body = Vec<Escalation>), (status = 422, body = ErrorBody)))]
pub async fn list_escalations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<Escalation>>, AppError> {
    let stage = match query.stage.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Stage::parse(s).ok_or_else(|| AppError::invalid_field("stage", "is not a stage"))?,
        ),
    };
    let list = service::list(&state.db.conn, &actor, query.launch_id.map(LaunchId), stage).await?;
    Ok(Json(list))
}

/// Raises an escalation (`stage: "triggered"`, `version: 1`). Members, facilitators, admins.
#[utoipa::path(post, path = "/escalations", tag = "escalations", request_body = EscalationDraft,
    responses((status = 201, body = Escalation), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_escalation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    JsonBody(draft): JsonBody<EscalationDraft>,
) -> Result<(StatusCode, Json<Escalation>), AppError> {
    let escalation = service::create(&state.db, &actor, &draft).await?;
    Ok((StatusCode::CREATED, Json(escalation)))
}

/// One escalation with its owner and deadline. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}", tag = "escalations",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Escalation), (status = 404, body = ErrorBody)))]
pub async fn get_escalation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Escalation>, AppError> {
    Ok(Json(
        service::get(&state.db.conn, &actor, EscalationId(id)).await?,
    ))
}

/// Changes fields; `version` is required and a stale one gets 409 with the current state.
/// Members, facilitators, admins.
#[utoipa::path(patch, path = "/escalations/{id}", tag = "escalations", request_body = EscalationPatch,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Escalation), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn patch_escalation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(patch): JsonBody<EscalationPatch>,
) -> Result<Json<Escalation>, AppError> {
    Ok(Json(
        service::patch(&state.db, &actor, EscalationId(id), &patch).await?,
    ))
}

/// Moves to another stage (version + 1), or 409 with the current state if `version` is
/// stale. Closing needs a published post-mortem (tiers 1–2) or a `reason` (tiers 3–4).
/// Members, facilitators, admins.
#[utoipa::path(post, path = "/escalations/{id}/move", tag = "escalations", request_body = MoveRequest,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Escalation), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn move_escalation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<MoveRequest>,
) -> Result<Json<Escalation>, AppError> {
    Ok(Json(
        service::move_to(&state.db, &actor, EscalationId(id), &req).await?,
    ))
}
