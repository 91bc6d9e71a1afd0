//! The `action_items` table: mitigation, root-cause and remediation work, each with an owner
//! and a due date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub escalation_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub owner_id: i64,
    pub due_at: DateTimeUtc,
    pub done: bool,
    pub done_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub version: i64,
    pub overdue_notified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
