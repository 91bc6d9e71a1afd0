//! Escalation queries and changes: permission check, validation, conditional updates that
//! never lose a concurrent change, and an event for every change.
//!
//! `row` turns a stored escalation into the wire type; `queries` reads; `raise`, `moves`
//! and `changes` are the mutations (raising; stage moves and triage; field changes and the
//! workaround).

mod changes;
mod moves;
mod queries;
mod raise;
mod row;

pub use changes::{patch, patch_in, set_workaround};
pub use moves::{move_to, transition, triage};
pub use queries::{count_by_stage, get, list, owned_by};
pub use raise::{Marks, create, create_at, insert as insert_raised};
pub(crate) use row::wire;
pub use row::{one_to_wire, stored_risk_posture, to_wire};

use super::model::time_ago;
use crate::entity::{escalation as stored, event as event_row};
use crate::error::AppError;
use crate::event::Payload;
use crate::event::change::{EscalationCreated, EscalationMoved};
use crate::event::service::to_wire as event_to_wire;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The 409 answer: the current state, and who changed it last and how.
async fn stale<C: ConnectionTrait>(db: &C, current: stored::Model) -> Result<AppError, AppError> {
    // The escalation's own last change (not, say, a notification about it).
    let last = event_row::Entity::find()
        .filter(event_row::Column::EscalationId.eq(current.id))
        .filter(event_row::Column::Entity.eq("escalation"))
        .order_by_desc(event_row::Column::Id)
        .one(db)
        .await?
        .map(event_to_wire);
    let current = one_to_wire(db, current).await?;
    let message = match last {
        Some(event) => {
            let what = match event.kind.as_str() {
                EscalationMoved::KIND => format!("moved to {}", current.stage.label()),
                EscalationCreated::KIND => "raised".to_string(),
                _ => "changed".to_string(),
            };
            format!(
                "This escalation was {what} by {} {}.",
                event.actor.name,
                time_ago(event.at, Utc::now())
            )
        }
        None => "This escalation changed since you loaded it.".to_string(),
    };
    Ok(AppError::conflict(
        message,
        serde_json::to_value(current).ok(),
    ))
}
