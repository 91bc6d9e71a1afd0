//! The remediation items a save names: ordinary action items of the escalation, created or
//! changed (each change versioned, with its event) in the save's transaction.

use crate::action::model::{ActionKind, ValidAction};
use crate::auth::model::Actor;
use crate::auth::service::require_person;
use crate::db::versioned::update_if_current;
use crate::entity::action_item;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::ActionItemUpdated;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::postmortem::model::ValidRemediation;
use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// Creates a remediation action item, or changes one of this escalation's.
pub(super) async fn save_remediation<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    id: EscalationId,
    launch: LaunchId,
    index: usize,
    item: ValidRemediation,
) -> Result<(), AppError> {
    let field = |f: &str| format!("remediation[{index}].{f}");
    require_person(txn, &field("owner_id"), item.owner_id, &[]).await?;
    let Some(action_id) = item.id else {
        let due_at = item
            .due_at
            .ok_or_else(|| AppError::invalid_field(&field("due"), "is required"))?;
        crate::action::service::insert_in(
            txn,
            actor,
            Some((id, launch)),
            ValidAction {
                title: item.title,
                owner_id: item.owner_id,
                due_at,
                kind: ActionKind::Remediation,
            },
        )
        .await?;
        return Ok(());
    };
    let current = action_item::Entity::find_by_id(action_id)
        .one(txn)
        .await?
        .filter(|r| r.escalation_id == Some(id.0) && r.kind == ActionKind::Remediation.as_str())
        .ok_or_else(|| {
            AppError::invalid_field(&field("id"), "is not a remediation item of this escalation")
        })?;
    let done = item.done.unwrap_or(current.done);
    let due_at = item.due_at.unwrap_or(current.due_at);
    if current.title == item.title
        && current.owner_id == item.owner_id
        && current.due_at == due_at
        && current.done == done
    {
        return Ok(());
    }
    let now = Utc::now();
    let mut model: action_item::ActiveModel = current.clone().into();
    model.title = Set(item.title.clone());
    model.owner_id = Set(item.owner_id);
    model.due_at = Set(due_at);
    model.done = Set(done);
    model.done_at = Set(if done {
        current.done_at.or(Some(now))
    } else {
        None
    });
    model.version = Set(current.version + 1);
    if update_if_current(txn, model, action_item::Column::Version, current.version)
        .await?
        .is_none()
    {
        let latest = action_item::Entity::find_by_id(action_id).one(txn).await?;
        let latest = crate::action::service::to_wire(txn, latest.into_iter().collect()).await?;
        return Err(AppError::conflict(
            format!("Remediation item {action_id} changed since you loaded it."),
            latest
                .first()
                .and_then(|item| serde_json::to_value(item).ok()),
        ));
    }
    append(
        txn,
        &actor.into(),
        NewEvent::new(
            "action_item",
            action_id,
            ActionItemUpdated {
                title: item.title,
                owner_id: item.owner_id,
                due: due_at,
                done,
                version: current.version + 1,
            },
        )
        .escalation(id)
        .launch(launch),
    )
    .await?;
    Ok(())
}
