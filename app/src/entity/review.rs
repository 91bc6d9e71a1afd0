//! The `reviews` table: one quarterly governance review per period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `2026-Q4`.
    #[sea_orm(unique)]
    pub period: String,
    /// `open` or `signed_off`.
    pub status: String,
    /// JSON array of user ids.
    pub participants: String,
    pub findings: String,
    pub signed_off_by: Option<i64>,
    pub signed_off_at: Option<DateTimeUtc>,
    /// The figures as they stood at sign-off (JSON `review::Figures`); none while open.
    pub figures: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
