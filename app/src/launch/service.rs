//! Launch queries and changes, each checked against the acting user's role.

use super::model::{Launch, LaunchDraft, LaunchHealth, LaunchId, LaunchStatus, ValidLaunch};
use crate::auth::model::{Actor, Permission, Role};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::db::versioned::update_if_current;
use crate::entity::{escalation, launch};
use crate::error::AppError;
use crate::event::service::{NewEvent, append};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;

async fn to_wire<C: ConnectionTrait>(
    db: &C,
    models: Vec<launch::Model>,
) -> Result<Vec<Launch>, AppError> {
    let ids: Vec<i64> = models
        .iter()
        .flat_map(|m| [m.sponsor_id, m.lead_id])
        .flatten()
        .collect();
    let names = people(db, ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let sponsor = m.sponsor_id.and_then(|id| names.get(&id).cloned());
            let lead = m.lead_id.and_then(|id| names.get(&id).cloned());
            wire(m, sponsor, lead)
        })
        .collect())
}

/// A row as the wire shows it, given its senior sponsor and escalation lead.
pub(crate) fn wire(
    m: launch::Model,
    sponsor: Option<crate::auth::Person>,
    lead: Option<crate::auth::Person>,
) -> Launch {
    Launch {
        id: LaunchId(m.id),
        name: m.name,
        target_date: m.target_date,
        description: m.description,
        status: LaunchStatus::parse(&m.status).unwrap_or(LaunchStatus::Planning),
        sponsor,
        lead,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

async fn one_to_wire<C: ConnectionTrait>(db: &C, model: launch::Model) -> Result<Launch, AppError> {
    to_wire(db, vec![model])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

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
        NewEvent::new("launch", model.id, "launch.created")
            .launch(LaunchId(model.id))
            .payload(json!({
                "name": model.name,
                "target_date": model.target_date,
                "description": model.description,
                "status": model.status,
                "sponsor_id": model.sponsor_id,
                "lead_id": model.lead_id,
            })),
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
    let mut changed = serde_json::Map::new();
    let mut active: launch::ActiveModel = current.clone().into();
    if valid.name != current.name {
        changed.insert("name".into(), json!(valid.name));
        active.name = Set(valid.name);
    }
    if valid.target_date != current.target_date {
        changed.insert("target_date".into(), json!(valid.target_date));
        active.target_date = Set(valid.target_date);
    }
    if valid.description != current.description {
        changed.insert("description".into(), json!(valid.description));
        active.description = Set(valid.description);
    }
    if valid.status.as_str() != current.status {
        changed.insert("status".into(), json!(valid.status));
        active.status = Set(valid.status.as_str().into());
    }
    if valid.sponsor_id != current.sponsor_id {
        changed.insert("sponsor_id".into(), json!(valid.sponsor_id));
        active.sponsor_id = Set(valid.sponsor_id);
    }
    if valid.lead_id != current.lead_id {
        changed.insert("lead_id".into(), json!(valid.lead_id));
        active.lead_id = Set(valid.lead_id);
    }
    if changed.is_empty() {
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
    changed.insert("version".into(), json!(model.version));
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("launch", model.id, "launch.updated")
            .launch(id)
            .payload(changed.into()),
    )
    .await?;
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

/// Every launch with its open, major and overdue escalation counts (the home page).
pub async fn health<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<LaunchHealth>, AppError> {
    let launches = list(db, actor).await?;
    let now = Utc::now();
    let open: Vec<(i64, i16, Option<chrono::DateTime<Utc>>)> = escalation::Entity::find()
        .select_only()
        .column(escalation::Column::LaunchId)
        .column(escalation::Column::Tier)
        .column(escalation::Column::Deadline)
        .filter(escalation::Column::Stage.ne("closed"))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<i64, (u32, u32, u32)> = HashMap::new();
    for (launch_id, tier, deadline) in open {
        let entry = counts.entry(launch_id).or_default();
        entry.0 += 1;
        entry.1 += u32::from(tier <= 2);
        entry.2 += u32::from(deadline.is_some_and(|d| d < now));
    }
    Ok(launches
        .into_iter()
        .map(|launch| {
            let (open, major, overdue) = counts.get(&launch.id.0).copied().unwrap_or_default();
            LaunchHealth {
                launch,
                open,
                major,
                overdue,
            }
        })
        .collect())
}

/// Whether `user` holds authority to commit resources for `launch`: facilitators, executives
/// and admins always do; members when a facilitator granted it for that launch.
pub async fn holds_authority<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    user: &crate::entity::user::Model,
) -> Result<bool, AppError> {
    if !user.active {
        return Ok(false);
    }
    match Role::parse(&user.role) {
        Some(Role::Facilitator | Role::Executive | Role::Admin) => Ok(true),
        Some(Role::Member) => Ok(crate::entity::launch_authority::Entity::find_by_id((
            launch.0, user.id,
        ))
        .one(db)
        .await?
        .is_some()),
        _ => Ok(false),
    }
}

/// An owner for an escalation of `launch`: an active user holding authority, or 422.
pub async fn require_owner<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    owner: i64,
) -> Result<crate::entity::user::Model, AppError> {
    let user = require_person(db, "owner_id", owner, &[]).await?;
    if !holds_authority(db, launch, &user).await? {
        return Err(AppError::invalid_field(
            "owner_id",
            "must hold authority to commit resources for this launch (a facilitator, an executive, or a member granted authority)",
        ));
    }
    Ok(user)
}

/// The members granted authority for a launch. Anyone signed in.
pub async fn authority<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
) -> Result<Vec<crate::auth::Person>, AppError> {
    actor.require(Permission::Read)?;
    get(db, actor, launch).await?;
    let ids: Vec<i64> = crate::entity::launch_authority::Entity::find()
        .filter(crate::entity::launch_authority::Column::LaunchId.eq(launch.0))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    let mut people: Vec<_> = people(db, ids).await?.into_values().collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(people)
}

/// Replaces the list of members granted authority for a launch (facilitators and admins).
pub async fn set_authority(
    db: &Db,
    actor: &Actor,
    launch: LaunchId,
    user_ids: &[i64],
) -> Result<Vec<crate::auth::Person>, AppError> {
    use crate::entity::launch_authority as grant;
    actor.require(Permission::Facilitate)?;
    let mut check = crate::validate::Checker::default();
    let wanted = check.ids("user_ids", user_ids, crate::validate::MAX_IDS);
    let mut wanted = check.finish(wanted).map_err(AppError::invalid)?;
    wanted.sort_unstable();
    let txn = db.write().await?;
    launch::Entity::find_by_id(launch.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| not_found(launch))?;
    for id in &wanted {
        require_person(&*txn, "user_ids", *id, &[Role::Member]).await?;
    }
    let before: Vec<i64> = grant::Entity::find()
        .filter(grant::Column::LaunchId.eq(launch.0))
        .all(&*txn)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    if before
        .iter()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        == wanted
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
    {
        return authority(&*txn, actor, launch).await;
    }
    grant::Entity::delete_many()
        .filter(grant::Column::LaunchId.eq(launch.0))
        .exec(&*txn)
        .await?;
    for id in &wanted {
        grant::ActiveModel {
            launch_id: Set(launch.0),
            user_id: Set(*id),
            granted_at: Set(Utc::now()),
        }
        .insert(&*txn)
        .await?;
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("launch", launch.0, "launch.authority_changed")
            .launch(launch)
            .payload(json!({ "user_ids": wanted, "before": before })),
    )
    .await?;
    let people = authority(&*txn, actor, launch).await?;
    txn.commit().await?;
    Ok(people)
}
