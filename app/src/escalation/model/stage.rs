//! The stages an escalation moves through (the board's columns, then Closed) and the
//! protocol's rules for leaving Triggered and for closing.

use super::Tier;
use crate::error::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Kanban column, in board order; `Closed` is off the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Triggered,
    Triaged,
    Mitigating,
    AwaitingDecision,
    Resolved,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Self::Triggered,
        Self::Triaged,
        Self::Mitigating,
        Self::AwaitingDecision,
        Self::Resolved,
        Self::Closed,
    ];
    /// The board's columns, in order.
    pub const BOARD: [Stage; 5] = [
        Self::Triggered,
        Self::Triaged,
        Self::Mitigating,
        Self::AwaitingDecision,
        Self::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Triggered => "triggered",
            Self::Triaged => "triaged",
            Self::Mitigating => "mitigating",
            Self::AwaitingDecision => "awaiting_decision",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Triggered => "Triggered",
            Self::Triaged => "Triaged",
            Self::Mitigating => "Mitigating",
            Self::AwaitingDecision => "Awaiting decision",
            Self::Resolved => "Resolved",
            Self::Closed => "Closed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn is_open(self) -> bool {
        self != Self::Closed
    }
}

/// Leaving Triggered (acknowledging) needs someone with authority and a deadline.
pub fn may_leave_triggered(
    owner: Option<i64>,
    deadline: Option<DateTime<Utc>>,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if owner.is_none() {
        errors.insert(
            "owner_id".into(),
            "An owner with authority is needed before triage.".into(),
        );
    }
    if deadline.is_none() {
        errors.insert(
            "deadline".into(),
            "A deadline is needed before triage.".into(),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether an escalation may close: tiers 1–2 only with a published post-mortem; tiers 3–4
/// with a published one or a stated reason.
pub fn may_close(
    tier: Tier,
    postmortem_published: bool,
    reason: Option<&str>,
) -> Result<(), FieldErrors> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if postmortem_published || (!tier.is_major() && has_reason) {
        return Ok(());
    }
    let why = if tier.is_major() {
        "A tier 1–2 escalation closes only once its post-mortem is published."
    } else {
        "Give a reason for closing, or publish a post-mortem first."
    };
    let field = if tier.is_major() { "stage" } else { "reason" };
    Err(FieldErrors::from([(field.to_string(), why.to_string())]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip_and_the_board_omits_closed() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert!(!Stage::BOARD.contains(&Stage::Closed));
        assert_eq!(Stage::AwaitingDecision.label(), "Awaiting decision");
    }

    #[test]
    fn triage_needs_an_owner_and_a_deadline() {
        let errors = may_leave_triggered(None, None).unwrap_err();
        assert!(errors.contains_key("owner_id") && errors.contains_key("deadline"));
        assert!(may_leave_triggered(Some(1), Some(DateTime::UNIX_EPOCH)).is_ok());
    }

    #[test]
    fn major_tiers_need_a_published_postmortem() {
        let t1 = Tier::new(1).unwrap();
        assert!(may_close(t1, false, Some("duplicate")).is_err());
        assert!(may_close(t1, true, None).is_ok());
        let t3 = Tier::new(3).unwrap();
        assert!(
            may_close(t3, false, None)
                .unwrap_err()
                .contains_key("reason")
        );
        assert!(may_close(t3, false, Some("  ")).is_err());
        assert!(may_close(t3, false, Some("Duplicate of #12")).is_ok());
    }
}
