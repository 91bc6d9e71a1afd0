//! Server functions for the meeting pages: a launch's meetings and cadences, setting one up,
//! the caller's calendar address, one meeting, and its minutes.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

use super::model::{Cadence, Meeting};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The `/launches/{id}/meetings` page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingsView {
    pub launch_id: i64,
    pub launch_name: String,
    pub cadences: Vec<Cadence>,
    pub meetings: Vec<Meeting>,
    /// The caller's calendar address, if they have one.
    pub calendar: Option<String>,
}

/// A meeting on a facilitator's home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextMeeting {
    pub id: i64,
    pub title: String,
    pub launch: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
}

/// What a facilitator's home page shows of governance: the next meetings across launches and
/// the quarterly review due (its quarter, its last day, and its id once opened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernHome {
    pub meetings: Vec<NextMeeting>,
    pub review_period: String,
    pub review_due: chrono::NaiveDate,
    pub review_id: Option<i64>,
}

/// A facilitator's next meetings and the review due. Facilitators.
#[server(endpoint = "meeting/load_govern_home")]
pub async fn load_govern_home() -> Result<GovernHome, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    let now = chrono::Utc::now();
    let db = &state.db.conn;
    let meetings = super::service::upcoming(db, now, 5).await?;
    let (period, review_id) = crate::review::service::due(db, now).await?;
    Ok(GovernHome {
        meetings: meetings
            .into_iter()
            .map(|(m, launch)| NextMeeting {
                id: m.id,
                title: m.title,
                launch,
                starts_at: m.starts_at,
            })
            .collect(),
        review_period: period.to_string(),
        review_due: (period.end() - chrono::Duration::days(1)).date_naive(),
        review_id,
    })
}

/// A launch's cadences and meetings. Anyone signed in.
#[server(endpoint = "meeting/load_meetings")]
pub async fn load_meetings(launch_id: i64) -> Result<MeetingsView, AppError> {
    use crate::launch::LaunchId;
    let (state, actor) = crate::state::request()?;
    let now = chrono::Utc::now();
    let db = &state.db.conn;
    let launch = crate::launch::service::get(db, &actor, LaunchId(launch_id)).await?;
    let token = super::service::feed::existing(db, actor.id).await?;
    Ok(MeetingsView {
        launch_id,
        launch_name: launch.name,
        cadences: super::service::cadences(db, &actor, LaunchId(launch_id), now).await?,
        meetings: super::service::meetings(db, &actor, LaunchId(launch_id), now).await?,
        calendar: token.map(|t| state.outbound.link(&super::service::feed::path(&t))),
    })
}

/// Sets up a recurring meeting (facilitators), with everyone holding each role ticked.
#[server(endpoint = "meeting/add_cadence")]
pub async fn add_cadence(
    launch_id: i64,
    name: String,
    kind: String,
    every: String,
    at: String,
    timezone: String,
    minutes_long: String,
    members: Option<String>,
    facilitators: Option<String>,
    executives: Option<String>,
) -> Result<Cadence, AppError> {
    use super::model::CadenceDraft;
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    let participants = [
        (members, "role:member"),
        (facilitators, "role:facilitator"),
        (executives, "role:executive"),
    ]
    .into_iter()
    .filter(|(ticked, _)| ticked.is_some())
    .map(|(_, role)| serde_json::Value::from(role))
    .collect();
    let draft = CadenceDraft {
        name: Some(name),
        kind: Some(kind),
        every: Some(every),
        at: Some(at),
        timezone: Some(timezone),
        minutes_long: minutes_long.trim().parse().ok(),
        participants,
    };
    let launch = crate::launch::LaunchId(launch_id);
    super::service::add_cadence(&state.db, &actor, launch, &draft, chrono::Utc::now()).await
}

/// The caller's secret calendar address, made if they have none. Anyone signed in.
#[server(endpoint = "meeting/calendar_address")]
pub async fn calendar_address() -> Result<String, AppError> {
    let (state, actor) = crate::state::request()?;
    let token = super::service::feed::token(&state.db, &actor, chrono::Utc::now()).await?;
    Ok(state.outbound.link(&super::service::feed::path(&token)))
}

/// Revokes the caller's calendar address.
#[server(endpoint = "meeting/revoke_calendar")]
pub async fn revoke_calendar() -> Result<(), AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::feed::revoke(&state.db, &actor).await
}

/// One meeting. Anyone signed in.
#[server(endpoint = "meeting/load_meeting")]
pub async fn load_meeting(id: i64) -> Result<Meeting, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::get(&state.db.conn, &actor, id, chrono::Utc::now()).await
}

/// Writes a meeting's minutes (people who work escalations); 409 when someone saved since.
#[server(endpoint = "meeting/save_minutes")]
pub async fn save_minutes(id: i64, version: i64, minutes: String) -> Result<Meeting, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = super::model::MinutesDraft {
        minutes: Some(minutes),
        version: Some(version),
    };
    super::service::write_minutes(&state.db, &actor, id, &draft, chrono::Utc::now()).await
}
