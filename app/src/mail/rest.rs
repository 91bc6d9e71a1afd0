//! `/api/v1/me/notifications`: the caller reads and changes what Flare mails them.

use super::model::{EmailChoicesRequest, EmailSettings};
use crate::error::AppError;
use crate::rest::{ApiCaller, ErrorBody, JsonBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_email_choices, put_email_choices))
}

/// The caller's email choices, where mail goes, and whether this Flare sends mail at all
/// (`sending`: the operator set `FLARE_SMTP_URL`).
#[utoipa::path(get, path = "/me/notifications", tag = "notifications",
    responses((status = 200, body = EmailSettings), (status = 401, body = ErrorBody)))]
pub async fn get_email_choices(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<EmailSettings>, AppError> {
    Ok(Json(
        super::service::settings(&state.db, &actor, state.mail_sending).await?,
    ))
}

/// Changes the caller's email choices; a choice left out of the body stays as it is. An
/// unknown field is refused (422 naming it), so a misspelt choice never passes silently.
#[utoipa::path(put, path = "/me/notifications", tag = "notifications", request_body = EmailChoicesRequest,
    responses((status = 200, body = EmailSettings), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn put_email_choices(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    JsonBody(change): JsonBody<EmailChoicesRequest>,
) -> Result<Json<EmailSettings>, AppError> {
    Ok(Json(
        super::service::save(&state.db, &actor, state.mail_sending, &change).await?,
    ))
}
