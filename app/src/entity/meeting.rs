//! The `meetings` table: a cadence's meetings and the urgent meetings called about stalled
//! decision requests (kind `urgent`, with their request, escalation and caller).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub launch_id: i64,
    pub cadence_id: Option<i64>,
    /// `standup`, `review`, `workshop` or `urgent`.
    pub kind: String,
    pub title: String,
    pub request_id: Option<i64>,
    pub escalation_id: Option<i64>,
    pub called_by: Option<i64>,
    pub starts_at: DateTimeUtc,
    pub minutes_long: i32,
    /// JSON array of user ids.
    pub participants: String,
    /// An urgent meeting's agenda as written or generated when it was called.
    pub agenda: String,
    /// The generated agenda (JSON `[AgendaItem]`) as it stood when the meeting started; none
    /// before (the agenda is then computed afresh).
    pub agenda_items: Option<String>,
    pub minutes: String,
    pub created_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
