//! The `meetings` table: urgent meetings called about stalled decision requests.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub escalation_id: i64,
    pub called_by: i64,
    pub starts_at: DateTimeUtc,
    /// JSON array of user ids.
    pub participants: String,
    pub agenda: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
