//! The `escalation_steps` table: which of its tier's runbook steps an escalation's owner ticked.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "escalation_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub escalation_id: i64,
    /// The step's place in its tier's list, from 0.
    #[sea_orm(primary_key, auto_increment = false)]
    pub step: i32,
    pub done_by: i64,
    pub done_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
