//! Server functions for escalations: thin wrappers over `service`.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

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
/// carrying the current state). Members, facilitators, admins. A move to Resolved also
/// records `outcome` and the risk posture (`risk_level`, `risk_note`).
#[server(endpoint = "escalation/move_escalation")]
pub async fn move_escalation(
    id: EscalationId,
    stage: String,
    version: i64,
    reason: Option<String>,
    outcome: Option<String>,
    risk_level: Option<String>,
    risk_note: Option<String>,
) -> Result<Escalation, AppError> {
    let (state, actor) = crate::state::request()?;
    let req = super::model::MoveRequest {
        stage: Some(stage),
        version: Some(version),
        reason,
        outcome,
        risk_posture: (risk_level.is_some() || risk_note.is_some()).then_some(
            super::model::RiskPostureInput {
                level: risk_level,
                note: risk_note,
            },
        ),
    };
    super::service::move_to(&state.db, &actor, id, &req).await
}

/// Triage in one step: tier, impact, owner with authority, deadline; leaves Triggered.
/// Members, facilitators, admins.
#[server(endpoint = "escalation/triage_escalation")]
pub async fn triage_escalation(
    id: EscalationId,
    version: i64,
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
        launch_id: 0,
        tier,
        impact_customer,
        impact_revenue,
        impact_compliance,
        owner_id,
        deadline,
        tz_offset,
        ..Default::default()
    };
    let mut check = crate::validate::Checker::default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let tier = check.parse_int("tier", &text(&form.tier));
    let customer = check.parse_int("impact.customer", &text(&form.impact_customer));
    let revenue = check.parse_int("impact.revenue", &text(&form.impact_revenue));
    let compliance = check.parse_int("impact.compliance", &text(&form.impact_compliance));
    let owner = check.parse_int("owner_id", &text(&form.owner_id));
    let offset = check
        .parse_int("deadline", &text(&form.tz_offset))
        .unwrap_or(0);
    check.finish(()).map_err(AppError::invalid)?;
    let deadline = super::model::local_to_rfc3339(&text(&form.deadline), offset);
    let req = super::model::TriageRequest {
        version: Some(version),
        tier,
        impact: super::model::ImpactDraft {
            customer,
            revenue,
            compliance,
        },
        owner_id: owner,
        deadline,
    };
    super::service::triage(&state.db, &actor, id, &req).await
}

/// Sets a time-boxed workaround with its root-cause follow-up. Members, facilitators, admins.
#[server(endpoint = "escalation/set_workaround")]
pub async fn set_workaround(
    id: EscalationId,
    version: i64,
    description: Option<String>,
    expires_at: Option<String>,
    root_cause_title: Option<String>,
    root_cause_owner_id: Option<String>,
    root_cause_due: Option<String>,
    tz_offset: Option<String>,
) -> Result<Escalation, AppError> {
    let (state, actor) = crate::state::request()?;
    let offset = tz_offset.and_then(|o| o.trim().parse().ok()).unwrap_or(0);
    let local =
        |v: Option<String>| v.map(|d| super::model::local_to_rfc3339(&d, offset).unwrap_or(d));
    let owner = match root_cause_owner_id
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        None => None,
        Some(o) => Some(
            o.parse()
                .map_err(|_| AppError::invalid_field("root_cause_owner_id", "is not a user"))?,
        ),
    };
    let req = super::model::WorkaroundRequest {
        version: Some(version),
        description,
        expires_at: local(expires_at),
        root_cause_title,
        root_cause_owner_id: owner,
        root_cause_due: local(root_cause_due),
    };
    super::service::set_workaround(&state.db, &actor, id, &req).await
}
