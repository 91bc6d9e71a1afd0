//! `/api/v1/escalations/{id}/postmortem` (and `/submit`, `/approve`, `/addenda`, `.md`) and
//! `/api/v1/postmortems`.

use super::model::{PostMortem, PostMortemDraft, PostMortemSummary};
use super::service;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path, Query};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_postmortem, put_postmortem))
        .routes(routes!(submit_postmortem))
        .routes(routes!(approve_postmortem))
        .routes(routes!(add_addendum))
        .routes(routes!(postmortem_markdown))
        .routes(routes!(list_postmortems))
}

/// The escalation's post-mortem: the saved one, or an empty draft (`version: 0`) with the
/// computed times and the timeline. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/postmortem", tag = "postmortems",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = PostMortem), (status = 404, body = ErrorBody)))]
pub async fn get_postmortem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<PostMortem>, AppError> {
    Ok(Json(
        service::get(&state.db.conn, &actor, EscalationId(id)).await?,
    ))
}

/// Saves a draft: every field optional, only the sections sent change; remediation items
/// without `id` become action items. With `version`, a section someone else saved since then
/// gets 409 with the current post-mortem. The first save needs the escalation Resolved; a
/// published post-mortem is read-only (409). Members, facilitators, admins (timeline marks:
/// facilitators).
#[utoipa::path(put, path = "/escalations/{id}/postmortem", tag = "postmortems", request_body = PostMortemDraft,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = PostMortem), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_postmortem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<PostMortemDraft>,
) -> Result<Json<PostMortem>, AppError> {
    Ok(Json(
        service::save(&state.db, &actor, EscalationId(id), &draft).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SubmitRequest {
    pub reviewer_ids: Option<Vec<i64>>,
}

/// Sends the post-mortem to named reviewers; 422 names each required section still empty.
#[utoipa::path(post, path = "/escalations/{id}/postmortem/submit", tag = "postmortems", request_body = SubmitRequest,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = PostMortem), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_postmortem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(request): JsonBody<SubmitRequest>,
) -> Result<Json<PostMortem>, AppError> {
    let reviewers = request.reviewer_ids.unwrap_or_default();
    Ok(Json(
        service::submit(&state.db, &actor, EscalationId(id), &reviewers).await?,
    ))
}

/// A named reviewer approves; when all have, the post-mortem is published and read-only.
#[utoipa::path(post, path = "/escalations/{id}/postmortem/approve", tag = "postmortems",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = PostMortem), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve_postmortem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<PostMortem>, AppError> {
    Ok(Json(
        service::approve(&state.db, &actor, EscalationId(id)).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AddendumRequest {
    pub text: Option<String>,
}

/// Adds a later correction to a published post-mortem → 201.
#[utoipa::path(post, path = "/escalations/{id}/postmortem/addenda", tag = "postmortems", request_body = AddendumRequest,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 201, body = PostMortem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_addendum(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(request): JsonBody<AddendumRequest>,
) -> Result<(StatusCode, Json<PostMortem>), AppError> {
    let pm =
        service::add_addendum(&state.db, &actor, EscalationId(id), request.text.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(pm)))
}

/// The post-mortem as Markdown: every section, the timeline and the remediation table.
#[utoipa::path(get, path = "/escalations/{id}/postmortem.md", tag = "postmortems",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 404, body = ErrorBody)))]
pub async fn postmortem_markdown(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    let body = service::markdown(&state.db.conn, &actor, EscalationId(id)).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"postmortem-{id}.md\""),
            ),
        ],
        body,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct IndexQuery {
    /// Only this launch's post-mortems.
    pub launch_id: Option<i64>,
}

/// Every post-mortem (or one launch's): status, tier, open and overdue remediation items,
/// overdue first. Anyone signed in.
#[utoipa::path(get, path = "/postmortems", tag = "postmortems", params(IndexQuery),
    responses((status = 200, body = Vec<PostMortemSummary>)))]
pub async fn list_postmortems(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Query(query): Query<IndexQuery>,
) -> Result<Json<Vec<PostMortemSummary>>, AppError> {
    Ok(Json(
        service::index(&state.db.conn, &actor, query.launch_id.map(LaunchId)).await?,
    ))
}
