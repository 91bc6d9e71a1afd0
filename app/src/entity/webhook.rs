//! The `webhooks` table: where events are POSTed, and each one's place in the event log.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub url: String,
    /// The event kinds it wants, as a JSON array (`["*"]`: all it may carry).
    pub events: String,
    pub launch_id: Option<i64>,
    /// `json` or `slack`.
    pub format: String,
    pub secret: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    /// The last event id dealt with: delivered, not matching, or given up.
    pub cursor: i64,
    /// Failed attempts at the event after `cursor`.
    pub attempts: i32,
    pub failing_since: Option<DateTimeUtc>,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub lease_until: Option<DateTimeUtc>,
    pub lease_holder: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
