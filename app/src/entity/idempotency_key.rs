//! The `idempotency_keys` table: the first answer to each `Idempotency-Key`, replayed for
//! 24 hours.

use sea_orm::entity::prelude::*;

/// A reserved `Idempotency-Key`: `response_status` is `None` while the request runs.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// Hex SHA-256 of the method and path the key was used on.
    pub request_scope: String,
    pub idempotency_key: String,
    /// Hex SHA-256 of the query string and body, to tell a retry from a different request.
    pub request_hash: String,
    pub response_status: Option<i32>,
    pub response_content_type: Option<String>,
    pub response_body: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
