//! Decision wire types, validation and the urgent-meeting agenda.

use crate::auth::model::Person;
use crate::error::FieldErrors;
use crate::escalation::{EscalationId, Tier};
use crate::launch::LaunchId;
use crate::runbook::model::decision_is_stalled;
use crate::validate::{Checker, MAX_IDS};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A decision someone must take, and by when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    pub id: i64,
    pub escalation_id: EscalationId,
    pub escalation_title: String,
    pub launch_id: LaunchId,
    pub tier: Tier,
    /// The decision required.
    pub question: String,
    pub addressed_to: Person,
    pub requested_by: Person,
    pub opened_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub decision_id: Option<i64>,
    /// From the stand-up update that asked: the problem, its impact, the proposed mitigation.
    pub problem: Option<String>,
    pub impact: Option<String>,
    pub mitigation: Option<String>,
    pub meeting: Option<Meeting>,
}

impl DecisionRequest {
    pub fn is_stalled(&self, now: DateTime<Utc>) -> bool {
        decision_is_stalled(self.due_at, self.answered_at.is_some(), now)
    }
}

/// Stalled first (longest overdue first), then soonest due.
pub fn sort_for_attention(requests: &mut [DecisionRequest], now: DateTime<Utc>) {
    requests.sort_by_key(|r| (!r.is_stalled(now), r.due_at, r.id));
}

/// An entry of the decision log. Never changed; a correction is a new entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: i64,
    pub escalation_id: EscalationId,
    pub request_id: Option<i64>,
    pub decision: String,
    pub rationale: String,
    pub decided_by: Person,
    pub participants: Vec<Person>,
    /// The entry this one corrects.
    pub corrects_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/escalations/{id}/decisions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecisionDraft {
    pub decision: Option<String>,
    pub rationale: Option<String>,
    /// Who took part besides the decider.
    #[serde(default)]
    pub participant_ids: Vec<i64>,
    /// The earlier entry this one corrects.
    pub corrects_id: Option<i64>,
    /// The urgent meeting whose outcome this is.
    pub meeting_id: Option<i64>,
}

#[derive(Debug)]
pub struct ValidDecision {
    pub decision: String,
    pub rationale: String,
    /// Who took part, each once, in the order sent (at most `MAX_IDS`).
    pub participant_ids: Vec<i64>,
}

impl DecisionDraft {
    /// Decision and rationale are required; the participants are bounded and deduplicated.
    pub fn validate(&self) -> Result<ValidDecision, FieldErrors> {
        let mut check = Checker::default();
        let decision = check.required_text("decision", self.decision.as_deref());
        let rationale = check.required_text("rationale", self.rationale.as_deref());
        let participant_ids = check.ids("participant_ids", &self.participant_ids, MAX_IDS);
        check.finish(ValidDecision {
            decision,
            rationale,
            participant_ids,
        })
    }
}

/// An urgent meeting called about a stalled decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = UrgentMeeting))]
pub struct Meeting {
    pub id: i64,
    pub request_id: i64,
    pub starts_at: DateTime<Utc>,
    pub participants: Vec<Person>,
    pub agenda: String,
    pub called_by: Person,
}

/// `POST /api/v1/decision-requests/{id}/meeting`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingDraft {
    pub starts_at: Option<String>,
    #[serde(default)]
    pub participant_ids: Vec<i64>,
    /// Defaults to the agenda generated from the request.
    pub agenda: Option<String>,
}

/// The urgent meeting's agenda, generated from the request: problem, impact, options,
/// decision needed.
pub fn agenda(request: &DecisionRequest) -> String {
    let or_unknown = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or("(not stated)")
            .to_string()
    };
    format!(
        "Urgent meeting: {title} ({tier})\n\n\
         1. Problem: {problem}\n\
         2. Current impact: {impact}\n\
         3. Options: {options}\n\
         4. Decision needed: {question}\n\
         \nAsked of {who}; due {due}.",
        title = request.escalation_title,
        tier = request.tier,
        problem = or_unknown(&request.problem),
        impact = or_unknown(&request.impact),
        options = or_unknown(&request.mitigation),
        question = request.question,
        who = request.addressed_to.name,
        due = crate::components::time::utc_text(request.due_at),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::UserId;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn request(id: i64, due: &str, answered: bool) -> DecisionRequest {
        DecisionRequest {
            id,
            escalation_id: EscalationId(1),
            escalation_title: "Checkout fails".into(),
            launch_id: LaunchId(1),
            tier: Tier::new(1).unwrap(),
            question: "Roll back the payment provider?".into(),
            addressed_to: Person {
                id: UserId(2),
                name: "Elena".into(),
            },
            requested_by: Person {
                id: UserId(3),
                name: "Jonas".into(),
            },
            opened_at: at("2026-11-26T08:00:00Z"),
            due_at: at(due),
            answered_at: answered.then(|| at("2026-11-26T09:00:00Z")),
            decision_id: None,
            problem: Some("3DS times out".into()),
            impact: Some("8% of EU payments fail".into()),
            mitigation: Some("Roll back, or disable 3DS for low amounts".into()),
            meeting: None,
        }
    }

    #[test]
    fn stalled_requests_come_first() {
        let now = at("2026-11-26T12:00:00Z");
        let mut all = vec![
            request(1, "2026-11-26T15:00:00Z", false),
            request(2, "2026-11-26T11:00:00Z", false),
            request(3, "2026-11-26T10:00:00Z", false),
            request(4, "2026-11-26T13:00:00Z", false),
        ];
        sort_for_attention(&mut all, now);
        assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), [3, 2, 4, 1]);
        assert!(all[0].is_stalled(now) && !all[2].is_stalled(now));
        assert!(!request(5, "2026-11-26T10:00:00Z", true).is_stalled(now));
    }

    #[test]
    fn the_agenda_names_problem_impact_options_and_decision() {
        let text = agenda(&request(1, "2026-11-26T10:00:00Z", false));
        for part in [
            "Problem: 3DS times out",
            "Current impact: 8% of EU payments fail",
            "Options: Roll back, or disable 3DS",
            "Decision needed: Roll back the payment provider?",
            "Elena",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
    }

    #[test]
    fn participants_are_bounded_and_each_listed_once() {
        let draft = DecisionDraft {
            decision: Some("Roll back".into()),
            rationale: Some("Fastest".into()),
            participant_ids: vec![4, 2, 4, 4, 2, 7],
            ..Default::default()
        };
        assert_eq!(draft.validate().unwrap().participant_ids, [4, 2, 7]);
        let flood = DecisionDraft {
            participant_ids: vec![4; MAX_IDS + 1],
            ..draft
        };
        assert!(
            flood
                .validate()
                .unwrap_err()
                .contains_key("participant_ids")
        );
    }

    #[test]
    fn decisions_need_both_fields() {
        let errors = DecisionDraft::default().validate().unwrap_err();
        assert!(errors.contains_key("decision") && errors.contains_key("rationale"));
    }
}
