//! The "Needs decision" reads: open requests, stalled first; one escalation's requests and
//! decision log; one decision.

use super::row::{decision_to_wire, decisions_to_wire, requests_to_wire};
use crate::auth::model::{Actor, Permission};
use crate::decision::model::{Decision, DecisionRequest, sort_for_attention};
use crate::entity::{decision as decision_row, decision_request as request_row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The open request of an escalation, if any.
pub async fn open_request_of<C: ConnectionTrait>(
    db: &C,
    escalation: i64,
) -> Result<Option<request_row::Model>, AppError> {
    Ok(request_row::Entity::find()
        .filter(request_row::Column::EscalationId.eq(escalation))
        .filter(request_row::Column::AnsweredAt.is_null())
        .one(db)
        .await?)
}

/// Every open decision request, stalled first. Anyone signed in.
pub async fn open_requests<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<DecisionRequest>, AppError> {
    actor.require(Permission::Read)?;
    let rows = request_row::Entity::find()
        .filter(request_row::Column::AnsweredAt.is_null())
        .order_by_asc(request_row::Column::DueAt)
        .all(db)
        .await?;
    let mut requests = requests_to_wire(db, rows).await?;
    sort_for_attention(&mut requests, Utc::now());
    Ok(requests)
}

/// One escalation's requests (newest first) and decision log (oldest first).
pub async fn for_escalation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<(Vec<DecisionRequest>, Vec<Decision>), AppError> {
    actor.require(Permission::Read)?;
    let requests = request_row::Entity::find()
        .filter(request_row::Column::EscalationId.eq(escalation.0))
        .order_by_desc(request_row::Column::Id)
        .all(db)
        .await?;
    let decisions = decision_row::Entity::find()
        .filter(decision_row::Column::EscalationId.eq(escalation.0))
        .order_by_asc(decision_row::Column::Id)
        .all(db)
        .await?;
    Ok((
        requests_to_wire(db, requests).await?,
        decisions_to_wire(db, &decisions).await?,
    ))
}

/// One decision of an escalation.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
    id: i64,
) -> Result<Decision, AppError> {
    actor.require(Permission::Read)?;
    let row = decision_row::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| d.escalation_id == escalation.0)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Decision {id} of escalation {escalation} does not exist."
            ))
        })?;
    decision_to_wire(db, &row).await
}
