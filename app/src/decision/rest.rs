//! `/api/v1/escalations/{id}/decisions` (append-only) and `/api/v1/decision-requests`.

use super::model::{Decision, DecisionDraft, DecisionRequest, Meeting, MeetingDraft};
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
        .routes(routes!(list_decisions, record_decision))
        .routes(routes!(
            get_decision,
            put_decision,
            patch_decision,
            delete_decision
        ))
        .routes(routes!(list_requests))
        .routes(routes!(call_meeting))
}

/// The escalation's decision log, oldest first. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/decisions", tag = "decisions",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Vec<Decision>), (status = 404, body = ErrorBody)))]
pub async fn list_decisions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Decision>>, AppError> {
    crate::entity::escalation::find_existing(&state.db.conn, EscalationId(id)).await?;
    Ok(Json(
        super::service::for_escalation(&state.db.conn, &actor, EscalationId(id))
            .await?
            .1,
    ))
}

/// Records a decision: it answers the open request and the escalation returns to
/// `mitigating`. People with authority for the launch, and executives; others get 403.
#[utoipa::path(post, path = "/escalations/{id}/decisions", tag = "decisions", request_body = DecisionDraft,
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 201, body = Decision), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<DecisionDraft>,
) -> Result<(StatusCode, Json<Decision>), AppError> {
    let decision = super::service::record(&state.db, &actor, EscalationId(id), &draft).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

/// One entry of the decision log. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/decisions/{decision_id}", tag = "decisions",
    params(("id" = i64, Path, description = "Escalation id"), ("decision_id" = i64, Path, description = "Decision id")),
    responses((status = 200, body = Decision), (status = 404, body = ErrorBody)))]
pub async fn get_decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, decision)): Path<(i64, i64)>,
) -> Result<Json<Decision>, AppError> {
    Ok(Json(
        super::service::get(&state.db.conn, &actor, EscalationId(id), decision).await?,
    ))
}

fn never_edited() -> AppError {
    AppError::MethodNotAllowed {
        message:
            "Decisions are never changed. Record a new decision with corrects_id to correct one."
                .into(),
    }
}

/// Decisions are append-only: always 405.
#[utoipa::path(put, path = "/escalations/{id}/decisions/{decision_id}", tag = "decisions",
    params(("id" = i64, Path, description = "Escalation id"), ("decision_id" = i64, Path, description = "Decision id")),
    responses((status = 405, body = ErrorBody)))]
pub async fn put_decision(_caller: ApiCaller) -> AppError {
    never_edited()
}

/// Decisions are append-only: always 405.
#[utoipa::path(patch, path = "/escalations/{id}/decisions/{decision_id}", tag = "decisions",
    params(("id" = i64, Path, description = "Escalation id"), ("decision_id" = i64, Path, description = "Decision id")),
    responses((status = 405, body = ErrorBody)))]
pub async fn patch_decision(_caller: ApiCaller) -> AppError {
    never_edited()
}

/// Decisions are append-only: always 405.
#[utoipa::path(delete, path = "/escalations/{id}/decisions/{decision_id}", tag = "decisions",
    params(("id" = i64, Path, description = "Escalation id"), ("decision_id" = i64, Path, description = "Decision id")),
    responses((status = 405, body = ErrorBody)))]
pub async fn delete_decision(_caller: ApiCaller) -> AppError {
    never_edited()
}

/// Every open decision request, stalled first. Anyone signed in.
#[utoipa::path(get, path = "/decision-requests", tag = "decisions",
    responses((status = 200, body = Vec<DecisionRequest>)))]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<DecisionRequest>>, AppError> {
    Ok(Json(
        super::service::open_requests(&state.db.conn, &actor).await?,
    ))
}

/// Calls an urgent meeting about a request: participants, a time, and an agenda generated
/// from the request unless given. The launch's escalation lead, facilitators, admins.
#[utoipa::path(post, path = "/decision-requests/{id}/meeting", tag = "decisions", request_body = MeetingDraft,
    params(("id" = i64, Path, description = "Decision request id")),
    responses((status = 201, body = Meeting), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn call_meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<MeetingDraft>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    let meeting = super::service::call_meeting(&state.db, &actor, id, &draft).await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}
