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

#[derive(Debug)]
pub struct ValidUpdate {
    pub problem: String,
    pub impact: String,
    pub mitigation: String,
    pub decision_required: Option<String>,
    pub to_sponsor: bool,
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
        let to_sponsor = match self.address_to.as_deref().map(str::trim) {
            None | Some("") | Some("owner") => false,
            Some("sponsor") => true,
            Some(_) => {
                check.fail("address_to", "must be owner or sponsor");
                false
            }
        };
        check.finish(ValidUpdate {
            problem,
            impact,
            mitigation,
            decision_required: (!decision.is_empty()).then_some(decision),
            to_sponsor,
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
        assert!(valid.to_sponsor && valid.decision_required.is_some());
    }
}
