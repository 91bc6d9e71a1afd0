//! `/api/v1/launches/{id}/criteria`, `/api/v1/criteria/{id}` and
//! `/api/v1/launches/{id}/metrics`: success criteria and the metric feed for integrations.

use super::model::{Criterion, CriterionDraft, CriterionId, MetricSample, Recorded, SamplesDraft};
use super::{feed, service};
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path, Query};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_criteria, create_criterion))
        .routes(routes!(patch_criterion, retire_criterion))
        .routes(routes!(list_metrics, record_metrics))
}

/// A launch's criteria in use, with `status` and `current` now. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/criteria", tag = "measure",
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 200, body = Vec<Criterion>), (status = 404, body = ErrorBody)))]
pub async fn list_criteria(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Criterion>>, AppError> {
    Ok(Json(
        service::list(&state.db.conn, &actor, LaunchId(id), Utc::now()).await?,
    ))
}

/// Adds a success criterion. Facilitators and admins.
#[utoipa::path(post, path = "/launches/{id}/criteria", tag = "measure", request_body = CriterionDraft,
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 201, body = Criterion), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_criterion(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<CriterionDraft>,
) -> Result<(StatusCode, Json<Criterion>), AppError> {
    let criterion = service::create(&state.db, &actor, LaunchId(id), &draft).await?;
    Ok((StatusCode::CREATED, Json(criterion)))
}

/// Changes the fields sent; `version` is required (409 with the current criterion when
/// stale). Facilitators and admins.
#[utoipa::path(patch, path = "/criteria/{id}", tag = "measure", request_body = CriterionDraft,
    params(("id" = i64, Path, description = "Criterion id")),
    responses((status = 200, body = Criterion), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn patch_criterion(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<CriterionDraft>,
) -> Result<Json<Criterion>, AppError> {
    Ok(Json(
        service::update(&state.db, &actor, CriterionId(id), &draft).await?,
    ))
}

/// Retires a criterion: no longer listed or evaluated. Facilitators and admins.
#[utoipa::path(delete, path = "/criteria/{id}", tag = "measure",
    params(("id" = i64, Path, description = "Criterion id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn retire_criterion(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    service::retire(&state.db, &actor, CriterionId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The most samples one read returns; read on from the last `at` for more.
const MAX_READ: u64 = 10_000;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct MetricsQuery {
    /// Only this metric (built-in metrics included).
    pub metric: Option<String>,
    /// From this instant (RFC 3339, inclusive); defaults to 24 hours ago.
    pub since: Option<String>,
}

/// A launch's samples from `since`, oldest first: at most 10,000; to read on, ask again
/// from the last `at`. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/metrics", tag = "measure",
    params(("id" = i64, Path, description = "Launch id"), MetricsQuery),
    responses((status = 200, body = Vec<MetricSample>), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list_metrics(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<Vec<MetricSample>>, AppError> {
    let since = match query
        .since
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Utc::now() - Duration::hours(24),
        Some(raw) => DateTime::parse_from_rfc3339(raw)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| {
                AppError::invalid_field(
                    "since",
                    "must be a date and time such as 2026-12-01T17:00:00Z",
                )
            })?,
    };
    let metric = query
        .metric
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    Ok(Json(
        super::series::samples(
            &state.db.conn,
            &actor,
            LaunchId(id),
            metric,
            since,
            MAX_READ,
        )
        .await?,
    ))
}

/// Feeds 1–1,000 samples (`at` defaults to now, at most a day ahead). Every criterion on
/// their metrics is evaluated before the answer, so an escalation a breach raised already
/// exists; `breaches` names the criteria these samples put in breach. Members and above.
#[utoipa::path(post, path = "/launches/{id}/metrics", tag = "measure", request_body = SamplesDraft,
    params(("id" = i64, Path, description = "Launch id")),
    responses((status = 202, body = Recorded), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_metrics(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<SamplesDraft>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    let recorded = feed::record(&state.db, &actor, LaunchId(id), &body, Utc::now()).await?;
    Ok((StatusCode::ACCEPTED, Json(recorded)))
}
