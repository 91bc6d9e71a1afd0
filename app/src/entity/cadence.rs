//! The `cadences` table: a launch's recurring convenings.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cadences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub launch_id: i64,
    pub name: String,
    /// `standup`, `review` or `workshop`.
    pub kind: String,
    /// `day`, `weekday` or `week`.
    pub every: String,
    /// `HH:MM` on `timezone`'s wall clock.
    pub at: String,
    /// An IANA zone: `Europe/Berlin`.
    pub timezone: String,
    pub minutes_long: i32,
    /// JSON array of user ids (numbers) and roles (`"role:member"`).
    pub participants: String,
    /// The first day it may meet (a weekly cadence meets on this weekday).
    pub starts_on: Date,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
