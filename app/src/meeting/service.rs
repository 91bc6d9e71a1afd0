//! Cadences and their meetings: setting a cadence up (and a daily stand-up for a launch that
//! goes live), listing a launch's meetings, one meeting with its agenda, minutes and the
//! decisions recorded in it, and the scheduled upkeep that books the next meetings and keeps
//! each agenda as it stood when the meeting started.

mod cadence;
pub mod change;
mod facts;
pub mod feed;
mod row;

pub use cadence::{add_cadence, cadences, default_standup};

use super::model::{Meeting, MeetingKind, MinutesDraft};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::db::versioned::update_if_current;
use crate::entity::{cadence as cadence_row, launch as launch_row, meeting as meeting_row};
use crate::error::AppError;
use crate::event::change::MinutesWritten;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// How far ahead a cadence's meetings are booked.
pub const HORIZON_DAYS: i64 = 14;
/// The most past meetings a launch's list shows.
const PAST: u64 = 50;

/// A launch's meetings (anyone signed in): the upcoming and in-progress ones soonest first,
/// then the latest past ones, newest first.
pub async fn meetings(
    db: &impl ConnectionTrait,
    actor: &Actor,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<Vec<Meeting>, AppError> {
    actor.require(Permission::Read)?;
    existing_launch(db, launch).await?;
    let in_launch =
        || meeting_row::Entity::find().filter(meeting_row::Column::LaunchId.eq(launch.0));
    // A meeting that started up to a day ago may still be going on.
    let mut rows = in_launch()
        .filter(meeting_row::Column::StartsAt.gt(now - Duration::days(1)))
        .order_by_asc(meeting_row::Column::StartsAt)
        .all(db)
        .await?;
    let (current, ended): (Vec<_>, Vec<_>) = rows.drain(..).partition(|m| row::ends_at(m) > now);
    let mut past = in_launch()
        .filter(meeting_row::Column::StartsAt.lte(now - Duration::days(1)))
        .order_by_desc(meeting_row::Column::StartsAt)
        .limit(PAST)
        .all(db)
        .await?;
    let mut ended: Vec<_> = ended.into_iter().rev().collect();
    ended.append(&mut past);
    row::to_wire(db, current.into_iter().chain(ended).collect(), now, false).await
}

/// The next `most` meetings (and those in progress) of launches still running, soonest
/// first, with their launch's name.
pub async fn upcoming(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    most: u64,
) -> Result<Vec<(meeting_row::Model, String)>, AppError> {
    let running: std::collections::HashMap<i64, String> = launch_row::Entity::find()
        .filter(launch_row::Column::Status.is_in(["planning", "live"]))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let of_running = || {
        meeting_row::Entity::find()
            .filter(meeting_row::Column::LaunchId.is_in(running.keys().copied()))
            .order_by_asc(meeting_row::Column::StartsAt)
    };
    // Those going on (started in the last eight hours, not ended), then those to come.
    let mut rows: Vec<_> = of_running()
        .filter(meeting_row::Column::StartsAt.gt(now - Duration::hours(8)))
        .filter(meeting_row::Column::StartsAt.lte(now))
        .all(db)
        .await?;
    rows.extend(
        of_running()
            .filter(meeting_row::Column::StartsAt.gt(now))
            .limit(most)
            .all(db)
            .await?,
    );
    Ok(rows
        .into_iter()
        .filter(|m| row::ends_at(m) > now)
        .take(usize::try_from(most).unwrap_or(usize::MAX))
        .filter_map(|m| {
            let launch = running.get(&m.launch_id)?.clone();
            Some((m, launch))
        })
        .collect())
}

/// One meeting (anyone signed in), with its agenda, minutes and decisions.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Meeting, AppError> {
    actor.require(Permission::Read)?;
    let found = existing(db, id).await?;
    row::to_wire(db, vec![found], now, true)
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Writes a meeting's minutes (people who work escalations). With `version`, a save since is
/// a 409 with the meeting as it is now.
pub async fn write_minutes(
    db: &Db,
    actor: &Actor,
    id: i64,
    draft: &MinutesDraft,
    now: DateTime<Utc>,
) -> Result<Meeting, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let mut check = crate::validate::Checker::default();
    let minutes = check.text("minutes", draft.minutes.as_deref());
    if draft.minutes.is_none() {
        check.fail("minutes", "is required");
    }
    check.finish(()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let found = existing(&*txn, id).await?;
    let version = draft.version.unwrap_or(found.version);
    let stale = |found| async move {
        let current = get(&db.conn, actor, found, now).await?;
        Err::<Meeting, _>(AppError::conflict(
            "Someone saved these minutes since you opened them.",
            serde_json::to_value(current).ok(),
        ))
    };
    if version != found.version {
        drop(txn);
        return stale(id).await;
    }
    let written = update_if_current(
        &*txn,
        meeting_row::ActiveModel {
            id: Set(id),
            minutes: Set(minutes),
            version: Set(version + 1),
            ..Default::default()
        },
        meeting_row::Column::Version,
        version,
    )
    .await?;
    let Some(written) = written else {
        drop(txn);
        return stale(id).await;
    };
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "meeting",
            id,
            MinutesWritten {
                version: written.version,
            },
        )
        .launch(LaunchId(written.launch_id)),
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id, now).await
}

/// A launch that stops running (done or archived) meets no more: its cadences' meetings still
/// to come go, unless someone wrote minutes for one.
pub async fn cancel_future<C: ConnectionTrait>(
    txn: &C,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    meeting_row::Entity::delete_many()
        .filter(meeting_row::Column::LaunchId.eq(launch.0))
        .filter(meeting_row::Column::CadenceId.is_not_null())
        .filter(meeting_row::Column::StartsAt.gt(now))
        .filter(meeting_row::Column::Minutes.eq(""))
        .exec(txn)
        .await?;
    Ok(())
}

/// The scheduled upkeep: books each cadence's meetings over the next `HORIZON_DAYS` (for
/// launches still running) and keeps the agenda of each meeting that has started as it stood
/// then. Several app servers may run it at once: bookings are unique per cadence and start,
/// and an agenda is written only where none is. Returns how many agendas this server kept.
pub async fn keep_up(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let running: Vec<i64> = launch_row::Entity::find()
        .filter(launch_row::Column::Status.is_in(["planning", "live"]))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let cadences = cadence_row::Entity::find()
        .filter(cadence_row::Column::LaunchId.is_in(running))
        .all(&db.conn)
        .await?;
    for cadence in &cadences {
        if !cadence::unbooked(&db.conn, cadence, now).await?.is_empty() {
            // Under the lock a review's change takes, from the cadence as it is now.
            let txn = db.write().await?;
            crate::event::service::lock_chain(&*txn).await?;
            if let Some(fresh) = cadence_row::Entity::find_by_id(cadence.id)
                .one(&*txn)
                .await?
            {
                cadence::book(&*txn, &fresh, now).await?;
            }
            txn.commit().await?;
        }
    }
    let started = meeting_row::Entity::find()
        .filter(meeting_row::Column::AgendaItems.is_null())
        .filter(meeting_row::Column::Kind.ne(MeetingKind::Urgent.as_str()))
        .filter(meeting_row::Column::StartsAt.lte(now))
        .all(&db.conn)
        .await?;
    let mut kept = 0;
    for meeting in started {
        let items = facts::agenda_for(&db.conn, &meeting, meeting.starts_at).await?;
        let json = serde_json::to_string(&items).map_err(AppError::internal)?;
        let update = meeting_row::Entity::update_many()
            .col_expr(meeting_row::Column::AgendaItems, json.into())
            .filter(meeting_row::Column::Id.eq(meeting.id))
            .filter(meeting_row::Column::AgendaItems.is_null());
        let txn = db.write().await?;
        if crate::db::claim(update, &*txn).await? {
            kept += 1;
        }
        txn.commit().await?;
    }
    Ok(kept)
}

async fn existing(db: &impl ConnectionTrait, id: i64) -> Result<meeting_row::Model, AppError> {
    meeting_row::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Meeting {id} does not exist.")))
}

async fn existing_launch(
    db: &impl ConnectionTrait,
    id: LaunchId,
) -> Result<launch_row::Model, AppError> {
    launch_row::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Launch {} does not exist.", id.0)))
}
