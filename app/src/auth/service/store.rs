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
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};

#[derive(Clone, Debug)]
pub struct SeaOrmStore {
    db: Db,
}

impl SeaOrmStore {
    pub fn new(db: Db) -> Self {
        Self { db }
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
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let row = session::ActiveModel {
            id_hash: Set(id_hash(&record.id)),
            user_id: Set(user_of(record)),
            data: Set(data),
            expires_at: Set(expiry(record)),
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
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = session::Entity::find_by_id(id_hash(id))
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db.conn)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        session::Entity::delete_by_id(id_hash(id))
            .exec(&self.db.conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
