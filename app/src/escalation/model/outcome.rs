//! What resolving an escalation records: its outcome and the updated risk posture — the
//! seed's "record the outcome, capture the updated risk posture" — and the rule that tiers
//! 1–2 may not resolve without them.

use super::Tier;
use crate::error::FieldErrors;
use crate::validate::Checker;
use serde::{Deserialize, Serialize};

/// How much risk the launch still carries from this escalation once it is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub const ALL: [Self; 3] = [Self::Low, Self::Medium, Self::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// The risk posture recorded on resolution: a level and a note on what remains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RiskPosture {
    pub level: RiskLevel,
    pub note: String,
}

impl RiskPosture {
    /// `High — the fallback gateway has no spare capacity` (or just the level).
    pub fn text(&self) -> String {
        if self.note.is_empty() {
            self.level.label().to_string()
        } else {
            format!("{} — {}", self.level.label(), self.note)
        }
    }
}

/// `risk_posture` as a client sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = RiskPostureRequest))]
pub struct RiskPostureInput {
    /// `low`, `medium` or `high`.
    pub level: Option<String>,
    pub note: Option<String>,
}

/// What a move to Resolved records (either part may be absent for tiers 3–4).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolution {
    pub outcome: Option<String>,
    pub risk_posture: Option<RiskPosture>,
}

impl Resolution {
    /// Checks a move's `outcome` and `risk_posture` (long text; a level of the three),
    /// blank parts read as absent.
    pub fn check(
        check: &mut Checker,
        outcome: Option<&str>,
        risk_posture: Option<&RiskPostureInput>,
    ) -> Self {
        let outcome = check.text("outcome", outcome);
        let risk_posture = risk_posture.and_then(|input| {
            let note = check.text("risk_posture.note", input.note.as_deref());
            match input.level.as_deref().map(str::trim) {
                None | Some("") if note.is_empty() => None,
                None | Some("") => {
                    check.fail("risk_posture.level", "is required with a note");
                    None
                }
                Some(level) => match RiskLevel::parse(level) {
                    Some(level) => Some(RiskPosture { level, note }),
                    None => {
                        check.fail("risk_posture.level", "must be low, medium or high");
                        None
                    }
                },
            }
        });
        Self {
            outcome: (!outcome.is_empty()).then_some(outcome),
            risk_posture,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.outcome.is_none() && self.risk_posture.is_none()
    }
}

/// Resolving a tier 1–2 escalation needs its outcome and the updated risk posture.
pub fn may_resolve(tier: Tier, resolution: &Resolution) -> Result<(), FieldErrors> {
    if !tier.is_major() {
        return Ok(());
    }
    let mut errors = FieldErrors::new();
    let why = format!("is required to resolve a {tier} escalation");
    if resolution.outcome.is_none() {
        errors.insert("outcome".into(), why.clone());
    }
    if resolution.risk_posture.is_none() {
        errors.insert("risk_posture.level".into(), why);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(t: i64) -> Tier {
        Tier::new(t).unwrap()
    }

    fn input(level: &str, note: &str) -> RiskPostureInput {
        RiskPostureInput {
            level: Some(level.into()),
            note: Some(note.into()),
        }
    }

    fn checked(outcome: Option<&str>, posture: Option<RiskPostureInput>) -> (Resolution, bool) {
        let mut check = Checker::default();
        let resolution = Resolution::check(&mut check, outcome, posture.as_ref());
        let failed = check.has_failed();
        (resolution, failed)
    }

    #[test]
    fn tiers_1_and_2_resolve_only_with_outcome_and_posture() {
        let (nothing, _) = checked(None, None);
        for t in [1, 2] {
            let errors = may_resolve(tier(t), &nothing).unwrap_err();
            assert_eq!(
                errors.keys().collect::<Vec<_>>(),
                ["outcome", "risk_posture.level"]
            );
        }
        for t in [3, 4] {
            assert!(may_resolve(tier(t), &nothing).is_ok());
        }
        let (full, failed) = checked(
            Some(" Rolled back the gateway "),
            Some(input("high", " No spare capacity ")),
        );
        assert!(!failed);
        assert_eq!(full.outcome.as_deref(), Some("Rolled back the gateway"));
        let posture = full.risk_posture.clone().unwrap();
        assert_eq!(posture.text(), "High — No spare capacity");
        assert!(may_resolve(tier(1), &full).is_ok());
    }

    #[test]
    fn a_bad_level_or_a_note_without_level_is_refused() {
        assert!(checked(Some("x"), Some(input("severe", ""))).1);
        assert!(checked(Some("x"), Some(input("", "a note"))).1);
        let (blank, failed) = checked(Some("  "), Some(input(" ", " ")));
        assert!(!failed);
        assert!(blank.is_empty());
    }
}
