//! `/api/v1/launches/{id}/cadences`, `/api/v1/launches/{id}/meetings`, `/api/v1/meetings/{id}`
//! and `/api/v1/me/calendar`, and the anonymous feed itself at `/calendar/{token}.ics`.

use super::model::{Cadence, CadenceDraft, CalendarFeed, Meeting, MinutesDraft};
use super::service::{self, feed};
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::rest::{ApiCaller, ErrorBody, JsonBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cadences, add_cadence))
        .routes(routes!(list_meetings))
        .routes(routes!(get_meeting, write_minutes))
        .routes(routes!(calendar_address, revoke_calendar))
}

/// A launch's cadences, each with its next meeting. Anyone signed in.
#[utoipa::path(get, path = "/launches/{id}/cadences", tag = "meetings",
    responses((status = 200, body = Vec<Cadence>), (status = 404, body = ErrorBody)))]
pub async fn list_cadences(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Cadence>>, AppError> {
    Ok(Json(
        service::cadences(&state.db.conn, &actor, LaunchId(id), Utc::now()).await?,
    ))
}

/// Sets up a recurring meeting for a launch (facilitators); its meetings over the next two
/// weeks are listed at once. An unknown time of day or time zone is a 422 naming the field.
#[utoipa::path(post, path = "/launches/{id}/cadences", tag = "meetings", request_body = CadenceDraft,
    responses((status = 201, body = Cadence), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_cadence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<CadenceDraft>,
) -> Result<(StatusCode, Json<Cadence>), AppError> {
    let cadence = service::add_cadence(&state.db, &actor, LaunchId(id), &draft, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(cadence)))
}

/// A launch's meetings: upcoming and in progress soonest first, then past ones newest first.
#[utoipa::path(get, path = "/launches/{id}/meetings", tag = "meetings",
    responses((status = 200, body = Vec<Meeting>), (status = 404, body = ErrorBody)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Meeting>>, AppError> {
    Ok(Json(
        service::meetings(&state.db.conn, &actor, LaunchId(id), Utc::now()).await?,
    ))
}

/// One meeting: its agenda (generated until it starts, then kept), minutes and the decisions
/// recorded in it.
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings",
    responses((status = 200, body = Meeting), (status = 404, body = ErrorBody)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        service::get(&state.db.conn, &actor, id, Utc::now()).await?,
    ))
}

/// Writes a meeting's minutes (people who work escalations); with `version`, 409 when someone
/// saved them since.
#[utoipa::path(patch, path = "/meetings/{id}", tag = "meetings", request_body = MinutesDraft,
    responses((status = 200, body = Meeting), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn write_minutes(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<MinutesDraft>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        service::write_minutes(&state.db, &actor, id, &draft, Utc::now()).await?,
    ))
}

/// The caller's secret iCalendar feed address (made on first asking). Anyone signed in.
#[utoipa::path(get, path = "/me/calendar", tag = "meetings",
    responses((status = 200, body = CalendarFeed)))]
pub async fn calendar_address(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<CalendarFeed>, AppError> {
    let token = feed::token(&state.db, &actor, Utc::now()).await?;
    Ok(Json(CalendarFeed {
        url: state.outbound.link(&feed::path(&token)),
    }))
}

/// Revokes the caller's feed: the old address answers 404 and the next GET makes a new one.
#[utoipa::path(delete, path = "/me/calendar", tag = "meetings", responses((status = 204)))]
pub async fn revoke_calendar(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<StatusCode, AppError> {
    feed::revoke(&state.db, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /calendar/{token}.ics`, without signing in: the person's meetings as iCalendar.
pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let unknown = || AppError::not_found("This calendar address is unknown or was revoked.");
    let token = file.strip_suffix(".ics").ok_or_else(unknown)?;
    let body = feed::feed(&state.db.conn, token, Utc::now(), |p| {
        state.outbound.link(p)
    })
    .await?
    .ok_or_else(unknown)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}
