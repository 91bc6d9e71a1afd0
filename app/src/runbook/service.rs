//! Reading and versioning the runbook; `row` turns a stored version into what the client
//! sees.

mod row;

pub use row::from_row;

use super::model::Runbook;
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::db::versioned::insert_if_absent;
use crate::entity::runbook_version as runbook_row;
use crate::error::AppError;
use crate::event::change::RunbookUpdated;
use crate::event::service::{NewEvent, append};
use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Set};

/// The current runbook: the newest saved version, or DESIGN.md's defaults (version 1).
pub async fn current<C: ConnectionTrait>(db: &C) -> Result<Runbook, AppError> {
    let newest = runbook_row::Entity::find()
        .order_by_desc(runbook_row::Column::Version)
        .one(db)
        .await?;
    newest
        .as_ref()
        .map_or_else(|| Ok(Runbook::default()), Runbook::try_from)
}

/// The 409 for a save from a version someone else moved past, with the runbook as it is now.
fn stale(current: &Runbook) -> AppError {
    AppError::conflict(
        "The runbook changed since you opened it.",
        serde_json::to_value(current).ok(),
    )
}

/// Saves a new version (facilitators and admins). `edited.version` must be the current
/// version, or the answer is 409 with the current runbook (also when another save from the
/// same version won the race).
pub async fn save(db: &Db, actor: &Actor, edited: &Runbook) -> Result<Runbook, AppError> {
    actor.require(Permission::Facilitate)?;
    edited.validate().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let current = current(&*txn).await?;
    if current.version != edited.version {
        return Err(stale(&current));
    }
    let mut next = edited.clone();
    next.tiers.sort_by_key(|p| p.tier);
    next.version = current.version + 1;
    let changes: Vec<_> = next
        .tiers
        .iter()
        .filter(|p| current.policy(p.tier) != **p)
        .collect();
    if changes.is_empty() {
        return Ok(current);
    }
    let model = runbook_row::ActiveModel {
        version: Set(next.version),
        body: Set(serde_json::to_string(&next).map_err(AppError::internal)?),
        created_at: Set(Utc::now()),
        created_by: Set(Some(actor.id.0)),
    };
    // The version is the row's key: of two saves from the same version, one inserts it.
    if insert_if_absent(&*txn, model, [runbook_row::Column::Version])
        .await?
        .is_none()
    {
        return Err(stale(&self::current(&*txn).await?));
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "runbook",
            next.version,
            RunbookUpdated {
                version: next.version,
                tiers: changes.into_iter().cloned().collect(),
            },
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}
