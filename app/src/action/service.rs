//! Creating, completing and listing action items; `row` turns a stored item into the wire
//! type.

mod row;

pub use row::{one_to_wire, to_wire};

use super::model::{ActionDraft, ActionItem, ActionPatch, ValidAction, sort_for_work};
use crate::auth::model::{Actor, Permission, UserId};
use crate::auth::service::require_person;
use crate::db::Db;
use crate::entity::action_item as stored;
use crate::entity::escalation::find_existing;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::{ActionItemCreated, ActionItemDone, ActionItemReopened, Change};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// Inserts a validated item inside `txn` and records it.
pub async fn insert_in<C: ConnectionTrait>(
    txn: &C,
    by: &Actor,
    escalation: Option<(EscalationId, crate::launch::LaunchId)>,
    valid: ValidAction,
) -> Result<stored::Model, AppError> {
    require_person(txn, "owner_id", valid.owner_id, &[]).await?;
    let kind = valid.kind;
    let model = stored::ActiveModel {
        escalation_id: Set(escalation.map(|(e, _)| e.0)),
        kind: Set(kind.as_str().into()),
        title: Set(valid.title),
        owner_id: Set(valid.owner_id),
        due_at: Set(valid.due_at),
        done: Set(false),
        done_at: Set(None),
        created_by: Set(by.id.0),
        created_at: Set(Utc::now()),
        version: Set(1),
        overdue_notified_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut event = NewEvent::new(
        "action_item",
        model.id,
        ActionItemCreated {
            title: model.title.clone(),
            kind,
            owner_id: model.owner_id,
            due: model.due_at,
        },
    );
    if let Some((escalation, launch)) = escalation {
        event = event.escalation(escalation).launch(launch);
    }
    append(txn, &EventActor::from(by), event).await?;
    Ok(model)
}

/// Adds an action item to an escalation (members, facilitators, admins).
pub async fn create(
    db: &Db,
    actor: &Actor,
    escalation_id: EscalationId,
    draft: &ActionDraft,
) -> Result<ActionItem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let valid = draft.validate(Utc::now()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = find_existing(&*txn, escalation_id).await?;
    let model = insert_in(
        &*txn,
        actor,
        Some((escalation_id, crate::launch::LaunchId(esc.launch_id))),
        valid,
    )
    .await?;
    txn.commit().await?;
    one_to_wire(&db.conn, model).await
}

/// Marks an item done or not done (members, facilitators, admins); `version` must be current.
pub async fn set_done(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: &ActionPatch,
) -> Result<ActionItem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let version = patch.version.ok_or_else(|| {
        AppError::invalid_field("version", "is required: send the version you last saw")
    })?;
    let done = patch
        .done
        .ok_or_else(|| AppError::invalid_field("done", "is required"))?;
    let txn = db.write().await?;
    let current = stored::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Action item {id} does not exist.")))?;
    if current.version != version {
        let item = one_to_wire(&*txn, current).await?;
        return Err(AppError::conflict(
            "This action item changed since you loaded it.",
            serde_json::to_value(item).ok(),
        ));
    }
    if current.done == done {
        return one_to_wire(&*txn, current).await;
    }
    let now = Utc::now();
    let Some(updated) = stored::Entity::update_many()
        .col_expr(stored::Column::Done, Expr::value(done))
        .col_expr(stored::Column::DoneAt, Expr::value(done.then_some(now)))
        .col_expr(
            stored::Column::Version,
            Expr::col(stored::Column::Version).add(1),
        )
        .filter(stored::Column::Id.eq(id))
        .filter(stored::Column::Version.eq(version))
        .exec_with_returning(&*txn)
        .await?
        .pop()
    else {
        return Err(AppError::conflict(
            "This action item changed since you loaded it.",
            None,
        ));
    };
    let launch = match updated.escalation_id {
        Some(e) => Some(find_existing(&*txn, EscalationId(e)).await?.launch_id),
        None => None,
    };
    let change: Change = if done {
        ActionItemDone {
            done,
            version: updated.version,
        }
        .into()
    } else {
        ActionItemReopened {
            done,
            version: updated.version,
        }
        .into()
    };
    let mut event = NewEvent::new("action_item", id, change);
    if let Some(e) = updated.escalation_id {
        event = event.escalation(EscalationId(e));
    }
    if let Some(l) = launch {
        event = event.launch(crate::launch::LaunchId(l));
    }
    append(&*txn, &actor.into(), event).await?;
    txn.commit().await?;
    one_to_wire(&db.conn, updated).await
}

/// An escalation's action items, overdue first. Anyone signed in.
pub async fn for_escalation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<Vec<ActionItem>, AppError> {
    actor.require(Permission::Read)?;
    let rows = stored::Entity::find()
        .filter(stored::Column::EscalationId.eq(escalation.0))
        .order_by_asc(stored::Column::DueAt)
        .all(db)
        .await?;
    let mut items = to_wire(db, rows).await?;
    sort_for_work(&mut items, Utc::now());
    Ok(items)
}

/// The open items a user owns, overdue first.
pub async fn owned_by<C: ConnectionTrait>(
    db: &C,
    owner: UserId,
) -> Result<Vec<ActionItem>, AppError> {
    let rows = stored::Entity::find()
        .filter(stored::Column::OwnerId.eq(owner.0))
        .filter(stored::Column::Done.eq(false))
        .order_by_asc(stored::Column::DueAt)
        .all(db)
        .await?;
    let mut items = to_wire(db, rows).await?;
    sort_for_work(&mut items, Utc::now());
    Ok(items)
}
