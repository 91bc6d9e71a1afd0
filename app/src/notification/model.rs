//! Notification wire types.

use crate::escalation::EscalationId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    OwnerAssigned,
    DecisionRequested,
    DecisionStalled,
    WorkaroundExpired,
    ActionOverdue,
    MeetingCalled,
    /// A success criterion of a launch you are on duty for (or lead) was breached.
    CriterionBreached,
    /// A breached criterion recovered: consider de-escalating the escalation you own.
    DeescalationSuggested,
    /// An escalation you are a stakeholder of was raised.
    EscalationRaised,
    /// An escalation you are a stakeholder of was resolved (with its outcome).
    EscalationResolved,
    /// An escalation you own or lead was not acknowledged in the runbook's time.
    AcknowledgementMissed,
    /// An escalation you own or lead missed its stand-up update cadence.
    UpdateMissed,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OwnerAssigned => "owner_assigned",
            Self::DecisionRequested => "decision_requested",
            Self::DecisionStalled => "decision_stalled",
            Self::WorkaroundExpired => "workaround_expired",
            Self::ActionOverdue => "action_overdue",
            Self::MeetingCalled => "meeting_called",
            Self::CriterionBreached => "criterion_breached",
            Self::DeescalationSuggested => "deescalation_suggested",
            Self::EscalationRaised => "escalation_raised",
            Self::EscalationResolved => "escalation_resolved",
            Self::AcknowledgementMissed => "acknowledgement_missed",
            Self::UpdateMissed => "update_missed",
        }
    }

    pub const ALL: [Self; 12] = [
        Self::OwnerAssigned,
        Self::DecisionRequested,
        Self::DecisionStalled,
        Self::WorkaroundExpired,
        Self::ActionOverdue,
        Self::MeetingCalled,
        Self::CriterionBreached,
        Self::DeescalationSuggested,
        Self::EscalationRaised,
        Self::EscalationResolved,
        Self::AcknowledgementMissed,
        Self::UpdateMissed,
    ];

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub escalation_id: Option<EscalationId>,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}
