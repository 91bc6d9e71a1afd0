//! Server functions for action items and "My work".

use super::model::{ActionDraft, ActionItem};
use crate::decision::DecisionRequest;
use crate::error::AppError;
use crate::escalation::{Escalation, EscalationId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Adds an action item to an escalation. Members, facilitators, admins.
#[server(endpoint = "action/add_action")]
pub async fn add_action(
    escalation_id: EscalationId,
    title: Option<String>,
    owner_id: Option<String>,
    due: Option<String>,
    tz_offset: Option<String>,
) -> Result<ActionItem, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = action_draft(title, owner_id, due, tz_offset)?;
    super::service::create(&state.db, &actor, escalation_id, &draft).await
}

/// The form's fields as a draft; the due time is a `datetime-local` in the browser's zone.
pub fn action_draft(
    title: Option<String>,
    owner_id: Option<String>,
    due: Option<String>,
    tz_offset: Option<String>,
) -> Result<ActionDraft, AppError> {
    let offset = tz_offset.and_then(|o| o.trim().parse().ok()).unwrap_or(0);
    let owner_id = match owner_id.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(o) => Some(
            o.parse()
                .map_err(|_| AppError::invalid_field("owner_id", "is not a user"))?,
        ),
    };
    let due = due.as_deref().map(|d| {
        crate::escalation::model::local_to_rfc3339(d, offset).unwrap_or_else(|| d.to_string())
    });
    Ok(ActionDraft {
        title,
        owner_id,
        due,
        kind: None,
    })
}

/// Marks an action item done or not done. Members, facilitators, admins.
#[server(endpoint = "action/set_action_done")]
pub async fn set_action_done(id: i64, version: i64, done: bool) -> Result<ActionItem, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::set_done(
        &state.db,
        &actor,
        id,
        &super::model::ActionPatch {
            version: Some(version),
            done: Some(done),
        },
    )
    .await
}

/// What waits on the caller: their open action items, decisions asked of them, escalations
/// they own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyWork {
    pub now: chrono::DateTime<chrono::Utc>,
    pub actions: Vec<ActionItem>,
    pub decisions: Vec<DecisionRequest>,
    pub owned: Vec<Escalation>,
}

/// The caller's work. Anyone signed in.
#[server(endpoint = "action/load_my_work")]
pub async fn load_my_work() -> Result<MyWork, AppError> {
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let actions = super::service::owned_by(db, actor.id).await?;
    let decisions = crate::decision::service::open_requests(db, &actor)
        .await?
        .into_iter()
        .filter(|r| r.addressed_to.id == actor.id)
        .collect();
    let owned = crate::escalation::service::owned_by(db, actor.id).await?;
    Ok(MyWork {
        now: chrono::Utc::now(),
        actions,
        decisions,
        owned,
    })
}
