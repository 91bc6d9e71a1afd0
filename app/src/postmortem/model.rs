//! Post-mortem wire types and their status: what the page and the REST API send and receive.
//! The sections are declared once in `sections` (key, label, prompt, what publishing needs);
//! a save is checked in `draft`; the four times are `times`; the export is `markdown`.
//! Reading the escalation's events (the computed times, the timeline's wording) belongs to
//! `super::timeline`, so nothing here depends on the event log.

mod draft;
mod markdown;
mod sections;
mod times;

pub use draft::{
    Applied, CorrectionDraft, ImpactDraft, NoteDraft, PostMortemDraft, RemediationDraft,
    TimesDraft, ValidRemediation,
};
pub use markdown::{md_text, to_markdown};
pub use sections::{
    Body, Declared, Prose, Required, Section, Sections, conflicts, missing_for_review,
};
pub use times::{Correction, Measure, Times, Timing, format_minutes};

use crate::auth::model::Person;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Draft,
    InReview,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::InReview => "In review",
            Self::Published => "Published",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Draft, Self::InReview, Self::Published]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// Who was affected and how much it cost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Named apart from the escalation's `Impact` scores, or the OpenAPI document merges the two.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = PostMortemImpact))]
pub struct Impact {
    pub customers_affected: Option<i64>,
    /// Revenue at risk or lost, in whole currency units.
    pub revenue: Option<i64>,
    /// Regions or customer segments.
    pub segments: Vec<String>,
}

/// A facilitator's marks on one timeline entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Note {
    pub pinned: bool,
    pub hidden: bool,
    pub note: String,
}

/// One entry of the timeline: an event of the escalation, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub event_id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub text: String,
    pub pinned: bool,
    pub hidden: bool,
    pub note: String,
}

/// A remediation item as the post-mortem shows it: an ordinary action item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Remediation {
    /// The action item's id.
    pub id: i64,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due: DateTime<Utc>,
    pub done: bool,
    pub overdue: bool,
}

/// A correction added after publishing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Addendum {
    pub at: DateTime<Utc>,
    pub author: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reviewer {
    pub id: i64,
    pub name: String,
    pub approved: bool,
}

/// `GET /api/v1/escalations/{id}/postmortem`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostMortem {
    pub escalation_id: EscalationId,
    pub escalation_title: String,
    pub launch_id: LaunchId,
    pub tier: u8,
    /// What resolving the escalation recorded: what was done …
    #[serde(default)]
    pub outcome: Option<String>,
    /// … and the risk that remained.
    #[serde(default)]
    pub risk_posture: Option<crate::escalation::RiskPosture>,
    pub status: Status,
    /// 0 until the first save.
    pub version: i64,
    pub summary: String,
    pub impact: Impact,
    /// When customers were first affected (defaults to when the escalation was raised).
    pub impact_started_at: DateTime<Utc>,
    pub times: Times,
    pub root_causes: Vec<String>,
    pub contributing_factors: String,
    pub went_well: String,
    pub went_poorly: String,
    pub got_lucky: String,
    pub learnings: String,
    pub remediation: Vec<Remediation>,
    pub timeline: Vec<TimelineEntry>,
    pub reviewers: Vec<Reviewer>,
    pub author: Option<Person>,
    pub addenda: Vec<Addendum>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The version at which each section last changed.
    pub changed: BTreeMap<String, i64>,
}

/// One post-mortem in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostMortemSummary {
    pub escalation_id: EscalationId,
    pub escalation_title: String,
    pub launch_id: LaunchId,
    pub launch_name: String,
    pub tier: u8,
    pub status: Status,
    pub open_remediation: i64,
    pub overdue_remediation: i64,
    pub updated_at: DateTime<Utc>,
}

/// Post-mortems with overdue remediation first, then open remediation, then newest.
pub fn sort_index(items: &mut [PostMortemSummary]) {
    items.sort_by(|a, b| {
        (b.overdue_remediation > 0)
            .cmp(&(a.overdue_remediation > 0))
            .then(b.overdue_remediation.cmp(&a.overdue_remediation))
            .then(b.open_remediation.cmp(&a.open_remediation))
            .then(b.updated_at.cmp(&a.updated_at))
    });
}

#[cfg(test)]
mod tests;
