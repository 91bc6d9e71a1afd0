//! Each person's secret iCalendar feed: the address (made on first asking, revoked on
//! request) and the feed itself, their meetings from a week back to the booking horizon.

use super::HORIZON_DAYS;
use super::row::ends_at;
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::db::versioned::insert_if_absent;
use crate::entity::{calendar_feed, launch, meeting as meeting_row};
use crate::error::AppError;
use crate::meeting::ical::{FeedEvent, calendar};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// The path of a feed: `/calendar/{token}.ics`.
pub fn path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

/// The caller's feed token, made the first time they ask (anyone signed in).
pub async fn token(db: &Db, actor: &Actor, now: DateTime<Utc>) -> Result<String, AppError> {
    actor.require(Permission::Read)?;
    if let Some(feed) = calendar_feed::Entity::find_by_id(actor.id.0)
        .one(&db.conn)
        .await?
    {
        return Ok(feed.token);
    }
    let txn = db.write().await?;
    let made = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    insert_if_absent(
        &*txn,
        calendar_feed::ActiveModel {
            user_id: Set(actor.id.0),
            token: Set(made),
            created_at: Set(now),
        },
        [calendar_feed::Column::UserId],
    )
    .await?;
    let feed = calendar_feed::Entity::find_by_id(actor.id.0)
        .one(&*txn)
        .await?
        .ok_or(AppError::Internal)?;
    txn.commit().await?;
    Ok(feed.token)
}

/// The person's feed token, if they have one.
pub async fn existing(
    db: &impl ConnectionTrait,
    person: crate::auth::UserId,
) -> Result<Option<String>, AppError> {
    Ok(calendar_feed::Entity::find_by_id(person.0)
        .one(db)
        .await?
        .map(|f| f.token))
}

/// Revokes the caller's feed: its address stops working; asking again makes a new one.
pub async fn revoke(db: &Db, actor: &Actor) -> Result<(), AppError> {
    actor.require(Permission::Read)?;
    let txn = db.write().await?;
    calendar_feed::Entity::delete_by_id(actor.id.0)
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The feed behind `token` (no sign-in: the token is the key), or `None` for an unknown or
/// revoked one or a deactivated person's. `link` makes a page's absolute address.
pub async fn feed(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
    link: impl Fn(&str) -> String,
) -> Result<Option<String>, AppError> {
    let Some(owner) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::Token.eq(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(person) =
        crate::auth::service::active_user(db, crate::auth::UserId(owner.user_id)).await?
    else {
        return Ok(None);
    };
    let meetings: Vec<meeting_row::Model> = meeting_row::Entity::find()
        .filter(meeting_row::Column::StartsAt.gte(now - Duration::days(7)))
        .filter(meeting_row::Column::StartsAt.lte(now + Duration::days(HORIZON_DAYS)))
        .order_by_asc(meeting_row::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|m| {
            serde_json::from_str::<Vec<i64>>(&m.participants)
                .is_ok_and(|ids| ids.contains(&person.id))
        })
        .collect();
    let launches: HashMap<i64, String> = launch::Entity::find()
        .filter(launch::Column::Id.is_in(meetings.iter().map(|m| m.launch_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let events: Vec<FeedEvent> = meetings
        .iter()
        .map(|m| {
            let url = link(&format!("/meetings/{}", m.id));
            let launch = launches.get(&m.launch_id).map_or("", String::as_str);
            FeedEvent {
                uid: format!("meeting-{}@flare", m.id),
                title: format!("{} · {launch}", m.title),
                starts_at: m.starts_at,
                ends_at: ends_at(m),
                description: format!("Agenda and minutes: {url}"),
                url,
            }
        })
        .collect();
    Ok(Some(calendar(
        &format!("Flare meetings for {}", person.name),
        &events,
        now,
    )))
}
