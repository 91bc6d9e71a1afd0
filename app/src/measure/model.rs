//! Success criteria and metric samples as clients see them, their validation, and the one
//! place a criterion's status is worked out from its samples (pure, with the clock passed in).

pub use crate::escalation::model::number;
use crate::escalation::{Tier, Trigger};
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CriterionId(pub i64);

impl std::fmt::Display for CriterionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Gives a string-valued enum its wire names once: `ALL`, `as_str`, `parse` and the error a
/// bad value gets. (The enums themselves carry their serde names where they are declared,
/// so the OpenAPI document reads them too.)
macro_rules! wire_names {
    ($name:ident, $what:literal { $($variant:ident => $wire:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $wire, )+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }

            /// What a field of this type must be, for its error message.
            pub fn expected() -> String {
                let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                format!("must be one of {} ({})", all.join(", "), $what)
            }
        }
    };
}

/// What a criterion measures, as the protocol names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    ServiceLevel,
    DefectThreshold,
    CustomerExperience,
    Other,
}

wire_names! {
    CriterionKind, "the kind of criterion" {
        ServiceLevel => "service_level",
        DefectThreshold => "defect_threshold",
        CustomerExperience => "customer_experience",
        Other => "other",
    }
}

/// How the current value is compared with the threshold: the passing side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Comparator {
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = ">")]
    Above,
}

wire_names! {
    Comparator, "the comparator" {
        AtMost => "<=",
        AtLeast => ">=",
        Below => "<",
        Above => ">",
    }
}

/// A criterion's standing now (`CriterionStatus` in the OpenAPI document, apart from a
/// post-mortem's status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = CriterionStatus))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    AtRisk,
    Breached,
    NoData,
}

wire_names! {
    Status, "the status" {
        Met => "met",
        AtRisk => "at_risk",
        Breached => "breached",
        NoData => "no_data",
    }
}

impl Comparator {
    /// As people write it: `≤`, `≥`, `<`, `>`.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::AtMost => "≤",
            Self::AtLeast => "≥",
            Self::Below => "<",
            Self::Above => ">",
        }
    }

    /// Whether `value` is on the passing side of `threshold`.
    pub fn passes(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::AtMost => value <= threshold,
            Self::AtLeast => value >= threshold,
            Self::Below => value < threshold,
            Self::Above => value > threshold,
        }
    }
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "Met",
            Self::AtRisk => "At risk",
            Self::Breached => "Breached",
            Self::NoData => "No data",
        }
    }
}

/// The metrics Flare computes from its own data (drills never count). They can be used in
/// criteria like any fed metric but never fed.
pub const BUILTIN_METRICS: [&str; 6] = [
    "escalations.open",
    "escalations.open.tier1",
    "escalations.open.tier2",
    "defects.open",
    "actions.overdue",
    "decisions.stalled",
];

pub fn is_builtin(metric: &str) -> bool {
    BUILTIN_METRICS.contains(&metric)
}

/// One value of one metric at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MetricSample {
    pub metric: String,
    pub value: f64,
    pub at: DateTime<Utc>,
}

/// A success criterion as clients see it, with its status now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub id: CriterionId,
    pub launch_id: LaunchId,
    pub name: String,
    pub kind: CriterionKind,
    pub metric: String,
    pub comparator: Comparator,
    pub threshold: f64,
    pub unit: Option<String>,
    /// Read the mean over this many minutes instead of the latest value.
    pub window_minutes: Option<u32>,
    /// The tier of the escalation a breach raises.
    pub breach_tier: Tier,
    pub breach_trigger: Trigger,
    /// Whether a breach raises an escalation (otherwise it only tells the team).
    pub auto_escalate: bool,
    pub version: i64,
    pub status: Status,
    /// The latest value, or the mean over the window; none without data.
    pub current: Option<f64>,
    /// Since when it has been breached.
    pub breached_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Criterion {
    pub fn rule(&self) -> Rule {
        Rule {
            comparator: self.comparator,
            threshold: self.threshold,
            window_minutes: self.window_minutes,
        }
    }

    /// The rule in words: `Checkout p95 ≤ 800 ms`.
    pub fn rule_text(&self) -> String {
        let symbol = self.comparator.symbol();
        let unit = self
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let window = self
            .window_minutes
            .map(|m| format!(" (mean over {m} min)"))
            .unwrap_or_default();
        format!("{} {symbol} {}{unit}{window}", self.metric, self.threshold)
    }
}

/// What `POST …/metrics` answers: how many samples were stored and which criteria they put
/// in breach.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Recorded {
    pub accepted: usize,
    pub breaches: Vec<CriterionId>,
}

/// The criteria page: the launch, its criteria with their last day of values, and the
/// starter criteria not yet adopted (by their index in `starter_set()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriteriaView {
    pub launch_id: LaunchId,
    pub launch_name: String,
    pub criteria: Vec<CriterionTrend>,
    pub starters: Vec<(usize, String)>,
    /// What moved since this time yesterday (the daily review).
    pub review: SinceYesterday,
}

/// A criterion and its values over the last 24 hours, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionTrend {
    pub criterion: Criterion,
    pub values: Vec<f64>,
}

/// A criterion whose status moved over the last day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionChange {
    pub id: CriterionId,
    pub name: String,
    pub before: Status,
    pub now: Status,
    pub current: Option<f64>,
    pub unit: Option<String>,
}

/// The daily review: the criteria that moved since this time yesterday, and how many
/// breaches the last 24 hours saw — what the team reads to escalate or de-escalate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SinceYesterday {
    pub changes: Vec<CriterionChange>,
    pub breaches: u32,
}

mod draft;
mod rule;

pub use draft::{
    CriterionDraft, MAX_SAMPLES, SampleDraft, SamplesDraft, ValidCriterion, check_metric,
    starter_set,
};
pub use rule::{RECOVERY_SAMPLES, Reading, Rule, Sample};

#[cfg(test)]
mod tests;
