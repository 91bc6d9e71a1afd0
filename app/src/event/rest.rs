//! `/api/v1/escalations/{id}/timeline`: an escalation's events, oldest first.

use super::model::Event;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::rest::{ApiCaller, ErrorBody, Path};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(timeline))
}

/// The escalation's events, oldest first. Anyone signed in.
#[utoipa::path(get, path = "/escalations/{id}/timeline", tag = "escalations",
    params(("id" = i64, Path, description = "Escalation id")),
    responses((status = 200, body = Vec<Event>), (status = 404, body = ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Event>>, AppError> {
    let id = EscalationId(id);
    crate::entity::escalation::find_existing(&state.db.conn, id).await?;
    Ok(Json(
        super::service::for_escalation(&state.db.conn, &actor, id).await?,
    ))
}
