//! Server functions of the post-mortem page and index.

use super::model::{PostMortem, PostMortemSummary};
use crate::auth::Person;
use crate::error::AppError;
use crate::escalation::Stage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the post-mortem page needs besides the post-mortem itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostMortemPage {
    pub postmortem: PostMortem,
    pub stage: Stage,
    /// Everyone active (remediation owners, reviewers).
    pub people: Vec<Person>,
    pub me: i64,
    /// The caller may write (members, facilitators, admins).
    pub can_edit: bool,
    /// The caller may pin, annotate and hide timeline entries (facilitators, admins).
    pub can_annotate: bool,
}

/// The post-mortem page's data. Anyone signed in.
#[server(endpoint = "postmortem/load_postmortem")]
pub async fn load_postmortem(id: i64) -> Result<PostMortemPage, AppError> {
    use crate::auth::Permission;
    use crate::escalation::EscalationId;
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let postmortem = super::service::get(db, &actor, EscalationId(id)).await?;
    let stage = crate::escalation::service::get(db, &actor, EscalationId(id))
        .await?
        .stage;
    let people = crate::auth::service::list_users(db, &actor)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| Person {
            id: u.id,
            name: u.name,
        })
        .collect();
    Ok(PostMortemPage {
        postmortem,
        stage,
        people,
        me: actor.id.0,
        can_edit: actor.can(Permission::WorkEscalations),
        can_annotate: actor.can(Permission::Facilitate),
    })
}

/// Saves a draft; `draft` is the `PUT …/postmortem` body as JSON.
#[server(endpoint = "postmortem/save_postmortem")]
pub async fn save_postmortem(id: i64, draft: String) -> Result<PostMortem, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft: super::model::PostMortemDraft = serde_json::from_str(&draft)
        .map_err(|e| AppError::bad_request(format!("The post-mortem could not be read: {e}")))?;
    super::service::save(
        &state.db,
        &actor,
        crate::escalation::EscalationId(id),
        &draft,
    )
    .await
}

/// Sends the post-mortem to reviewers.
#[server(endpoint = "postmortem/submit_postmortem")]
pub async fn submit_postmortem(id: i64, reviewer_ids: Vec<i64>) -> Result<PostMortem, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::submit(
        &state.db,
        &actor,
        crate::escalation::EscalationId(id),
        &reviewer_ids,
    )
    .await
}

/// A reviewer approves.
#[server(endpoint = "postmortem/approve_postmortem")]
pub async fn approve_postmortem(id: i64) -> Result<PostMortem, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::approve(&state.db, &actor, crate::escalation::EscalationId(id)).await
}

/// Adds an addendum to a published post-mortem.
#[server(endpoint = "postmortem/add_addendum")]
pub async fn add_addendum(id: i64, text: String) -> Result<PostMortem, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::add_addendum(
        &state.db,
        &actor,
        crate::escalation::EscalationId(id),
        Some(&text),
    )
    .await
}

/// The post-mortems index (one launch's, or all).
#[server(endpoint = "postmortem/load_index")]
pub async fn load_index(launch_id: Option<i64>) -> Result<Vec<PostMortemSummary>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::index(
        &state.db.conn,
        &actor,
        launch_id.map(crate::launch::LaunchId),
    )
    .await
}
