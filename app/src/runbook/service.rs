//! Reading and versioning runbooks: the default one, and a pilot launch's own. Every save is
//! a new version (numbered across all runbooks, so a number names one version); `row` turns
//! a stored version into what the client sees.

mod row;
pub mod steps;

pub use row::{from_row, runbooks_from_rows};

use super::model::{BUILT_IN, Runbook, Runbooks, VersionEntry};
use crate::auth::model::{Actor, Permission, Person, UserId};
use crate::db::Db;
use crate::db::versioned::insert_if_absent;
use crate::entity::{runbook_version as runbook_row, user};
use crate::error::AppError;
use crate::event::change::RunbookUpdated;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The newest version of one runbook: a launch's own, or (`None`) the default one.
async fn newest<C: ConnectionTrait>(
    db: &C,
    launch: Option<LaunchId>,
) -> Result<Option<runbook_row::Model>, AppError> {
    let column = runbook_row::Column::LaunchId;
    Ok(runbook_row::Entity::find()
        .filter(match launch {
            Some(id) => column.eq(id.0),
            None => column.is_null(),
        })
        .order_by_desc(runbook_row::Column::Version)
        .one(db)
        .await?)
}

/// The current default runbook: its newest saved version, or the built-in defaults (version 1).
pub async fn current<C: ConnectionTrait>(db: &C) -> Result<Runbook, AppError> {
    match newest(db, None).await? {
        Some(row) => with_author(db, &row).await,
        None => Ok(Runbook::default()),
    }
}

/// The runbook a launch runs on: its own (a pilot's) if it has one, else the default.
pub async fn for_launch<C: ConnectionTrait>(db: &C, launch: LaunchId) -> Result<Runbook, AppError> {
    match newest(db, Some(launch)).await? {
        Some(row) => with_author(db, &row).await,
        None => current(db).await,
    }
}

/// The version an escalation raised now on `launch` records.
pub async fn version_for<C: ConnectionTrait>(db: &C, launch: LaunchId) -> Result<i64, AppError> {
    let own = newest(db, Some(launch)).await?;
    let row = match own {
        Some(row) => Some(row),
        None => newest(db, None).await?,
    };
    Ok(row.map_or(1, |r| r.version))
}

/// One whole version by its number; version 1 is the built-in defaults.
pub async fn version<C: ConnectionTrait>(db: &C, number: i64) -> Result<Runbook, AppError> {
    match runbook_row::Entity::find_by_id(number).one(db).await? {
        Some(row) => with_author(db, &row).await,
        None if number == 1 => Ok(Runbook::default()),
        None => Err(AppError::not_found(format!(
            "Runbook version {number} does not exist."
        ))),
    }
}

/// The versions escalations were raised under, by number (the defaults always among them).
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    numbers: impl IntoIterator<Item = i64>,
) -> Result<Runbooks, AppError> {
    let mut numbers: Vec<i64> = numbers.into_iter().filter(|n| *n != 1).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let rows = if numbers.is_empty() {
        Vec::new()
    } else {
        runbook_row::Entity::find()
            .filter(runbook_row::Column::Version.is_in(numbers))
            .all(db)
            .await?
    };
    runbooks_from_rows(rows.into_iter().map(|r| (r.version, r.body)))
}

/// Every version, newest first, ending with version 1, the built-in defaults.
pub async fn history<C: ConnectionTrait>(db: &C) -> Result<Vec<VersionEntry>, AppError> {
    let rows = runbook_row::Entity::find()
        .order_by_desc(runbook_row::Column::Version)
        .all(db)
        .await?;
    let authors: std::collections::HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.created_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut entries: Vec<VersionEntry> = rows
        .into_iter()
        .map(|r| VersionEntry {
            version: r.version,
            at: Some(r.created_at),
            author: r.created_by.and_then(|id| {
                authors.get(&id).map(|name| Person {
                    id: UserId(id),
                    name: name.clone(),
                })
            }),
            reason: r.reason,
            launch_id: r.launch_id.map(LaunchId),
        })
        .collect();
    if !entries.iter().any(|e| e.version == 1) {
        entries.push(VersionEntry::from(&Runbook::default()));
    }
    Ok(entries)
}

/// A stored version with its author's name.
async fn with_author<C: ConnectionTrait>(
    db: &C,
    row: &runbook_row::Model,
) -> Result<Runbook, AppError> {
    let mut book = Runbook::try_from(row)?;
    if let Some(id) = row.created_by {
        book.author = user::Entity::find_by_id(id).one(db).await?.map(|u| Person {
            id: UserId(u.id),
            name: u.name,
        });
    }
    Ok(book)
}

/// The 409 for a save from a version someone else moved past, with the runbook as it is now.
fn stale(current: &Runbook) -> AppError {
    AppError::conflict(
        "The runbook changed since you opened it.",
        serde_json::to_value(current).ok(),
    )
}

/// Saves a new version of the default runbook or of `edited.launch_id`'s own (facilitators
/// and admins) with `edited.reason`. `edited.version` must be the version that runbook is at
/// (a launch without its own: the default's), or the answer is 409 with it as it is now.
pub async fn save(db: &Db, actor: &Actor, edited: &Runbook) -> Result<Runbook, AppError> {
    actor.require(Permission::Facilitate)?;
    let txn = db.write().await?;
    let saved = save_in(&txn, actor, edited).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `save` inside the caller's write transaction (a governance review adopting a change saves
/// the version and marks the change adopted together). The caller checks who may.
pub async fn save_in(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    edited: &Runbook,
) -> Result<Runbook, AppError> {
    let mut next = edited.clone();
    next.reason = next.reason.trim().to_string();
    // A client that sends back what it read sends version 1's reason, which is not this one's.
    if next.reason == BUILT_IN {
        next.reason.clear();
    }
    for policy in &mut next.tiers {
        policy.steps = policy.steps.iter().map(|s| s.trim().to_string()).collect();
    }
    next.validate().map_err(AppError::invalid)?;
    next.tiers.sort_by_key(|p| p.tier);
    // Saves of every runbook take numbers from one sequence: hold the event chain's lock
    // (this save appends an event anyway) so that reading the current version, taking the
    // next number and inserting it happen as one step on PostgreSQL too (SQLite's write
    // transaction already serialises them).
    crate::event::service::lock_chain(txn).await?;
    if let Some(launch) = next.launch_id {
        crate::entity::launch::Entity::find_by_id(launch.0)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::invalid_field("launch_id", "is not an existing launch"))?;
    }
    let current = match next.launch_id {
        Some(launch) => for_launch(txn, launch).await?,
        None => current(txn).await?,
    };
    if current.version != edited.version {
        return Err(stale(&current));
    }
    let changes: Vec<_> = next
        .tiers
        .iter()
        .filter(|p| current.policy(p.tier) != **p)
        .cloned()
        .collect();
    if changes.is_empty() && current.launch_id == next.launch_id {
        return Ok(current);
    }
    let highest = runbook_row::Entity::find()
        .order_by_desc(runbook_row::Column::Version)
        .one(txn)
        .await?
        .map_or(1, |r| r.version);
    next.version = highest + 1;
    next.at = Some(Utc::now());
    next.author = Some(Person {
        id: actor.id,
        name: actor.name.clone(),
    });
    if next.reason.is_empty() {
        next.reason = "No reason given".into();
    }
    let model = runbook_row::ActiveModel {
        version: Set(next.version),
        body: Set(row::body(&next)?),
        created_at: Set(Utc::now()),
        created_by: Set(Some(actor.id.0)),
        reason: Set(next.reason.clone()),
        launch_id: Set(next.launch_id.map(|l| l.0)),
    };
    // The version is the row's key: a number taken meanwhile is a stale save, never a
    // second row.
    if insert_if_absent(txn, model, [runbook_row::Column::Version])
        .await?
        .is_none()
    {
        return Err(stale(&current));
    }
    append(
        txn,
        &actor.into(),
        NewEvent::new(
            "runbook",
            next.version,
            RunbookUpdated {
                version: next.version,
                tiers: changes,
                reason: Some(next.reason.clone()),
                launch_id: next.launch_id,
            },
        ),
    )
    .await?;
    Ok(next)
}
