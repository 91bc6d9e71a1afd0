//! Server functions of the team page.

use super::model::TeamView;
use crate::auth::Person;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamPageData {
    pub launch_name: String,
    pub team: TeamView,
    /// Everyone who can be put on a rotation.
    pub people: Vec<Person>,
    pub can_edit: bool,
}

/// Who is on duty now and next, and the rotation. Anyone signed in.
#[server(endpoint = "team/load_team")]
pub async fn load_team(launch_id: i64) -> Result<TeamPageData, AppError> {
    use crate::auth::Permission;
    use crate::launch::LaunchId;
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let launch = crate::launch::service::get(db, &actor, LaunchId(launch_id)).await?;
    let team = super::service::team(db, &actor, LaunchId(launch_id), chrono::Utc::now()).await?;
    Ok(TeamPageData {
        launch_name: launch.name,
        team,
        people: super::service::active_people(db).await?,
        can_edit: actor.can(Permission::Facilitate),
    })
}

/// Saves the rotation; `rotation` is the `PUT …/rotation` body as JSON. Facilitators and
/// admins.
#[server(endpoint = "team/save_rotation")]
pub async fn save_rotation(launch_id: i64, rotation: String) -> Result<TeamView, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::Permission::Facilitate)?;
    let rotation: super::model::Rotation = serde_json::from_str(&rotation)
        .map_err(|e| AppError::bad_request(format!("The rotation could not be read: {e}")))?;
    super::service::save(
        &state.db,
        &actor,
        crate::launch::LaunchId(launch_id),
        &rotation,
    )
    .await
}
