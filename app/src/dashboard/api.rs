//! Server functions for the dashboards: thin wrappers over `service`.

use super::model::Dashboard;
use crate::error::AppError;
use crate::launch::LaunchId;
use leptos::prelude::*;

/// Every launch in planning or live, readiness first. Anyone signed in.
#[server(endpoint = "dashboard/load_overview")]
pub async fn load_overview() -> Result<Vec<Dashboard>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::overview(&state.db.conn, &actor, chrono::Utc::now()).await
}

/// One launch's dashboard. Anyone signed in.
#[server(endpoint = "dashboard/load_dashboard")]
pub async fn load_dashboard(launch: LaunchId) -> Result<Dashboard, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::launch_dashboard(&state.db.conn, &actor, launch, chrono::Utc::now()).await
}
