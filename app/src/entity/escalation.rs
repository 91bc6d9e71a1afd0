//! The `escalations` table, `find_existing` (the one lookup every feature uses) and the
//! readers of its stored tier and stage (the one place a bad stored value becomes an error).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "escalations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub launch_id: i64,
    pub title: String,
    pub description: String,
    pub trigger: String,
    pub tier: i16,
    pub impact_customer: i16,
    pub impact_revenue: i16,
    pub impact_compliance: i16,
    pub priority: i32,
    pub stage: String,
    pub owner_id: Option<i64>,
    pub deadline: Option<DateTimeUtc>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub workaround: Option<String>,
    pub workaround_expires_at: Option<DateTimeUtc>,
    pub root_cause_item_id: Option<i64>,
    pub workaround_expired_at: Option<DateTimeUtc>,
    pub last_update_at: Option<DateTimeUtc>,
    pub decision_due_at: Option<DateTimeUtc>,
    pub previous_stage: Option<String>,
    /// The escalation team on duty when it was raised: `{"engineering_lead": 7, …}`.
    pub team: Option<String>,
    /// When customers were first affected; `None` means when it was raised.
    pub impact_started_at: Option<DateTimeUtc>,
    /// The success criterion whose breach raised it.
    pub criterion_id: Option<i64>,
    /// What the criterion read when its breach raised it, as JSON (`escalation::Breach`).
    pub breach: Option<String>,
    /// Raised by a drill: shown on the board, never counted.
    pub drill: bool,
    /// What was done, recorded on the move to Resolved.
    pub outcome: Option<String>,
    /// The risk posture recorded on the move to Resolved, as JSON (`escalation::RiskPosture`).
    pub risk_posture: Option<String>,
    /// When the missed acknowledgement was told (the one claim across app servers).
    pub ack_missed_at: Option<DateTimeUtc>,
    /// The update due time whose miss was last told.
    pub update_missed_due: Option<DateTimeUtc>,
    /// The runbook version it was raised under: its clocks keep that version's times.
    pub runbook_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The stored tier, or the internal error naming this row (never a silent default).
    pub fn read_tier(&self) -> Result<crate::escalation::Tier, crate::error::AppError> {
        crate::escalation::Tier::new(i64::from(self.tier)).ok_or_else(|| {
            crate::error::AppError::corrupt("escalation", self.id, "tier", self.tier)
        })
    }

    /// The stored stage, or the internal error naming this row (never a silent default).
    pub fn read_stage(&self) -> Result<crate::escalation::Stage, crate::error::AppError> {
        crate::escalation::Stage::parse(&self.stage).ok_or_else(|| {
            crate::error::AppError::corrupt("escalation", self.id, "stage", &self.stage)
        })
    }
}

/// The escalation with this id, or a "does not exist" error naming it. Every feature that
/// works on an escalation (actions, decisions, post-mortems) reads it here, so none of them
/// calls the escalation service for it, and the escalation service may call theirs.
pub async fn find_existing<C: ConnectionTrait>(
    db: &C,
    id: crate::escalation::EscalationId,
) -> Result<Model, crate::error::AppError> {
    Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| {
        crate::error::AppError::not_found(format!("Escalation {id} does not exist."))
    })
}
