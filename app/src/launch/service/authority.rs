//! Authority to commit resources for a launch: who holds it (facilitators, executives,
//! admins, and members a facilitator granted it to) and granting it.

use super::{get, not_found};
use crate::auth::model::{Actor, Permission, Role};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::entity::launch;
use crate::error::AppError;
use crate::event::change::LaunchAuthorityChanged;
use crate::event::service::{NewEvent, append};
use crate::launch::model::LaunchId;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

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
    match Actor::try_from(user)?.role {
        Role::Facilitator | Role::Executive | Role::Admin => Ok(true),
        Role::Member => Ok(crate::entity::launch_authority::Entity::find_by_id((
            launch.0, user.id,
        ))
        .one(db)
        .await?
        .is_some()),
        Role::Viewer => Ok(false),
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
        NewEvent::new(
            "launch",
            launch.0,
            LaunchAuthorityChanged {
                user_ids: wanted,
                before,
            },
        )
        .launch(launch),
    )
    .await?;
    let people = authority(&*txn, actor, launch).await?;
    txn.commit().await?;
    Ok(people)
}
