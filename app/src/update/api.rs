//! Server functions for stand-up updates.

use super::model::{Update, UpdateDraft};
use crate::error::AppError;
use crate::escalation::EscalationId;
use leptos::prelude::*;

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// Posts a stand-up update; with a decision required it opens a decision request. Members,
/// facilitators, admins.
#[server(endpoint = "update/post_update")]
pub async fn post_update(
    escalation_id: EscalationId,
    problem: Option<String>,
    impact: Option<String>,
    mitigation: Option<String>,
    decision_required: Option<String>,
    address_to: Option<String>,
) -> Result<Update, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = UpdateDraft {
        problem,
        impact,
        mitigation,
        decision_required: blank_to_none(decision_required),
        address_to: blank_to_none(address_to),
        version: None,
    };
    super::service::post(&state.db, &actor, escalation_id, &draft).await
}

/// The open tier 1–2 escalations with their newest update (the home page). Anyone signed in.
#[server(endpoint = "update/latest_word")]
pub async fn latest_word() -> Result<Vec<super::model::LatestWord>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::latest_word(&state.db.conn, &actor).await
}

/// The form's fields as the model's draft (for checking in the browser first).
pub fn draft_of(input: &PostUpdate) -> UpdateDraft {
    UpdateDraft {
        problem: input.problem.clone(),
        impact: input.impact.clone(),
        mitigation: input.mitigation.clone(),
        decision_required: blank_to_none(input.decision_required.clone()),
        address_to: blank_to_none(input.address_to.clone()),
        version: None,
    }
}
