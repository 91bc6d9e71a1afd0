//! The `idempotency_keys` table: reserving a key, recording the response, releasing it, and
//! purging expired keys.

use crate::entity::idempotency_key::{self as row, Entity as Keys};
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TryInsertResult,
};
use std::sync::atomic::{AtomicI64, Ordering};

fn keep_for() -> TimeDelta {
    TimeDelta::hours(24)
}

pub(super) enum Reserved {
    /// The key is ours: the request runs.
    Mine(i64),
    /// Another request holds (or held) the key.
    Taken(row::Model),
}

/// Reserves the key, or returns the row of whoever holds it; an expired key is removed and
/// the reservation tried again.
pub(super) async fn reserve(
    db: &DatabaseConnection,
    user_id: i64,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> Result<Reserved, DbErr> {
    for _ in 0..3 {
        let now = Utc::now();
        let reservation = row::ActiveModel {
            user_id: Set(user_id),
            request_scope: Set(scope.to_string()),
            idempotency_key: Set(key.to_string()),
            request_hash: Set(request_hash.to_string()),
            response_status: Set(None),
            response_content_type: Set(None),
            response_body: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        let inserted = Keys::insert(reservation)
            .on_conflict_do_nothing_on([
                row::Column::UserId,
                row::Column::RequestScope,
                row::Column::IdempotencyKey,
            ])
            .exec(db)
            .await?;
        if let TryInsertResult::Inserted(res) = inserted {
            return Ok(Reserved::Mine(res.last_insert_id));
        }
        let existing = Keys::find()
            .filter(row::Column::UserId.eq(user_id))
            .filter(row::Column::RequestScope.eq(scope))
            .filter(row::Column::IdempotencyKey.eq(key))
            .one(db)
            .await?;
        let Some(existing) = existing else {
            continue; // released meanwhile
        };
        if !is_stale(&existing, now) {
            return Ok(Reserved::Taken(existing));
        }
        // Conditional, so that of several requests finding it stale one removes it, and a
        // slow request completing meanwhile keeps its row.
        Keys::delete_many()
            .filter(row::Column::Id.eq(existing.id))
            .filter(stale_rows(now))
            .exec(db)
            .await?;
    }
    Err(DbErr::Custom(
        "idempotency key kept changing hands".to_string(),
    ))
}

/// Expired: older than a day, finished or not (an unfinished one may have committed before
/// its server stopped, so it is never taken over earlier).
fn is_stale(key: &row::Model, now: DateTime<Utc>) -> bool {
    key.created_at < now - keep_for()
}

fn stale_rows(now: DateTime<Utc>) -> Condition {
    Condition::all().add(row::Column::CreatedAt.lt(now - keep_for()))
}

pub(super) async fn record(
    db: &DatabaseConnection,
    id: i64,
    status: StatusCode,
    content_type: Option<String>,
    body: Option<String>,
) {
    let done = row::ActiveModel {
        id: Set(id),
        response_status: Set(Some(i32::from(status.as_u16()))),
        response_content_type: Set(content_type),
        response_body: Set(body),
        ..Default::default()
    };
    // On failure the key stays "in progress" (retries get 409) until it expires: better than
    // running the request twice.
    if let Err(err) = Keys::update(done).exec(db).await {
        tracing::error!(error = %err, "could not store a keyed response");
    }
}

pub(super) async fn release(db: &DatabaseConnection, id: i64) {
    if let Err(err) = Keys::delete_by_id(id).exec(db).await {
        tracing::error!(error = %err, "could not release an idempotency key");
    }
}

/// Deletes expired keys, at most once a minute per process.
pub(super) async fn purge_expired(db: &DatabaseConnection) {
    static LAST_PURGE: AtomicI64 = AtomicI64::new(0);
    let now = Utc::now();
    let last = LAST_PURGE.load(Ordering::Relaxed);
    if now.timestamp() - last < 60
        || LAST_PURGE
            .compare_exchange(last, now.timestamp(), Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let purged = Keys::delete_many().filter(stale_rows(now)).exec(db).await;
    if let Err(err) = purged {
        tracing::warn!(error = %err, "could not purge expired idempotency keys");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_expired_keys_are_stale() {
        let now = Utc::now();
        let key = |age: TimeDelta, status: Option<i32>| row::Model {
            id: 1,
            user_id: 1,
            request_scope: String::new(),
            idempotency_key: "k".into(),
            request_hash: String::new(),
            response_status: status,
            response_content_type: None,
            response_body: None,
            created_at: now - age,
        };
        assert!(!is_stale(&key(TimeDelta::hours(23), Some(201)), now));
        assert!(is_stale(&key(TimeDelta::hours(25), Some(201)), now));
        assert!(!is_stale(&key(TimeDelta::minutes(1), None), now));
    }
}
