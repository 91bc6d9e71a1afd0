//! Launch queries and changes, each checked against the acting user's role.
//!
//! Who holds authority for a launch is in `service/authority.rs`; `row` turns stored
//! launches into what the client sees.

mod authority;
mod row;

pub use authority::{authority, holds_authority, require_owner, set_authority};
pub use row::LaunchRow;

use super::model::{Launch, LaunchDraft, LaunchHealth, LaunchId, LaunchStatus, ValidLaunch};
use crate::auth::model::{Actor, Permission, Role};
use crate::auth::service::require_person;
use crate::db::Db;
use crate::db::versioned::update_if_current;
use crate::entity::{escalation, launch};
use crate::error::AppError;
use crate::event::change::{LaunchCreated, LaunchUpdated};
use crate::event::service::{NewEvent, append};
use chrono::Utc;
use row::{one_to_wire, to_wire};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

fn not_found(id: LaunchId) -> AppError {
    AppError::not_found(format!("Launch {id} does not exist."))
}

/// The sponsor must be an executive and the lead a facilitator (admins may stand in).
async fn check_people<C: ConnectionTrait>(db: &C, valid: &ValidLaunch) -> Result<(), AppError> {
    if let Some(id) = valid.sponsor_id {
        require_person(db, "sponsor_id", id, &[Role::Executive, Role::Admin]).await?;
    }
    if let Some(id) = valid.lead_id {
        require_person(db, "lead_id", id, &[Role::Facilitator, Role::Admin]).await?;
    }
    Ok(())
}

/// Creates a launch in `planning` (facilitators and admins); a `status` in the draft is ignored.
pub async fn create(db: &Db, actor: &Actor, draft: &LaunchDraft) -> Result<Launch, AppError> {
    actor.require(Permission::Facilitate)?;
    let valid = draft.validate_new().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    check_people(&*txn, &valid).await?;
    let now = Utc::now();
    let model = launch::ActiveModel {
        name: Set(valid.name),
        target_date: Set(valid.target_date),
        description: Set(valid.description),
        status: Set(valid.status.as_str().into()),
        sponsor_id: Set(valid.sponsor_id),
        lead_id: Set(valid.lead_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "launch",
            model.id,
            LaunchCreated {
                name: model.name.clone(),
                target_date: model.target_date,
                description: model.description.clone(),
                status: valid.status,
                sponsor_id: model.sponsor_id,
                lead_id: model.lead_id,
            },
        )
        .launch(LaunchId(model.id)),
    )
    .await?;
    let launch = one_to_wire(&*txn, model).await?;
    txn.commit().await?;
    Ok(launch)
}

/// The 409 for an edit from a version someone else moved past, with the launch as it is now.
async fn stale<C: ConnectionTrait>(db: &C, current: launch::Model) -> Result<AppError, AppError> {
    let current = one_to_wire(db, current).await?;
    Ok(AppError::conflict(
        "Someone else changed this launch since you opened it.",
        serde_json::to_value(current).ok(),
    ))
}

/// Edits a launch (facilitators and admins); `version` must be the one the editor saw, else
/// 409 with the launch as it is now (also when another edit from the same version won the race).
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: LaunchId,
    version: i64,
    draft: &LaunchDraft,
) -> Result<Launch, AppError> {
    actor.require(Permission::Facilitate)?;
    let valid = draft.validate().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    check_people(&*txn, &valid).await?;
    let current = launch::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| not_found(id))?;
    if current.version != version {
        return Err(stale(&*txn, current).await?);
    }
    let mut changed = LaunchUpdated::default();
    let mut active: launch::ActiveModel = current.clone().into();
    if valid.name != current.name {
        changed.name = Some(valid.name.clone());
        active.name = Set(valid.name);
    }
    if valid.target_date != current.target_date {
        changed.target_date = Some(valid.target_date);
        active.target_date = Set(valid.target_date);
    }
    if valid.description != current.description {
        changed.description = Some(valid.description.clone());
        active.description = Set(valid.description);
    }
    if valid.status.as_str() != current.status {
        changed.status = Some(valid.status);
        active.status = Set(valid.status.as_str().into());
    }
    if valid.sponsor_id != current.sponsor_id {
        changed.sponsor_id = Some(valid.sponsor_id);
        active.sponsor_id = Set(valid.sponsor_id);
    }
    if valid.lead_id != current.lead_id {
        changed.lead_id = Some(valid.lead_id);
        active.lead_id = Set(valid.lead_id);
    }
    if changed == LaunchUpdated::default() {
        let launch = one_to_wire(&*txn, current).await?;
        return Ok(launch);
    }
    active.version = Set(current.version + 1);
    active.updated_at = Set(Utc::now());
    let Some(model) = update_if_current(&*txn, active, launch::Column::Version, version).await?
    else {
        let latest = launch::Entity::find_by_id(id.0)
            .one(&*txn)
            .await?
            .ok_or_else(|| not_found(id))?;
        return Err(stale(&*txn, latest).await?);
    };
    changed.version = model.version;
    let live = changed.status == Some(LaunchStatus::Live);
    let stopped = matches!(
        changed.status,
        Some(LaunchStatus::Done | LaunchStatus::Archived)
    );
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("launch", model.id, changed).launch(id),
    )
    .await?;
    if stopped {
        crate::meeting::service::cancel_future(&*txn, id, Utc::now()).await?;
    }
    if live {
        crate::meeting::service::default_standup(
            &*txn,
            &actor.into(),
            actor.id.0,
            &model,
            Utc::now(),
        )
        .await?;
    }
    let launch = one_to_wire(&*txn, model).await?;
    txn.commit().await?;
    Ok(launch)
}

/// One launch (everyone signed in).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: LaunchId,
) -> Result<Launch, AppError> {
    actor.require(Permission::Read)?;
    let model = launch::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| not_found(id))?;
    one_to_wire(db, model).await
}

/// Every launch, soonest target first, archived ones last.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<Launch>, AppError> {
    actor.require(Permission::Read)?;
    let mut models = launch::Entity::find()
        .order_by_asc(launch::Column::TargetDate)
        .order_by_asc(launch::Column::Id)
        .all(db)
        .await?;
    models.sort_by_key(|m| m.status == LaunchStatus::Archived.as_str());
    to_wire(db, models).await
}

/// What a launch's tile counts.
#[derive(Clone, Copy, Default)]
struct LaunchCounts {
    open: u32,
    major: u32,
    overdue: u32,
    stalled: u32,
}

/// Every launch with its open, major, overdue and stalled escalation counts (the home page).
pub async fn health<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<LaunchHealth>, AppError> {
    let launches = list(db, actor).await?;
    let now = Utc::now();
    type Due = Option<chrono::DateTime<Utc>>;
    let open: Vec<(i64, i16, Due, Due)> = escalation::Entity::find()
        .select_only()
        .column(escalation::Column::LaunchId)
        .column(escalation::Column::Tier)
        .column(escalation::Column::Deadline)
        .column(escalation::Column::DecisionDueAt)
        .filter(escalation::Column::Stage.ne("closed"))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<i64, LaunchCounts> = HashMap::new();
    for (launch_id, tier, deadline, decision_due) in open {
        let entry = counts.entry(launch_id).or_default();
        entry.open += 1;
        entry.major += u32::from(tier <= 2);
        entry.overdue += u32::from(deadline.is_some_and(|d| d < now));
        entry.stalled += u32::from(decision_due.is_some_and(|d| d < now));
    }
    Ok(launches
        .into_iter()
        .map(|launch| {
            let c = counts.get(&launch.id.0).copied().unwrap_or_default();
            LaunchHealth {
                launch,
                open: c.open,
                major: c.major,
                overdue: c.overdue,
                stalled: c.stalled,
            }
        })
        .collect())
}
