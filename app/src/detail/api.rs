//! The escalation page's data, in one request.

use crate::action::ActionItem;
use crate::auth::Person;
use crate::decision::{Decision, DecisionRequest};
use crate::error::AppError;
use crate::escalation::{Escalation, EscalationId};
use crate::launch::Launch;
use crate::runbook::TierPolicy;
use crate::update::Update;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EscalationDetail {
    pub now: DateTime<Utc>,
    pub escalation: Escalation,
    pub launch: Launch,
    pub policy: TierPolicy,
    pub updates: Vec<Update>,
    pub requests: Vec<DecisionRequest>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<ActionItem>,
    /// People who may own it: they hold authority for the launch.
    pub owners: Vec<Person>,
    /// Everyone active (action owners, participants).
    pub people: Vec<Person>,
    /// The caller may record a decision here.
    pub can_decide: bool,
    /// The escalation team it got when raised, seat by seat.
    pub team: Vec<(crate::team::FunctionalRole, Person)>,
    /// Who is R, A, C and I for it (its own RACI copy or its launch's).
    pub duties: Vec<crate::raci::model::Duty>,
    /// Whether that RACI is still the launch's.
    pub raci_inherited: bool,
    /// The templated stakeholder update, ready to paste.
    #[serde(default)]
    pub stakeholder_update: String,
    /// The owner to suggest at triage: the team's engineering lead, if they hold authority.
    pub suggested_owner: Option<crate::auth::model::UserId>,
    /// Its tier's escalation steps (in the runbook version it was raised under), ticked or not.
    pub steps: Vec<crate::runbook::model::Step>,
    /// The caller may tick them: its owner, or a facilitator, while it is not closed.
    pub can_tick: bool,
}

/// Ticks (or unticks) step `step` (from 0) of its checklist. Its owner, or a facilitator.
#[server(endpoint = "detail/tick_step")]
pub async fn tick_step(
    id: EscalationId,
    step: i64,
    done: bool,
) -> Result<Vec<crate::runbook::model::Step>, AppError> {
    let (state, actor) = crate::state::request()?;
    crate::runbook::service::steps::tick(&state.db, &actor, id, step, done).await
}

/// Everything the escalation page shows. Anyone signed in.
#[server(endpoint = "detail/load_escalation_detail")]
pub async fn load_escalation_detail(id: EscalationId) -> Result<EscalationDetail, AppError> {
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let escalation = crate::escalation::service::get(db, &actor, id).await?;
    let launch = crate::launch::service::get(db, &actor, escalation.launch_id).await?;
    let runbook = crate::runbook::service::version(db, escalation.runbook_version).await?;
    let steps = crate::runbook::service::steps::checklist(db, &escalation).await?;
    let can_tick = crate::runbook::service::steps::may_tick(&actor, &escalation)
        && escalation.stage != crate::escalation::Stage::Closed;
    let updates = crate::update::service::for_escalation(db, &actor, id).await?;
    let (requests, decisions) = crate::decision::service::for_escalation(db, &actor, id).await?;
    let actions = crate::action::service::for_escalation(db, &actor, id).await?;
    let users = crate::auth::service::list_users(db, &actor).await?;
    let mut owners = Vec::new();
    let mut people = Vec::new();
    for user in users.into_iter().filter(|u| u.active) {
        let model = crate::auth::service::active_user(db, user.id).await?;
        let person = Person {
            id: user.id,
            name: user.name.clone(),
        };
        if let Some(model) = model
            && crate::launch::service::holds_authority(db, escalation.launch_id, &model).await?
        {
            owners.push(person.clone());
        }
        people.push(person);
    }
    let me = crate::auth::service::active_user(db, actor.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    let can_decide = actor.can(crate::auth::Permission::RecordDecision)
        && crate::launch::service::holds_authority(db, escalation.launch_id, &me).await?;
    let team = crate::team::service::escalation_team(db, id).await?;
    let (duties, raci_inherited) = crate::raci::service::duties(db, &actor, id).await?;
    let suggested_owner = team
        .iter()
        .find(|(role, _)| *role == crate::team::FunctionalRole::EngineeringLead)
        .map(|(_, p)| p.id)
        .filter(|id| owners.iter().any(|o| o.id == *id));
    let stakeholder_update = super::stakeholder::stakeholder_update(
        &escalation,
        &launch.name,
        updates.first(),
        &state
            .outbound
            .link(&format!("/escalations/{}", escalation.id)),
    );
    Ok(EscalationDetail {
        steps,
        can_tick,
        stakeholder_update,
        team,
        duties,
        raci_inherited,
        suggested_owner,
        now: Utc::now(),
        policy: runbook.policy(escalation.tier),
        escalation,
        launch,
        updates,
        requests,
        decisions,
        actions,
        owners,
        people,
        can_decide,
    })
}
