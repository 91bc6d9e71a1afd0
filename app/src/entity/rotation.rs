//! The `rotations` table: a launch's escalation-team rotation, versioned.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rotations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub launch_id: i64,
    pub version: i64,
    pub body: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
