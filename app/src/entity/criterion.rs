//! The `criteria` table: a launch's success criteria and their breach claims.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "criteria")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub launch_id: i64,
    pub name: String,
    pub kind: String,
    pub metric: String,
    pub comparator: String,
    pub threshold: f64,
    pub unit: Option<String>,
    pub window_minutes: Option<i32>,
    pub breach_tier: i16,
    pub breach_trigger: String,
    pub auto_escalate: bool,
    pub created_by: i64,
    pub version: i64,
    /// Set while the criterion is breached (by the one evaluation that saw it go).
    pub breached_at: Option<DateTimeUtc>,
    pub retired_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
