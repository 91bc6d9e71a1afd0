//! Server functions for escalations: thin wrappers over `service`.

use super::model::{Escalation, EscalationId, RaiseForm};
use crate::error::AppError;
use crate::launch::LaunchId;
use leptos::prelude::*;

/// A launch's escalations, highest priority first. Anyone signed in.
#[server(endpoint = "escalation/launch_escalations")]
pub async fn launch_escalations(launch_id: LaunchId) -> Result<Vec<Escalation>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::list(&state.db.conn, &actor, Some(launch_id), None).await
}

/// One escalation. Anyone signed in.
#[server(endpoint = "escalation/get_escalation")]
pub async fn get_escalation(id: EscalationId) -> Result<Escalation, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::get(&state.db.conn, &actor, id).await
}

impl From<RaiseEscalation> for RaiseForm {
    fn from(f: RaiseEscalation) -> Self {
        RaiseForm {
            launch_id: f.launch_id,
            title: f.title,
            description: f.description,
            trigger: f.trigger,
            tier: f.tier,
            impact_customer: f.impact_customer,
            impact_revenue: f.impact_revenue,
            impact_compliance: f.impact_compliance,
            owner_id: f.owner_id,
            deadline: f.deadline,
            tz_offset: f.tz_offset,
        }
    }
}

/// Raises an escalation and opens its page. Members, facilitators, admins.
#[server(endpoint = "escalation/raise_escalation")]
#[allow(clippy::too_many_arguments)]
pub async fn raise_escalation(
    launch_id: i64,
    title: Option<String>,
    description: Option<String>,
    trigger: Option<String>,
    tier: Option<String>,
    impact_customer: Option<String>,
    impact_revenue: Option<String>,
    impact_compliance: Option<String>,
    owner_id: Option<String>,
    deadline: Option<String>,
    tz_offset: Option<String>,
) -> Result<Escalation, AppError> {
    let (state, actor) = crate::state::request()?;
    let form = RaiseForm {
        launch_id,
        title,
        description,
        trigger,
        tier,
        impact_customer,
        impact_revenue,
        impact_compliance,
        owner_id,
        deadline,
        tz_offset,
    };
    let draft = form.to_draft().map_err(AppError::invalid)?;
    let escalation = super::service::create(&state.db, &actor, &draft).await?;
    leptos_axum::redirect(&format!("/escalations/{}", escalation.id));
    Ok(escalation)
}

/// Moves an escalation to another stage if `version` is still current (else a conflict
/// carrying the current state). Members, facilitators, admins.
#[server(endpoint = "escalation/move_escalation")]
pub async fn move_escalation(
    id: EscalationId,
    stage: String,
    version: i64,
    reason: Option<String>,
) -> Result<Escalation, AppError> {
    let (state, actor) = crate::state::request()?;
    let req = super::model::MoveRequest {
        stage: Some(stage),
        version: Some(version),
        reason,
    };
    super::service::move_to(&state.db, &actor, id, &req).await
}
