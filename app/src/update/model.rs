//! Update wire types and validation.

use crate::auth::model::Person;
use crate::error::FieldErrors;
use crate::escalation::EscalationId;
use crate::validate::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Update {
    pub id: i64,
    pub escalation_id: EscalationId,
    pub author: Person,
    pub problem: String,
    pub impact: String,
    pub mitigation: String,
    pub decision_required: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An open tier 1–2 escalation and its newest stand-up update (the home page's latest word).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatestWord {
    pub escalation_id: EscalationId,
    pub title: String,
    pub tier: crate::escalation::Tier,
    pub stage: crate::escalation::Stage,
    pub update: Option<Update>,
}

/// `POST /api/v1/escalations/{id}/updates`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpdateDraft {
    pub problem: Option<String>,
    pub impact: Option<String>,
    pub mitigation: Option<String>,
    /// When filled, a decision request opens and the escalation awaits it.
    pub decision_required: Option<String>,
    /// Who decides: `owner` (default) or `sponsor` (the launch's senior sponsor).
    pub address_to: Option<String>,
    /// Optional: when present and stale, 409.
    pub version: Option<i64>,
}

/// Who a decision request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressee {
    /// The A of the RACI's decision activity, or else the escalation's owner.
    Default,
    /// The escalation's owner.
    Owner,
    /// The launch's senior sponsor.
    Sponsor,
}

#[derive(Debug)]
pub struct ValidUpdate {
    pub problem: String,
    pub impact: String,
    pub mitigation: String,
    pub decision_required: Option<String>,
    pub address_to: Addressee,
}

impl UpdateDraft {
    /// Problem, current impact and proposed mitigation are the stand-up format's three parts;
    /// the decision required is optional.
    pub fn validate(&self) -> Result<ValidUpdate, FieldErrors> {
        let mut check = Checker::default();
        let problem = check.required_text("problem", self.problem.as_deref());
        let impact = check.required_text("impact", self.impact.as_deref());
        let mitigation = check.required_text("mitigation", self.mitigation.as_deref());
        let decision = check.text("decision_required", self.decision_required.as_deref());
        let address_to = match self.address_to.as_deref().map(str::trim) {
            None | Some("") => Addressee::Default,
            Some("owner") => Addressee::Owner,
            Some("sponsor") => Addressee::Sponsor,
            Some(_) => {
                check.fail("address_to", "must be owner or sponsor");
                Addressee::Default
            }
        };
        check.finish(ValidUpdate {
            problem,
            impact,
            mitigation,
            decision_required: (!decision.is_empty()).then_some(decision),
            address_to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_update_names_its_three_parts() {
        let errors = UpdateDraft::default().validate().unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["impact", "mitigation", "problem"]
        );
    }

    #[test]
    fn the_decision_is_optional_and_blank_means_none() {
        let draft = UpdateDraft {
            problem: Some("p".into()),
            impact: Some("i".into()),
            mitigation: Some("m".into()),
            decision_required: Some("   ".into()),
            ..Default::default()
        };
        assert!(draft.validate().unwrap().decision_required.is_none());
        let to_sponsor = UpdateDraft {
            address_to: Some("sponsor".into()),
            decision_required: Some("Go?".into()),
            ..draft
        };
        let valid = to_sponsor.validate().unwrap();
        assert!(valid.address_to == Addressee::Sponsor && valid.decision_required.is_some());
    }
}
