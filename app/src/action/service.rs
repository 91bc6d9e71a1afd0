//! Creating, completing and listing action items.

use super::model::{ActionDraft, ActionItem, ActionKind, ActionPatch, ValidAction, sort_for_work};
use crate::auth::model::{Actor, Permission, UserId};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::entity::{action_item as row, escalation};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::HashMap;

pub async fn to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<row::Model>,
) -> Result<Vec<ActionItem>, AppError> {
    let owners: Vec<i64> = rows.iter().map(|r| r.owner_id).collect();
    let names = people(db, owners).await?;
    let escalation_ids: Vec<i64> = rows.iter().filter_map(|r| r.escalation_id).collect();
    let titles: HashMap<i64, String> = if escalation_ids.is_empty() {
        HashMap::new()
    } else {
        escalation::Entity::find()
            .filter(escalation::Column::Id.is_in(escalation_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| ActionItem {
            id: r.id,
            escalation_id: r.escalation_id.map(EscalationId),
            escalation_title: r.escalation_id.and_then(|e| titles.get(&e).cloned()),
            kind: ActionKind::parse(&r.kind).unwrap_or(ActionKind::Mitigation),
            title: r.title,
            owner: names
                .get(&r.owner_id)
                .cloned()
                .unwrap_or(crate::auth::Person {
                    id: UserId(r.owner_id),
                    name: format!("User {}", r.owner_id),
                }),
            due_at: r.due_at,
            done: r.done,
            done_at: r.done_at,
            version: r.version,
        })
        .collect())
}

/// Inserts a validated item inside `txn` and records it.
pub async fn insert_in<C: ConnectionTrait>(
    txn: &C,
    by: &Actor,
    escalation: Option<(EscalationId, crate::launch::LaunchId)>,
    valid: ValidAction,
) -> Result<row::Model, AppError> {
    require_person(txn, "owner_id", valid.owner_id, &[]).await?;
    let model = row::ActiveModel {
        escalation_id: Set(escalation.map(|(e, _)| e.0)),
        kind: Set(valid.kind.as_str().into()),
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
    let mut event = NewEvent::new("action_item", model.id, "action_item.created").payload(json!({
        "title": model.title, "kind": model.kind, "owner_id": model.owner_id, "due": model.due_at,
    }));
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
    let esc = crate::escalation::service::find_row(&*txn, escalation_id).await?;
    let model = insert_in(
        &*txn,
        actor,
        Some((escalation_id, crate::launch::LaunchId(esc.launch_id))),
        valid,
    )
    .await?;
    txn.commit().await?;
    Ok(to_wire(&db.conn, vec![model]).await?.remove(0))
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
    let current = row::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Action item {id} does not exist.")))?;
    let current_wire = || async { to_wire(&*txn, vec![current.clone()]).await };
    if current.version != version {
        let item = current_wire().await?.remove(0);
        return Err(AppError::conflict(
            "This action item changed since you loaded it.",
            serde_json::to_value(item).ok(),
        ));
    }
    if current.done == done {
        return Ok(current_wire().await?.remove(0));
    }
    let now = Utc::now();
    let Some(updated) = row::Entity::update_many()
        .col_expr(row::Column::Done, Expr::value(done))
        .col_expr(row::Column::DoneAt, Expr::value(done.then_some(now)))
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .filter(row::Column::Id.eq(id))
        .filter(row::Column::Version.eq(version))
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
        Some(e) => Some(
            crate::escalation::service::find_row(&*txn, EscalationId(e))
                .await?
                .launch_id,
        ),
        None => None,
    };
    let mut event = NewEvent::new(
        "action_item",
        id,
        if done {
            "action_item.done"
        } else {
            "action_item.reopened"
        },
    )
    .payload(json!({ "done": done, "version": updated.version }));
    if let Some(e) = updated.escalation_id {
        event = event.escalation(EscalationId(e));
    }
    if let Some(l) = launch {
        event = event.launch(crate::launch::LaunchId(l));
    }
    append(&*txn, &actor.into(), event).await?;
    txn.commit().await?;
    Ok(to_wire(&db.conn, vec![updated]).await?.remove(0))
}

/// An escalation's action items, overdue first. Anyone signed in.
pub async fn for_escalation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<Vec<ActionItem>, AppError> {
    actor.require(Permission::Read)?;
    let rows = row::Entity::find()
        .filter(row::Column::EscalationId.eq(escalation.0))
        .order_by_asc(row::Column::DueAt)
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
    let rows = row::Entity::find()
        .filter(row::Column::OwnerId.eq(owner.0))
        .filter(row::Column::Done.eq(false))
        .order_by_asc(row::Column::DueAt)
        .all(db)
        .await?;
    let mut items = to_wire(db, rows).await?;
    sort_for_work(&mut items, Utc::now());
    Ok(items)
}
