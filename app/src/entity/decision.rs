//! The `decisions` table: every decision recorded on an escalation, append-only (a
//! correction is a new row naming what it corrects).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub escalation_id: i64,
    pub request_id: Option<i64>,
    pub decision: String,
    pub rationale: String,
    pub decided_by: i64,
    /// JSON array of user ids.
    pub participants: String,
    pub corrects_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
