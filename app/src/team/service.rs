//! Reading and saving a launch's rotation, and who is on duty; `row` turns a stored rotation
//! into what the client sees.

mod row;

use super::model::{FunctionalRole, Rotation, TeamView};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::db::versioned::{insert_if_absent, update_if_current};
use crate::entity::{
    escalation as escalation_row, launch as launch_row, rotation as rotation_row, user,
};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::RotationSaved;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use row::Body;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::BTreeMap;

async fn launch_exists<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
) -> Result<launch_row::Model, AppError> {
    launch_row::Entity::find_by_id(launch.0)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Launch {launch} does not exist.")))
}

/// The launch's rotation: as saved, or weekly from the day the launch was created with no
/// one on any seat yet (version 0).
pub async fn rotation<C: ConnectionTrait>(db: &C, launch: LaunchId) -> Result<Rotation, AppError> {
    let model = launch_exists(db, launch).await?;
    let saved = rotation_row::Entity::find_by_id(launch.0).one(db).await?;
    Ok(match saved {
        Some(r) => Rotation::try_from(&r)?,
        None => {
            let day = model.created_at.date_naive().and_hms_opt(0, 0, 0);
            Rotation::weekly_from(day.map_or(model.created_at, |d| d.and_utc()))
        }
    })
}

/// Every active user, by id (what a rotation or a matrix may name).
pub async fn active_people<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<crate::auth::Person>, AppError> {
    let rows: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let mut people: Vec<crate::auth::Person> = rows
        .into_iter()
        .map(|(id, name)| crate::auth::Person {
            id: crate::auth::model::UserId(id),
            name,
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(people)
}

/// Who is on duty now and next, per seat. Anyone signed in.
pub async fn team<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<TeamView, AppError> {
    actor.require(Permission::Read)?;
    let rotation = rotation(db, launch).await?;
    let people = active_people(db).await?;
    Ok(TeamView::build(rotation, &people, now))
}

/// The 409 for a save from a version someone else moved past, with the rotation as it is now.
fn stale(current: &Rotation) -> AppError {
    AppError::conflict(
        "The rotation changed since you opened it.",
        serde_json::to_value(current).ok(),
    )
}

/// Saves the rotation (facilitators and admins); `version` must be current, else 409 with the
/// current rotation (also when another save from the same version won the race).
pub async fn save(
    db: &Db,
    actor: &Actor,
    launch: LaunchId,
    edited: &Rotation,
) -> Result<TeamView, AppError> {
    actor.require(Permission::Facilitate)?;
    let people = active_people(&db.conn).await?;
    edited
        .validate(|id| people.iter().any(|p| p.id.0 == id))
        .map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let current = rotation(&*txn, launch).await?;
    if current.version != edited.version {
        return Err(stale(&current));
    }
    let mut next = edited.clone();
    next.roles.retain(|_, people| !people.is_empty());
    next.version = current.version + 1;
    let body = serde_json::to_string(&Body {
        period_days: next.period_days,
        starts_at: next.starts_at,
        roles: next.roles.clone(),
    })
    .map_err(AppError::internal)?;
    let model = rotation_row::ActiveModel {
        launch_id: Set(launch.0),
        version: Set(next.version),
        body: Set(body),
        updated_at: Set(Utc::now()),
        updated_by: Set(Some(actor.id.0)),
    };
    let written = if current.version == 0 {
        insert_if_absent(&*txn, model, [rotation_row::Column::LaunchId])
            .await?
            .is_some()
    } else {
        update_if_current(&*txn, model, rotation_row::Column::Version, current.version)
            .await?
            .is_some()
    };
    if !written {
        return Err(stale(&rotation(&*txn, launch).await?));
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "rotation",
            launch.0,
            RotationSaved {
                version: next.version,
                period_days: next.period_days,
                starts_at: next.starts_at,
                roles: next.roles.clone(),
            },
        )
        .launch(launch),
    )
    .await?;
    txn.commit().await?;
    Ok(TeamView::build(next, &people, Utc::now()))
}

/// The team on duty at `at`, as stored on a new escalation.
pub async fn team_at<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    at: DateTime<Utc>,
) -> Result<BTreeMap<FunctionalRole, i64>, AppError> {
    Ok(rotation(db, launch).await?.team_at(at))
}

/// The team an escalation got when it was raised (none stored: an empty team). A stored
/// team that does not parse is an internal error naming the escalation.
pub fn stored_team(
    escalation: &escalation_row::Model,
) -> Result<BTreeMap<FunctionalRole, i64>, AppError> {
    match escalation.team.as_deref() {
        None => Ok(BTreeMap::new()),
        Some(team) => serde_json::from_str(team).map_err(|e| {
            AppError::corrupt("escalation", escalation.id, "team", format!("{team} ({e})"))
        }),
    }
}

/// An escalation's team with names, seat by seat (empty seats left out).
pub async fn escalation_team<C: ConnectionTrait>(
    db: &C,
    id: EscalationId,
) -> Result<Vec<(FunctionalRole, crate::auth::Person)>, AppError> {
    let row = escalation_row::find_existing(db, id).await?;
    let team = stored_team(&row)?;
    let names = crate::auth::service::people(db, team.values().copied().collect()).await?;
    Ok(team
        .into_iter()
        .filter_map(|(role, id)| names.get(&id).cloned().map(|p| (role, p)))
        .collect())
}
