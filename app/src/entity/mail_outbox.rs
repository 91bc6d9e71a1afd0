//! The `mail_outbox` table: mail waiting to be sent, being retried, sent or given up.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub to_address: String,
    /// The notification kind, or `digest`.
    pub kind: String,
    pub subject: String,
    /// The message as JSON (`mail::template::Mail`), rendered to text and HTML when sent.
    pub body: String,
    /// `queued` (until sent, retried on failure), `sent` or `gave_up` (after 24 h).
    pub state: String,
    pub created_at: DateTimeUtc,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub lease_holder: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
