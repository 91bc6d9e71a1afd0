//! `/api/v1/reviews` and `/api/v1/adjustments`: quarterly governance reviews, their
//! adjustments, sign-off and Markdown export (`GET /api/v1/reviews/{id}.md`).

use super::model::{Adjustment, Review};
use super::service::{self, ReviewChange};
use crate::error::AppError;
use crate::rest::{ApiCaller, ErrorBody, JsonBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reviews, open_review))
        .routes(routes!(get_review, patch_review))
        .routes(routes!(propose_adjustment))
        .routes(routes!(adopt_adjustment))
        .routes(routes!(sign_off_review))
}

/// Every review, the latest quarter first. Anyone signed in.
#[utoipa::path(get, path = "/reviews", tag = "reviews", responses((status = 200, body = Vec<Review>)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<Review>>, AppError> {
    Ok(Json(
        service::list(&state.db.conn, &actor, Utc::now()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenReview {
    /// A quarter up to the current one: `2026-Q4`.
    pub period: String,
}

/// Opens the review of a quarter (facilitators), its figures computed over that quarter
/// (drills apart); with no data, `figures.no_data` is true and each figure null. A quarter
/// already reviewed is a 409 with its review.
#[utoipa::path(post, path = "/reviews", tag = "reviews", request_body = OpenReview,
    responses((status = 201, body = Review), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn open_review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    JsonBody(body): JsonBody<OpenReview>,
) -> Result<(StatusCode, Json<Review>), AppError> {
    let review = service::open(&state.db, &actor, &body.period, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(review)))
}

/// One review as JSON, or with `.md` after the id (`/reviews/3.md`) as Markdown: figures,
/// participants, findings and each adjustment with its change, reason and whether it was
/// adopted. Anyone signed in.
#[utoipa::path(get, path = "/reviews/{id}", tag = "reviews",
    params(("id" = String, Path, description = "The review id, or the id and `.md` for Markdown")),
    responses((status = 200, body = Review), (status = 200, content_type = "text/markdown", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn get_review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (number, markdown) = match id.strip_suffix(".md") {
        Some(n) => (n, true),
        None => (id.as_str(), false),
    };
    let id: i64 = number
        .parse()
        .map_err(|_| AppError::not_found(format!("Review {number} does not exist.")))?;
    let db = &state.db.conn;
    if !markdown {
        return Ok(Json(service::get(db, &actor, id, Utc::now()).await?).into_response());
    }
    let (review, text) = service::markdown(db, &actor, id, Utc::now()).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "inline; filename=\"governance-review-{}.md\"",
                    review.period
                ),
            ),
        ],
        text,
    )
        .into_response())
}

/// Writes `participants` (user ids) and `findings` (Markdown) of an open review; an optional
/// `version` must be current. Facilitators; 409 once signed off.
#[utoipa::path(patch, path = "/reviews/{id}", tag = "reviews", request_body = ReviewChange,
    params(("id" = i64, Path, description = "The review")),
    responses((status = 200, body = Review), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(change): JsonBody<ReviewChange>,
) -> Result<Json<Review>, AppError> {
    Ok(Json(
        service::patch(&state.db, &actor, id, &change, Utc::now()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ProposeAdjustment {
    /// `runbook` (also `raci_template`, `criteria_template`, `cadence`).
    pub kind: String,
    /// For `runbook`: `{tier, acknowledge_minutes?, update_minutes?, decide_minutes?,
    /// notify_executives?, steps?}`.
    #[schema(value_type = Object)]
    pub change: serde_json::Value,
    pub reason: String,
}

/// Proposes an adjustment (facilitators), against the current state of what it changes.
#[utoipa::path(post, path = "/reviews/{id}/adjustments", tag = "reviews", request_body = ProposeAdjustment,
    params(("id" = i64, Path, description = "The review")),
    responses((status = 201, body = Adjustment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose_adjustment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ProposeAdjustment>,
) -> Result<(StatusCode, Json<Adjustment>), AppError> {
    let adjustment = service::propose(
        &state.db,
        &actor,
        id,
        &body.kind,
        &body.change,
        &body.reason,
        Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(adjustment)))
}

/// Adopts an adjustment (facilitators): a runbook change becomes a new runbook version whose
/// reason names the review. 409 with the current state when what it changes moved since.
#[utoipa::path(post, path = "/adjustments/{id}/adopt", tag = "reviews",
    params(("id" = i64, Path, description = "The adjustment")),
    responses((status = 200, body = Adjustment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn adopt_adjustment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Adjustment>, AppError> {
    Ok(Json(
        service::adopt(&state.db, &actor, id, Utc::now()).await?,
    ))
}

/// Signs the review off: an executive only (403 for anyone else); read-only from then on.
#[utoipa::path(post, path = "/reviews/{id}/sign-off", tag = "reviews",
    params(("id" = i64, Path, description = "The review")),
    responses((status = 200, body = Review), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn sign_off_review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Review>, AppError> {
    Ok(Json(
        service::sign_off(&state.db, &actor, id, Utc::now()).await?,
    ))
}
