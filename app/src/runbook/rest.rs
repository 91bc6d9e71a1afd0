//! `/api/v1/runbook`: read and version runbooks (the default one and pilot launches' own),
//! their history, and an escalation's checklist of runbook steps.

use super::model::{Runbook, Step, VersionEntry};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_runbook, put_runbook))
        .routes(routes!(list_versions))
        .routes(routes!(get_version))
        .routes(routes!(get_steps))
        .routes(routes!(tick_step))
}

/// Whose runbook: a launch's (its own if it has one, else the default).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RunbookQuery {
    pub launch_id: Option<i64>,
}

/// The current runbook: per tier, acknowledge / update / decide windows in minutes, whether
/// executives are notified and the escalation steps; with `launch_id`, the one that launch
/// runs on. Anyone signed in.
#[utoipa::path(get, path = "/runbook", tag = "runbook", params(RunbookQuery),
    responses((status = 200, body = Runbook), (status = 404, body = ErrorBody)))]
pub async fn get_runbook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Query(query): Query<RunbookQuery>,
) -> Result<Json<Runbook>, AppError> {
    let db = &state.db.conn;
    Ok(Json(match query.launch_id.map(LaunchId) {
        Some(id) => {
            crate::launch::service::get(db, &actor, id).await?;
            super::service::for_launch(db, id).await?
        }
        None => super::service::current(db).await?,
    }))
}

/// Saves a new version with its `reason`; `version` must be the current one (else 409).
/// With `launch_id`, a version of that launch's own runbook (a pilot's). Facilitators and
/// admins.
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

/// Every version, newest first, down to version 1, the built-in defaults (`author: null`).
/// Anyone signed in.
#[utoipa::path(get, path = "/runbook/versions", tag = "runbook",
    responses((status = 200, body = Vec<VersionEntry>)))]
pub async fn list_versions(
    State(state): State<AppState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<VersionEntry>>, AppError> {
    Ok(Json(super::service::history(&state.db.conn).await?))
}

/// One whole version. Anyone signed in.
#[utoipa::path(get, path = "/runbook/versions/{n}", tag = "runbook",
    params(("n" = i64, Path, description = "The version number")),
    responses((status = 200, body = Runbook), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(state): State<AppState>,
    _caller: ApiCaller,
    Path(n): Path<i64>,
) -> Result<Json<Runbook>, AppError> {
    Ok(Json(super::service::version(&state.db.conn, n).await?))
}

/// An escalation's checklist: its tier's steps in the runbook version it was raised under,
/// with who ticked each and when. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/steps", tag = "runbook",
    params(("id" = i64, Path, description = "The escalation")),
    responses((status = 200, body = Vec<Step>), (status = 404, body = ErrorBody)))]
pub async fn get_steps(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Step>>, AppError> {
    let db = &state.db.conn;
    let esc = crate::escalation::service::get(db, &actor, EscalationId(id)).await?;
    Ok(Json(super::service::steps::checklist(db, &esc).await?))
}

/// Ticking a step: done or not.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TickRequest {
    pub done: bool,
}

/// Ticks (`done: true`) or unticks step `n` (from 1) of an escalation's checklist; an event
/// records it. Its owner, or a facilitator; 409 once it is closed.
#[utoipa::path(put, path = "/escalations/{id}/steps/{n}", tag = "runbook", request_body = TickRequest,
    params(("id" = i64, Path, description = "The escalation"), ("n" = i64, Path, description = "The step, from 1")),
    responses((status = 200, body = Vec<Step>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tick_step(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, n)): Path<(i64, i64)>,
    JsonBody(tick): JsonBody<TickRequest>,
) -> Result<Json<Vec<Step>>, AppError> {
    Ok(Json(
        super::service::steps::tick(&state.db, &actor, EscalationId(id), n - 1, tick.done).await?,
    ))
}
