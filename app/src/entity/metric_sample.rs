//! The `metric_samples` table: one value of one launch metric at one instant.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "metric_samples")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub launch_id: i64,
    pub metric: String,
    pub value: f64,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
