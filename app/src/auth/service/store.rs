//! A tower-sessions store on SeaORM, so sessions survive restarts and are shared by every
//! app server on one PostgreSQL. Rows are keyed by a hash of the session id: a copy of the
//! table does not let anyone take over a session.

use crate::auth::model::UserId;
use crate::db::Db;
use crate::entity::session;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};

#[derive(Clone, Debug)]
pub struct SeaOrmStore {
    db: Db,
    /// What this process last read or wrote per session (data, expiry). With idle expiry
    /// every request would otherwise rewrite its session row just to push the expiry on;
    /// unchanged data is written again only once the expiry has moved a minute.
    persisted: Arc<Mutex<HashMap<String, Persisted>>>,
}

/// A session's data and expiry as last read or written.
type Persisted = (serde_json::Value, DateTime<Utc>);

/// How far the idle expiry may lag before it is written again: a minute, or a tenth of the
/// time the session had left, whichever is less.
const EXPIRY_SLACK_SECONDS: i64 = 60;
/// Past this many remembered sessions the memory starts over (it is only a shortcut).
const REMEMBERED: usize = 50_000;

impl SeaOrmStore {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            persisted: Arc::default(),
        }
    }

    fn remember(&self, key: String, data: serde_json::Value, expires_at: DateTime<Utc>) {
        if let Ok(mut seen) = self.persisted.lock() {
            if seen.len() >= REMEMBERED {
                seen.clear();
            }
            seen.insert(key, (data, expires_at));
        }
    }

    /// Whether the row already holds `data` with an expiry only a little older.
    fn unchanged(&self, key: &str, data: &serde_json::Value, expires_at: DateTime<Utc>) -> bool {
        let now = Utc::now();
        self.persisted.lock().is_ok_and(|seen| {
            seen.get(key).is_some_and(|(stored, stored_expiry)| {
                let slack = ((*stored_expiry - now).num_milliseconds() / 10)
                    .min(EXPIRY_SLACK_SECONDS * 1000);
                stored == data && (expires_at - *stored_expiry).num_milliseconds() < slack
            })
        })
    }

    /// Deletes expired sessions; the server runs it now and then.
    pub async fn delete_expired(&self) -> std::result::Result<u64, DbErr> {
        let done = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db.conn)
            .await?;
        Ok(done.rows_affected)
    }
}

pub fn id_hash(id: &Id) -> String {
    hex::encode(Sha256::digest(id.0.to_le_bytes()))
}

fn backend(err: impl std::fmt::Display) -> Error {
    Error::Backend(err.to_string())
}

/// The signed-in user's id, read from axum-login's entry in the session data, so sessions
/// can be ended per user.
fn user_of(record: &Record) -> Option<i64> {
    record
        .data
        .values()
        .find_map(|v| v.get("user_id").and_then(serde_json::Value::as_i64))
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_default()
}

/// Ends every session of `user` (disabled accounts).
pub async fn end_sessions_of<C: ConnectionTrait>(
    db: &C,
    user: UserId,
) -> std::result::Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.0))
        .exec(db)
        .await?
        .rows_affected)
}

#[async_trait::async_trait]
impl tower_sessions::SessionStore for SeaOrmStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A fresh random id; retry on the (astronomically unlikely) collision.
        loop {
            let exists = session::Entity::find_by_id(id_hash(&record.id))
                .one(&self.db.conn)
                .await
                .map_err(backend)?;
            if exists.is_none() {
                return self.save(record).await;
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let value = serde_json::to_value(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let key = id_hash(&record.id);
        let expires_at = expiry(record);
        if self.unchanged(&key, &value, expires_at) {
            return Ok(());
        }
        let data = value.to_string();
        let row = session::ActiveModel {
            id_hash: Set(key.clone()),
            user_id: Set(user_of(record)),
            data: Set(data),
            expires_at: Set(expires_at),
        };
        session::Entity::insert(row)
            .on_conflict(
                OnConflict::column(session::Column::IdHash)
                    .update_columns([
                        session::Column::UserId,
                        session::Column::Data,
                        session::Column::ExpiresAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db.conn)
            .await
            .map_err(backend)?;
        self.remember(key, value, expires_at);
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = session::Entity::find_by_id(id_hash(id))
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db.conn)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let value: serde_json::Value =
            serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let data =
            serde_json::from_value(value.clone()).map_err(|e| Error::Decode(e.to_string()))?;
        self.remember(row.id_hash.clone(), value, row.expires_at);
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        if let Ok(mut seen) = self.persisted.lock() {
            seen.remove(&id_hash(id));
        }
        session::Entity::delete_by_id(id_hash(id))
            .exec(&self.db.conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
