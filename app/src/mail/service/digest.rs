//! The daily digest: from `digest_hour` (UTC) each day, everyone who chose it (by default
//! the executives) is mailed launch health, the new tier 1–2 escalations, the decisions
//! taken and what waits on them. A digest is claimed per person and day (the primary key of
//! `mail_digests`), in the transaction that queues it, so it is made once across servers.

use super::super::template::{Item, Mail, Section};
use super::{choices_of, enqueue};
use crate::auth::model::Actor;
use crate::db::Db;
use crate::entity::{decision, decision_request, escalation, mail_digest, user};
use crate::error::AppError;
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

/// Queues today's digest for everyone who wants one and has not had it, once `now` is past
/// `hour`. Returns how many were queued.
pub async fn run_once(db: &Db, now: DateTime<Utc>, hour: u32) -> Result<u32, AppError> {
    if now.hour() < hour {
        return Ok(0);
    }
    let day = now.date_naive();
    let done: Vec<i64> = mail_digest::Entity::find()
        .select_only()
        .column(mail_digest::Column::UserId)
        .filter(mail_digest::Column::Day.eq(day))
        .into_tuple()
        .all(&db.conn)
        .await?;
    let people = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.is_not_in(done))
        .all(&db.conn)
        .await?;
    let mut queued = 0;
    for person in people {
        if !choices_of(&db.conn, &person).await?.daily_digest {
            continue;
        }
        match queue(db, &person, day, now).await {
            Ok(true) => queued += 1,
            Ok(false) => {}
            // One person's digest failing holds up nobody else's.
            Err(err) => tracing::warn!(%err, user = person.id, "daily digest not made"),
        }
    }
    Ok(queued)
}

/// Makes `person`'s digest (outside the write transaction: it reads a lot), then claims
/// the day and queues it in one short one. False if the day was already claimed.
async fn queue(
    db: &Db,
    person: &user::Model,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mail = compose(&db.conn, person, now).await?;
    let txn = db.write().await?;
    if !claim(&*txn, person.id, day, now).await? {
        return Ok(false);
    }
    enqueue(&*txn, person, "digest", &mail, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Claims `person`'s digest of `day`; false if another server (or pass) already did.
async fn claim<C: ConnectionTrait>(
    txn: &C,
    person: i64,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let row = mail_digest::ActiveModel {
        user_id: Set(person),
        day: Set(day),
        created_at: Set(now),
    };
    let inserted = mail_digest::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([mail_digest::Column::UserId, mail_digest::Column::Day])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(inserted == 1)
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The digest of the day before `now` as `person` may read it.
async fn compose<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
    now: DateTime<Utc>,
) -> Result<Mail, AppError> {
    let actor = Actor::try_from(person)?;
    let since = now - Duration::hours(24);
    let health = crate::dashboard::service::overview(db, &actor, now)
        .await?
        .into_iter()
        .map(|d| {
            let mut text = format!("{}: {}", d.launch_name, d.readiness.verdict.label());
            if !d.readiness.reasons.is_empty() {
                text.push_str(&format!(" — {}", d.readiness.reasons.join("; ")));
            }
            Item::new(text, Some(format!("/launches/{}/dashboard", d.launch_id)))
        })
        .collect();
    let raised = escalation::Entity::find()
        .filter(escalation::Column::Tier.lte(2))
        .filter(escalation::Column::Drill.eq(false))
        .filter(escalation::Column::CreatedAt.gte(since))
        .order_by_asc(escalation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| {
            Item::new(
                format!(
                    "#{} {} (tier {}, {})",
                    e.id,
                    e.title,
                    e.tier,
                    e.stage.replace('_', " ")
                ),
                Some(format!("/escalations/{}", e.id)),
            )
        })
        .collect();
    let taken = decision::Entity::find()
        .filter(decision::Column::CreatedAt.gte(since))
        .order_by_asc(decision::Column::Id)
        .all(db)
        .await?;
    let named = titles(db, taken.iter().map(|d| d.escalation_id)).await?;
    let decisions = taken
        .into_iter()
        .filter_map(|d| {
            let title = named.get(&d.escalation_id)?;
            Some(Item::new(
                format!("#{} {}: {}", d.escalation_id, title, d.decision),
                Some(format!("/escalations/{}", d.escalation_id)),
            ))
        })
        .collect();
    let asked = decision_request::Entity::find()
        .filter(decision_request::Column::AddressedTo.eq(person.id))
        .filter(decision_request::Column::AnsweredAt.is_null())
        .order_by_asc(decision_request::Column::DueAt)
        .all(db)
        .await?;
    let named = titles(db, asked.iter().map(|r| r.escalation_id)).await?;
    let waiting: Vec<Item> = asked
        .into_iter()
        .filter_map(|r| {
            let title = named.get(&r.escalation_id)?;
            let due = if r.due_at < now {
                "stalled since"
            } else {
                "due"
            };
            Some(Item::new(
                format!(
                    "{} — #{} {} ({due} {})",
                    r.question,
                    r.escalation_id,
                    title,
                    when(r.due_at)
                ),
                Some("/decisions".into()),
            ))
        })
        .collect();
    let subject = match waiting.len() {
        0 => format!("Flare daily digest, {}", now.format("%Y-%m-%d")),
        n => format!(
            "Flare daily digest, {}: {n} decision{} waiting on you",
            now.format("%Y-%m-%d"),
            if n == 1 { "" } else { "s" }
        ),
    };
    Ok(Mail {
        subject,
        lead: format!(
            "Hello {}. This is Flare's digest of the 24 hours to {}.",
            person.name,
            when(now)
        ),
        sections: vec![
            section("Waiting on you", waiting, "Nothing is waiting on you."),
            section("Launch health", health, "No launch is in planning or live."),
            section(
                "New tier 1–2 escalations",
                raised,
                "No tier 1–2 escalation was raised.",
            ),
            section("Decisions taken", decisions, "No decision was recorded."),
        ],
        reason: "You get this because you chose Flare's daily digest.".into(),
    })
}

fn section(heading: &str, items: Vec<Item>, empty: &str) -> Section {
    Section {
        heading: Some(heading.into()),
        items,
        empty: empty.into(),
    }
}

/// The titles of these escalations, drills left out.
async fn titles<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(escalation::Entity::find()
        .select_only()
        .column(escalation::Column::Id)
        .column(escalation::Column::Title)
        .filter(escalation::Column::Id.is_in(ids))
        .filter(escalation::Column::Drill.eq(false))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
