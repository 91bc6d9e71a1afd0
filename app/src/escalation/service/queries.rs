//! Reading escalations: one, a launch's (optionally of one stage), a user's open ones, and
//! counts by stage.

use super::to_wire;
use crate::auth::model::{Actor, Permission, UserId};
use crate::entity::escalation as row;
use crate::error::AppError;
use crate::escalation::model::{Escalation, EscalationId, Stage};
use crate::launch::LaunchId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// One escalation (everyone signed in).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<Escalation, AppError> {
    actor.require(Permission::Read)?;
    let model = row::find_existing(db, id).await?;
    super::one_to_wire(db, model).await
}

/// Escalations, highest priority first, optionally of one launch and one stage.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: Option<LaunchId>,
    stage: Option<Stage>,
) -> Result<Vec<Escalation>, AppError> {
    actor.require(Permission::Read)?;
    let mut query = row::Entity::find()
        .order_by_desc(row::Column::Priority)
        .order_by_asc(row::Column::Id);
    if let Some(launch_id) = launch_id {
        query = query.filter(row::Column::LaunchId.eq(launch_id.0));
    }
    if let Some(stage) = stage {
        query = query.filter(row::Column::Stage.eq(stage.as_str()));
    }
    to_wire(db, query.all(db).await?).await
}

/// Open escalations of a launch by stage, for counting.
pub async fn count_by_stage<C: ConnectionTrait>(
    db: &C,
    launch_id: LaunchId,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(row::Entity::find()
        .select_only()
        .column(row::Column::Stage)
        .column_as(row::Column::Id.count(), "n")
        .filter(row::Column::LaunchId.eq(launch_id.0))
        .group_by(row::Column::Stage)
        .into_tuple()
        .all(db)
        .await?)
}

/// The open escalations a user owns, highest priority first.
pub async fn owned_by<C: ConnectionTrait>(
    db: &C,
    owner: UserId,
) -> Result<Vec<Escalation>, AppError> {
    let rows = row::Entity::find()
        .filter(row::Column::OwnerId.eq(owner.0))
        .filter(row::Column::Stage.ne(Stage::Closed.as_str()))
        .order_by_desc(row::Column::Priority)
        .all(db)
        .await?;
    to_wire(db, rows).await
}
