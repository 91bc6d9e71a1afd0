//! The `decision_requests` table: decisions asked of one person, with their due time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decision_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub escalation_id: i64,
    pub update_id: Option<i64>,
    pub question: String,
    pub addressed_to: i64,
    pub requested_by: i64,
    pub opened_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub decision_id: Option<i64>,
    pub stall_notified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
