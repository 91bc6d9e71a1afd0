//! A governance review's change to a cadence: checked when proposed (against the cadence's
//! version then), applied when adopted — unless the cadence moved since — by rebooking its
//! meetings that have not started.

use super::cadence::{book, starts, to_wire};
use crate::db::versioned::update_if_current;
use crate::entity::{cadence as cadence_row, launch, meeting as meeting_row};
use crate::error::AppError;
use crate::event::change::CadenceChanged;
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::meeting::clock;
use crate::meeting::model::{CadenceChange, Every, parse_at};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Every cadence of a running launch, as `(id, "Launch · name: when")`, for choosing one.
pub async fn choices(db: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, AppError> {
    let launches: std::collections::HashMap<i64, String> = launch::Entity::find()
        .filter(launch::Column::Status.is_in(["planning", "live"]))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    Ok(cadence_row::Entity::find()
        .filter(cadence_row::Column::LaunchId.is_in(launches.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let launch = launches.get(&c.launch_id).cloned().unwrap_or_default();
            let when = format!("every {} at {} ({})", c.every, c.at, c.timezone);
            (c.id, format!("{launch} · {}: {when}", c.name))
        })
        .collect())
}

/// Checks a proposed change: it names a cadence that exists and changes at least one thing,
/// each to a valid value. Answers the change and the cadence's version it is made against.
pub async fn check(
    db: &impl ConnectionTrait,
    change: &serde_json::Value,
) -> Result<(CadenceChange, i64), AppError> {
    let parsed: CadenceChange = serde_json::from_value(change.clone())
        .map_err(|e| AppError::invalid_field("change", format!("is not a cadence change: {e}")))?;
    let mut check = crate::validate::Checker::default();
    if let Some(every) = &parsed.every
        && Every::parse(every).is_none()
    {
        check.fail("change.every", "must be day, weekday or week");
    }
    if let Some(at) = &parsed.at
        && parse_at(at).is_none()
    {
        check.fail("change.at", "must be a time of day as HH:MM, e.g. 09:00");
    }
    if let Some(zone) = &parsed.timezone
        && clock::zone(zone).is_none()
    {
        check.fail(
            "change.timezone",
            "must be an IANA time zone, e.g. Europe/Berlin",
        );
    }
    if parsed.minutes_long.is_some_and(|m| !(5..=480).contains(&m)) {
        check.fail("change.minutes_long", "must be between 5 and 480");
    }
    let nothing = CadenceChange {
        cadence_id: parsed.cadence_id,
        ..Default::default()
    };
    if parsed == nothing {
        check.fail(
            "change",
            "must change at least one of how often, when, the time zone or the length",
        );
    }
    let found = cadence_row::Entity::find_by_id(parsed.cadence_id)
        .one(db)
        .await?;
    if found.is_none() {
        check.fail("change.cadence_id", "is not a cadence");
    }
    check.finish(()).map_err(AppError::invalid)?;
    let version = found.map(|c| c.version).ok_or(AppError::Internal)?;
    Ok((parsed, version))
}

/// Applies an adopted change inside the caller's transaction: 409 with the cadence as it is
/// now if it moved since `base`. Its meetings that have not started are booked again on the
/// new schedule. Answers what it made, in words.
pub async fn apply<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    change: &CadenceChange,
    base: i64,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    // Bookings (`keep_up`) take the same lock: none books from the cadence as it was.
    crate::event::service::lock_chain(txn).await?;
    let current = cadence_row::Entity::find_by_id(change.cadence_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("This cadence no longer exists."))?;
    let moved = || {
        AppError::conflict(
            format!(
                "The cadence changed since this was proposed (version {base} then, {} now): propose it again.",
                current.version
            ),
            to_wire(&current, now)
                .ok()
                .and_then(|c| serde_json::to_value(c).ok()),
        )
    };
    if current.version != base {
        return Err(moved());
    }
    let mut active: cadence_row::ActiveModel = current.clone().into();
    if let Some(every) = &change.every {
        active.every = Set(every.clone());
    }
    if let Some(at) = change.at.as_deref().and_then(parse_at) {
        active.at = Set(at.format("%H:%M").to_string());
    }
    let zone = change
        .timezone
        .as_deref()
        .map(str::trim)
        .and_then(clock::zone);
    if let Some(zone) = zone {
        active.timezone = Set(zone.name().to_string());
    }
    if let Some(m) = change.minutes_long {
        active.minutes_long = Set(i32::try_from(m).map_err(AppError::internal)?);
    }
    // A weekly cadence keeps meeting on its weekday; one that becomes weekly meets on
    // today's, on its own clock.
    if change.every.as_deref() == Some("week") && current.every != "week" {
        let zone = zone
            .or_else(|| clock::zone(&current.timezone))
            .unwrap_or(chrono_tz::Tz::UTC);
        active.starts_on = Set(now.with_timezone(&zone).date_naive());
    }
    active.version = Set(base + 1);
    let Some(saved) = update_if_current(txn, active, cadence_row::Column::Version, base).await?
    else {
        return Err(moved());
    };
    // Meetings still to come at a time the new schedule keeps stay (their ids, links and
    // any minutes), with the new length; those at a time it drops go unless they have
    // minutes; the new times are booked.
    let keeps = starts(&saved, now)?;
    let coming = meeting_row::Entity::find()
        .filter(meeting_row::Column::CadenceId.eq(saved.id))
        .filter(meeting_row::Column::StartsAt.gt(now))
        .all(txn)
        .await?;
    for m in coming {
        if keeps.contains(&m.starts_at) {
            meeting_row::Entity::update_many()
                .col_expr(meeting_row::Column::MinutesLong, saved.minutes_long.into())
                .filter(meeting_row::Column::Id.eq(m.id))
                .exec(txn)
                .await?;
        } else if m.minutes.trim().is_empty() {
            meeting_row::Entity::delete_by_id(m.id).exec(txn).await?;
        }
    }
    book(txn, &saved, now).await?;
    append(
        txn,
        by,
        NewEvent::new(
            "cadence",
            saved.id,
            CadenceChanged {
                every: saved.every.clone(),
                at: saved.at.clone(),
                timezone: saved.timezone.clone(),
                minutes_long: saved.minutes_long,
                version: saved.version,
            },
        )
        .launch(LaunchId(saved.launch_id)),
    )
    .await?;
    Ok(format!(
        "{}: every {} at {} ({}), {} minutes",
        saved.name, saved.every, saved.at, saved.timezone, saved.minutes_long
    ))
}
