//! Server functions of the RACI editor.

use super::model::{Raci, Resolution};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the editor needs: the matrix, who its columns mean, what it is for, and whether
/// the caller may change it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaciEditorData {
    pub raci: Raci,
    pub resolution: Resolution,
    /// The launch's name, or the escalation's title.
    pub title: String,
    pub can_edit: bool,
}

#[cfg(feature = "ssr")]
fn scope(launch_id: i64, escalation_id: Option<i64>) -> super::model::Scope {
    use super::model::Scope;
    match escalation_id {
        Some(id) => Scope::Escalation(crate::escalation::EscalationId(id)),
        None => Scope::Launch(crate::launch::LaunchId(launch_id)),
    }
}

/// A launch's matrix (`escalation_id` empty) or an escalation's. Anyone signed in.
#[server(endpoint = "raci/load_raci")]
pub async fn load_raci(
    launch_id: i64,
    escalation_id: Option<i64>,
) -> Result<RaciEditorData, AppError> {
    use crate::auth::Permission;
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let (raci, resolution) =
        super::service::get(db, &actor, scope(launch_id, escalation_id)).await?;
    let title = match resolution.escalation_id {
        Some(id) => crate::escalation::service::get(db, &actor, id).await?.title,
        None => {
            crate::launch::service::get(db, &actor, resolution.launch_id)
                .await?
                .name
        }
    };
    Ok(RaciEditorData {
        raci,
        resolution,
        title,
        can_edit: actor.can(Permission::Facilitate),
    })
}

/// Saves a matrix; `draft` is the `PUT …/raci` body as JSON. Facilitators and admins.
#[server(endpoint = "raci/save_raci")]
pub async fn save_raci(
    launch_id: i64,
    escalation_id: Option<i64>,
    draft: String,
) -> Result<Raci, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::Permission::Facilitate)?;
    let draft: super::model::RaciDraft = serde_json::from_str(&draft)
        .map_err(|e| AppError::bad_request(format!("The matrix could not be read: {e}")))?;
    super::service::save(&state.db, &actor, scope(launch_id, escalation_id), &draft).await
}
