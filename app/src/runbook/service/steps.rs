//! An escalation's checklist: its tier's escalation steps in the runbook version it was
//! raised under, which of them the owner ticked, by whom and when. Every tick is an event.

use crate::auth::model::{Actor, Permission, Person, UserId};
use crate::db::Db;
use crate::db::versioned::insert_if_absent;
use crate::entity::{escalation, escalation_step as step_row, user};
use crate::error::AppError;
use crate::escalation::{Escalation, EscalationId, Stage};
use crate::event::change::StepTicked;
use crate::event::service::{NewEvent, append};
use crate::runbook::model::Step;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The checklist of one escalation, step by step.
pub async fn checklist<C: ConnectionTrait>(
    db: &C,
    esc: &Escalation,
) -> Result<Vec<Step>, AppError> {
    let policy = super::version(db, esc.runbook_version)
        .await?
        .policy(esc.tier);
    let ticks = step_row::Entity::find()
        .filter(step_row::Column::EscalationId.eq(esc.id.0))
        .all(db)
        .await?;
    let names: std::collections::HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ticks.iter().map(|t| t.done_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(policy
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let tick = ticks.iter().find(|t| t.step as usize == i);
            Step {
                text,
                done_by: tick.map(|t| Person {
                    id: UserId(t.done_by),
                    name: names.get(&t.done_by).cloned().unwrap_or_default(),
                }),
                done_at: tick.map(|t| t.done_at),
            }
        })
        .collect())
}

/// Whether `actor` may tick the steps of `esc`: its owner, or a facilitator.
pub fn may_tick(actor: &Actor, esc: &Escalation) -> bool {
    actor.can(Permission::WorkEscalations)
        && (esc.owner_id == Some(actor.id) || actor.can(Permission::Facilitate))
}

/// Ticks (`done`) or unticks step `step` (from 0) of an escalation that is still open, and
/// returns its checklist. Ticking a ticked step again changes nothing and records nothing.
pub async fn tick(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    step: i64,
    done: bool,
) -> Result<Vec<Step>, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let txn = db.write().await?;
    let esc = Escalation::try_from(&escalation::find_existing(&*txn, id).await?)?;
    if !may_tick(actor, &esc) {
        return Err(AppError::forbidden(
            "Only the escalation's owner or a facilitator ticks its steps.",
        ));
    }
    if esc.stage == Stage::Closed {
        return Err(AppError::conflict("The escalation is closed.", None));
    }
    let steps = checklist(&*txn, &esc).await?;
    let Some(item) = usize::try_from(step).ok().and_then(|i| steps.get(i)) else {
        return Err(AppError::invalid_field(
            "step",
            format!("must be between 1 and {} (its tier's steps)", steps.len()),
        ));
    };
    if item.done_at.is_some() == done {
        return Ok(steps);
    }
    let key = (esc.id.0, step as i32);
    // Of two people ticking the same step at once, one records it.
    let changed = if done {
        let tick = step_row::ActiveModel {
            escalation_id: Set(key.0),
            step: Set(key.1),
            done_by: Set(actor.id.0),
            done_at: Set(Utc::now()),
        };
        let columns = [step_row::Column::EscalationId, step_row::Column::Step];
        insert_if_absent(&*txn, tick, columns).await?.is_some()
    } else {
        let gone = step_row::Entity::delete_by_id(key).exec(&*txn).await?;
        gone.rows_affected > 0
    };
    if !changed {
        return checklist(&*txn, &esc).await;
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "escalation",
            esc.id.0,
            StepTicked {
                step,
                text: item.text.clone(),
                done,
            },
        )
        .escalation(id)
        .launch(esc.launch_id),
    )
    .await?;
    let steps = checklist(&*txn, &esc).await?;
    txn.commit().await?;
    Ok(steps)
}
