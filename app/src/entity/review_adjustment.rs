//! The `review_adjustments` table: the typed changes a governance review proposes and adopts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_adjustments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub review_id: i64,
    /// `runbook`, `raci_template`, `criteria_template` or `cadence`.
    pub kind: String,
    /// The change as JSON (`review::Change`).
    pub change: String,
    pub reason: String,
    /// The version of what it changes when it was proposed (a runbook version, a cadence's).
    pub base: i64,
    /// `proposed` or `adopted`.
    pub status: String,
    /// What adopting it made, in words ("Runbook version 5").
    pub result: Option<String>,
    pub proposed_by: i64,
    pub proposed_at: DateTimeUtc,
    pub adopted_by: Option<i64>,
    pub adopted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
