//! Setting cadences up, and booking their meetings.

use super::{HORIZON_DAYS, existing_launch};
use crate::auth::model::{Actor, Permission, Role};
use crate::db::Db;
use crate::db::versioned::insert_if_absent;
use crate::entity::{cadence as cadence_row, meeting as meeting_row, user};
use crate::error::AppError;
use crate::event::change::CadenceCreated;
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::meeting::clock;
use crate::meeting::model::{Cadence, CadenceDraft, Every, MeetingKind, parse_at};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

/// The longest meeting, in minutes.
const LONGEST: i64 = 8 * 60;

/// A cadence as checked: everything it needs to be stored and booked.
pub(super) struct ValidCadence {
    name: String,
    kind: MeetingKind,
    every: Every,
    at: NaiveTime,
    zone: Tz,
    minutes_long: i32,
    participants: Vec<Value>,
}

/// Checks a draft: a name, a kind (not `urgent`: those are called), how often, `HH:MM`, an
/// IANA zone, 5–480 minutes, and participants that are people or roles that exist.
async fn validate(
    db: &impl ConnectionTrait,
    draft: &CadenceDraft,
) -> Result<ValidCadence, AppError> {
    let mut check = crate::validate::Checker::default();
    let name = check.name("name", draft.name.as_deref());
    let kind = MeetingKind::parse(draft.kind.as_deref().unwrap_or_default())
        .filter(|k| *k != MeetingKind::Urgent);
    if kind.is_none() {
        check.fail("kind", "must be standup, review or workshop");
    }
    let every = Every::parse(draft.every.as_deref().unwrap_or_default());
    if every.is_none() {
        check.fail("every", "must be day, weekday or week");
    }
    let at = parse_at(draft.at.as_deref().unwrap_or_default().trim());
    if at.is_none() {
        check.fail("at", "must be a time of day as HH:MM, e.g. 09:00");
    }
    let zone = clock::zone(draft.timezone.as_deref().unwrap_or_default().trim());
    if zone.is_none() {
        check.fail("timezone", "must be an IANA time zone, e.g. Europe/Berlin");
    }
    let minutes_long = check.int_in("minutes_long", draft.minutes_long, 5..=LONGEST);
    let mut participants = Vec::new();
    if draft.participants.len() > crate::validate::MAX_IDS {
        check.fail("participants", "name at most 200 people or roles");
    }
    for p in draft.participants.iter().take(crate::validate::MAX_IDS) {
        let known = match p {
            Value::Number(n) => match n.as_i64() {
                Some(id) => crate::auth::service::active_user(db, crate::auth::UserId(id))
                    .await?
                    .is_some(),
                None => false,
            },
            Value::String(s) => s.strip_prefix("role:").and_then(Role::parse).is_some(),
            _ => false,
        };
        if !known {
            check.fail(
                "participants",
                "each must be the id of an active person or \"role:<name>\" (viewer, executive, member, facilitator, admin)",
            );
        } else if !participants.contains(p) {
            participants.push(p.clone());
        }
    }
    check.finish(()).map_err(AppError::invalid)?;
    match (kind, every, at, zone) {
        (Some(kind), Some(every), Some(at), Some(zone)) => Ok(ValidCadence {
            name,
            kind,
            every,
            at,
            zone,
            minutes_long: i32::try_from(minutes_long).map_err(AppError::internal)?,
            participants,
        }),
        _ => Err(AppError::Internal),
    }
}

/// A launch's cadences (anyone signed in), each with its next meeting.
pub async fn cadences(
    db: &impl ConnectionTrait,
    actor: &Actor,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<Vec<Cadence>, AppError> {
    actor.require(Permission::Read)?;
    existing_launch(db, launch).await?;
    cadence_row::Entity::find()
        .filter(cadence_row::Column::LaunchId.eq(launch.0))
        .all(db)
        .await?
        .iter()
        .map(|c| to_wire(c, now))
        .collect()
}

/// Sets up a cadence for a launch (facilitators): its meetings over the next two weeks are
/// booked at once.
pub async fn add_cadence(
    db: &Db,
    actor: &Actor,
    launch: LaunchId,
    draft: &CadenceDraft,
    now: DateTime<Utc>,
) -> Result<Cadence, AppError> {
    actor.require(Permission::Facilitate)?;
    let found = existing_launch(&db.conn, launch).await?;
    if !matches!(found.status.as_str(), "planning" | "live") {
        return Err(AppError::conflict(
            format!("{} is {}: it meets no more.", found.name, found.status),
            None,
        ));
    }
    let valid = validate(&db.conn, draft).await?;
    let txn = db.write().await?;
    let row = insert(&*txn, &actor.into(), actor.id.0, launch, valid, now).await?;
    txn.commit().await?;
    to_wire(&row, now)
}

/// The daily stand-up a launch gets when it goes live and has no cadence yet: every weekday
/// at 09:00 UTC for 15 minutes, with its escalation lead, its sponsor and the members.
pub async fn default_standup<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    by_id: i64,
    launch: &crate::entity::launch::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let any = cadence_row::Entity::find()
        .filter(cadence_row::Column::LaunchId.eq(launch.id))
        .one(txn)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let mut participants: Vec<Value> = [launch.lead_id, launch.sponsor_id]
        .into_iter()
        .flatten()
        .map(Value::from)
        .collect();
    participants.push(Value::from("role:member"));
    let standup = ValidCadence {
        name: "Daily stand-up".into(),
        kind: MeetingKind::Standup,
        every: Every::Weekday,
        at: NaiveTime::from_hms_opt(9, 0, 0).ok_or(AppError::Internal)?,
        zone: Tz::UTC,
        minutes_long: 15,
        participants,
    };
    insert(txn, by, by_id, LaunchId(launch.id), standup, now).await?;
    Ok(())
}

async fn insert<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    by_id: i64,
    launch: LaunchId,
    valid: ValidCadence,
    now: DateTime<Utc>,
) -> Result<cadence_row::Model, AppError> {
    let row = cadence_row::ActiveModel {
        launch_id: Set(launch.0),
        name: Set(valid.name.clone()),
        kind: Set(valid.kind.as_str().into()),
        every: Set(valid.every.as_str().into()),
        at: Set(valid.at.format("%H:%M").to_string()),
        timezone: Set(valid.zone.name().into()),
        minutes_long: Set(valid.minutes_long),
        participants: Set(serde_json::to_string(&valid.participants).map_err(AppError::internal)?),
        starts_on: Set(now.with_timezone(&valid.zone).date_naive()),
        created_by: Set(by_id),
        created_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    append(
        txn,
        by,
        NewEvent::new(
            "cadence",
            row.id,
            CadenceCreated {
                name: row.name.clone(),
                kind: row.kind.clone(),
                every: row.every.clone(),
                at: row.at.clone(),
                timezone: row.timezone.clone(),
                minutes_long: row.minutes_long,
            },
        )
        .launch(launch),
    )
    .await?;
    book(txn, &row, now).await?;
    Ok(row)
}

/// A stored cadence's schedule: how often, when, on which clock, from which day.
pub(super) fn schedule(row: &cadence_row::Model) -> Result<(Every, NaiveTime, Tz), AppError> {
    let broken = || AppError::internal(format!("cadence {} is not readable", row.id));
    Ok((
        Every::parse(&row.every).ok_or_else(broken)?,
        parse_at(&row.at).ok_or_else(broken)?,
        clock::zone(&row.timezone).ok_or_else(broken)?,
    ))
}

pub(super) fn to_wire(row: &cadence_row::Model, now: DateTime<Utc>) -> Result<Cadence, AppError> {
    let (every, at, zone) = schedule(row)?;
    Ok(Cadence {
        id: row.id,
        launch_id: row.launch_id,
        name: row.name.clone(),
        kind: MeetingKind::parse(&row.kind).unwrap_or(MeetingKind::Standup),
        every,
        at: row.at.clone(),
        timezone: row.timezone.clone(),
        minutes_long: row.minutes_long,
        participants: serde_json::from_str(&row.participants).map_err(AppError::internal)?,
        next_at: clock::next_start(every, at, zone, row.starts_on, now),
    })
}

/// The cadence's starts after `now` over the next `HORIZON_DAYS`: what is booked.
pub(super) fn starts(
    row: &cadence_row::Model,
    now: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let (every, at, zone) = schedule(row)?;
    let until = now + Duration::days(HORIZON_DAYS);
    let most = usize::try_from(3 * HORIZON_DAYS).unwrap_or(42);
    Ok(clock::upcoming(every, at, zone, row.starts_on, now, most)
        .into_iter()
        .filter(|s| *s <= until)
        .collect())
}

/// The starts over the next `HORIZON_DAYS` from `now` not booked yet.
pub(super) async fn unbooked<C: ConnectionTrait>(
    db: &C,
    row: &cadence_row::Model,
    now: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let booked: Vec<DateTime<Utc>> = meeting_row::Entity::find()
        .filter(meeting_row::Column::CadenceId.eq(row.id))
        .filter(meeting_row::Column::StartsAt.gt(now))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.starts_at)
        .collect();
    Ok(starts(row, now)?
        .into_iter()
        .filter(|s| !booked.contains(s))
        .collect())
}

/// Books the cadence's meetings from `now` over the next `HORIZON_DAYS`, each once (however
/// many servers book at the same time), its participants as they are now.
pub(super) async fn book<C: ConnectionTrait>(
    db: &C,
    row: &cadence_row::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let starts = unbooked(db, row, now).await?;
    if starts.is_empty() {
        return Ok(());
    }
    let people = serde_json::to_string(&participants(db, &row.participants).await?)
        .map_err(AppError::internal)?;
    for starts_at in starts {
        let meeting = meeting_row::ActiveModel {
            launch_id: Set(row.launch_id),
            cadence_id: Set(Some(row.id)),
            kind: Set(row.kind.clone()),
            title: Set(row.name.clone()),
            starts_at: Set(starts_at),
            minutes_long: Set(row.minutes_long),
            participants: Set(people.clone()),
            agenda: Set(String::new()),
            minutes: Set(String::new()),
            created_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        insert_if_absent(
            db,
            meeting,
            [
                meeting_row::Column::CadenceId,
                meeting_row::Column::StartsAt,
            ],
        )
        .await?;
    }
    Ok(())
}

/// The people a cadence names: its user ids and everyone active with a role it names.
async fn participants<C: ConnectionTrait>(db: &C, json: &str) -> Result<Vec<i64>, AppError> {
    let named: Vec<Value> = serde_json::from_str(json).map_err(AppError::internal)?;
    let roles: Vec<&str> = named
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("role:"))
        .collect();
    let mut ids: Vec<i64> = named.iter().filter_map(Value::as_i64).collect();
    if !roles.is_empty() {
        let holders = user::Entity::find()
            .filter(user::Column::Role.is_in(roles))
            .filter(user::Column::Active.eq(true))
            .all(db)
            .await?;
        ids.extend(holders.into_iter().map(|u| u.id));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
