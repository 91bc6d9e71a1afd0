//! Escalation wire types and the pure rules about them (priority, stages, validation).

mod breach;
mod draft;
mod outcome;
mod priority;
mod requests;
mod stage;
mod time;

pub use breach::{Breach, number};
pub use draft::{EscalationDraft, ImpactDraft, NewEscalation, RaiseForm};
pub use outcome::{Resolution, RiskLevel, RiskPosture, RiskPostureInput, may_resolve};
pub use priority::{Impact, Tier, priority, raised};
pub use requests::{
    EscalationPatch, MoveRequest, TriageRequest, ValidMove, ValidWorkaround, WorkaroundRequest,
};
pub use stage::{Stage, may_close, may_leave_triggered};
pub use time::{local_to_rfc3339, time_ago};

use crate::auth::model::{Person, UserId};
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct EscalationId(pub i64);

impl std::fmt::Display for EscalationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What set the protocol off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    PlanDeviation,
    CustomerDefect,
    RiskForecast,
}

impl Trigger {
    pub const ALL: [Trigger; 3] = [
        Self::PlanDeviation,
        Self::CustomerDefect,
        Self::RiskForecast,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PlanDeviation => "plan_deviation",
            Self::CustomerDefect => "customer_defect",
            Self::RiskForecast => "risk_forecast",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PlanDeviation => "Plan deviation",
            Self::CustomerDefect => "Customer defect",
            Self::RiskForecast => "Risk forecast",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// An escalation as clients see it (also the REST `Escalation`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Escalation {
    pub id: EscalationId,
    pub launch_id: LaunchId,
    pub title: String,
    pub description: String,
    pub trigger: Trigger,
    pub tier: Tier,
    pub impact: Impact,
    pub priority: u8,
    pub stage: Stage,
    /// Who holds authority to commit resources for it.
    pub owner_id: Option<UserId>,
    pub owner: Option<Person>,
    /// When the owner must have it resolved (UTC).
    pub deadline: Option<DateTime<Utc>>,
    /// When it first left `triggered`.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Optimistic-locking version: every change must carry the one the client last saw.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The newest stand-up update.
    pub last_update_at: Option<DateTime<Utc>>,
    /// When the open decision request is due (none open: none).
    pub decision_due_at: Option<DateTime<Utc>>,
    /// A temporary workaround, time-boxed; a root-cause follow-up must be done before expiry.
    pub workaround: Option<Workaround>,
    /// The escalation team on duty when it was raised, seat by seat (user ids).
    #[serde(default)]
    pub team: std::collections::BTreeMap<crate::team::FunctionalRole, i64>,
    /// The success criterion whose breach raised it.
    #[serde(default)]
    pub criterion_id: Option<i64>,
    /// What its criterion read when the breach raised it.
    #[serde(default)]
    pub breach: Option<Breach>,
    /// Raised by a drill: shown on the board with a DRILL badge, never counted.
    #[serde(default)]
    pub drill: bool,
    /// What was done, recorded when it was resolved.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The risk posture recorded when it was resolved.
    #[serde(default)]
    pub risk_posture: Option<RiskPosture>,
    /// The runbook version it was raised under: its clocks and steps keep that version's.
    #[serde(default = "first_runbook")]
    pub runbook_version: i64,
}

/// Escalations stored before runbooks were versioned ran on the built-in defaults.
fn first_runbook() -> i64 {
    1
}

/// A workaround with its time-box and root-cause follow-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Workaround {
    pub description: String,
    pub expires_at: DateTime<Utc>,
    /// The action item that fixes the root cause.
    pub root_cause_item_id: Option<i64>,
    /// Set when the time-box ran out with the root cause unfixed (the escalation then rose a tier).
    pub expired_at: Option<DateTime<Utc>>,
}
