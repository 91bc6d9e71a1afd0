//! `/api/v1/webhooks`: admins add, list and remove webhooks and read their delivery logs.

use super::model::{CreatedWebhook, Delivery, Webhook, WebhookRequest};
use crate::error::AppError;
use crate::rest::{ApiCaller, ErrorBody, JsonBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(delete_webhook))
        .routes(routes!(webhook_deliveries))
        .routes(routes!(test_webhook))
}

/// Every webhook (admins).
#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<Webhook>), (status = 403, body = ErrorBody)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<Webhook>>, AppError> {
    Ok(Json(super::service::list(&state.db, &actor).await?))
}

/// Adds a webhook (admins): every matching event from now on is POSTed to `url`, signed
/// `X-Flare-Signature: sha256=<hex HMAC-SHA256 of the body>` with the `secret` returned
/// here (and only here). Private and loopback addresses are refused unless the operator
/// allows them.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookRequest,
    responses((status = 201, body = CreatedWebhook), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    JsonBody(req): JsonBody<WebhookRequest>,
) -> Result<(StatusCode, Json<CreatedWebhook>), AppError> {
    let created = super::service::create(&state.db, &actor, &state.outbound, &req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Removes a webhook and its delivery log (admins).
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    super::service::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A webhook's newest 100 delivery attempts, newest first, with status codes (admins).
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = Vec<Delivery>), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn webhook_deliveries(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Delivery>>, AppError> {
    Ok(Json(
        super::service::deliveries(&state.db, &actor, id).await?,
    ))
}

/// Sends a signed test message now and answers with the attempt as logged (admins).
#[utoipa::path(post, path = "/webhooks/{id}/test", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = Delivery), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn test_webhook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Delivery>, AppError> {
    Ok(Json(
        super::service::send_test(&state.db, &actor, &state.outbound, id).await?,
    ))
}
