//! The `runbook_versions` table: every saved version of a runbook's tier policies, the
//! default runbook's (`launch_id` none) and each pilot launch's own.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runbook_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i64,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i64>,
    /// Why it was saved.
    pub reason: String,
    /// The launch whose own runbook this is; none: the default runbook.
    pub launch_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
