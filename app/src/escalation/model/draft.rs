//! Raising an escalation: the draft as a client sends it (or the raise form types it) and
//! its validation into a `NewEscalation`.

use super::{Impact, Tier, Trigger, local_to_rfc3339};
use crate::auth::model::UserId;
use crate::error::FieldErrors;
use crate::launch::LaunchId;
use crate::validate::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Impact as sent by a client: any score may be missing or out of range until validated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImpactDraft {
    pub customer: Option<i64>,
    pub revenue: Option<i64>,
    pub compliance: Option<i64>,
}

/// An escalation as raised through the form or `POST /api/v1/escalations`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EscalationDraft {
    pub launch_id: Option<i64>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub trigger: Option<String>,
    pub tier: Option<i64>,
    #[serde(default)]
    pub impact: ImpactDraft,
    pub owner_id: Option<i64>,
    pub deadline: Option<String>,
}

/// A draft that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEscalation {
    pub launch_id: LaunchId,
    pub title: String,
    pub description: String,
    pub trigger: Trigger,
    pub tier: Tier,
    pub impact: Impact,
    pub owner_id: Option<UserId>,
    pub deadline: Option<DateTime<Utc>>,
}

impl EscalationDraft {
    /// Checks every field against the contract's limits; `now` bounds the deadline.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<NewEscalation, FieldErrors> {
        let mut check = Checker::default();
        let launch_id = match self.launch_id {
            Some(id) => LaunchId(id),
            None => {
                check.fail("launch_id", "is required");
                LaunchId(0)
            }
        };
        let title = check.name("title", self.title.as_deref());
        let description = check.text("description", self.description.as_deref());
        let trigger = match self.trigger.as_deref().map(str::trim) {
            None | Some("") => {
                check.fail("trigger", "is required");
                Trigger::PlanDeviation
            }
            Some(t) => Trigger::parse(t).unwrap_or_else(|| {
                check.fail(
                    "trigger",
                    "must be plan_deviation, customer_defect or risk_forecast",
                );
                Trigger::PlanDeviation
            }),
        };
        let tier = Tier::new(check.int_in("tier", self.tier, 1..=4)).unwrap_or(Tier::ALL[3]);
        let mut score = |field: &str, value| check.int_in(field, value, 0..=5) as u8;
        let impact = Impact {
            customer: score("impact.customer", self.impact.customer),
            revenue: score("impact.revenue", self.impact.revenue),
            compliance: score("impact.compliance", self.impact.compliance),
        };
        let deadline = check.instant("deadline", self.deadline.as_deref(), Some(now));
        check.finish(NewEscalation {
            launch_id,
            title,
            description,
            trigger,
            tier,
            impact,
            owner_id: self.owner_id.map(UserId),
            deadline,
        })
    }
}

/// The raise form's fields as typed (numbers and times still text).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RaiseForm {
    pub launch_id: i64,
    pub title: Option<String>,
    pub description: Option<String>,
    pub trigger: Option<String>,
    pub tier: Option<String>,
    pub impact_customer: Option<String>,
    pub impact_revenue: Option<String>,
    pub impact_compliance: Option<String>,
    pub owner_id: Option<String>,
    /// `datetime-local` value, in the browser's zone.
    pub deadline: Option<String>,
    /// The browser's offset from UTC for that local time, in minutes (JavaScript's
    /// `getTimezoneOffset`, so UTC+1 is -60); absent means the time is UTC.
    pub tz_offset: Option<String>,
}

impl RaiseForm {
    /// The draft these fields describe; fields that are not even numbers are named here.
    pub fn to_draft(&self) -> Result<EscalationDraft, FieldErrors> {
        let mut check = Checker::default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let tier = check.parse_int("tier", &text(&self.tier));
        let customer = check.parse_int("impact.customer", &text(&self.impact_customer));
        let revenue = check.parse_int("impact.revenue", &text(&self.impact_revenue));
        let compliance = check.parse_int("impact.compliance", &text(&self.impact_compliance));
        let owner_id = check.parse_int("owner_id", &text(&self.owner_id));
        let offset = check
            .parse_int("deadline", &text(&self.tz_offset))
            .unwrap_or(0);
        let deadline = local_to_rfc3339(&text(&self.deadline), offset);
        if deadline.is_none() && !text(&self.deadline).trim().is_empty() {
            check.fail("deadline", "must be a date and time");
        }
        check.finish(EscalationDraft {
            launch_id: Some(self.launch_id),
            title: self.title.clone(),
            description: self.description.clone(),
            trigger: self.trigger.clone(),
            tier,
            impact: ImpactDraft {
                customer,
                revenue,
                compliance,
            },
            owner_id,
            deadline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn good_draft() -> EscalationDraft {
        EscalationDraft {
            launch_id: Some(1),
            title: Some("Checkout fails for EU cards".into()),
            description: None,
            trigger: Some("customer_defect".into()),
            tier: Some(1),
            impact: ImpactDraft {
                customer: Some(5),
                revenue: Some(4),
                compliance: Some(0),
            },
            owner_id: None,
            deadline: Some("2026-11-27T12:00:00Z".into()),
        }
    }

    #[test]
    fn a_good_draft_validates() {
        let new = good_draft().validate(now()).unwrap();
        assert_eq!(new.trigger, Trigger::CustomerDefect);
        assert_eq!(new.tier, Tier::new(1).unwrap());
        assert_eq!(
            new.impact,
            Impact {
                customer: 5,
                revenue: 4,
                compliance: 0
            }
        );
    }

    #[test]
    fn each_bad_field_is_named_with_its_wire_name() {
        let draft = EscalationDraft {
            launch_id: None,
            title: Some(String::new()),
            trigger: Some("rumour".into()),
            tier: Some(5),
            impact: ImpactDraft {
                customer: Some(6),
                revenue: None,
                compliance: Some(-1),
            },
            deadline: Some("2026-11-26T11:00:00Z".into()),
            ..good_draft()
        };
        let errors = draft.validate(now()).unwrap_err();
        let named: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            named,
            [
                "deadline",
                "impact.compliance",
                "impact.customer",
                "impact.revenue",
                "launch_id",
                "tier",
                "title",
                "trigger"
            ]
        );
    }

    #[test]
    fn typed_numbers_are_checked_before_the_draft() {
        let form = RaiseForm {
            launch_id: 1,
            tier: Some("two".into()),
            impact_customer: Some("3".into()),
            deadline: Some("soon".into()),
            ..Default::default()
        };
        let errors = form.to_draft().unwrap_err();
        assert!(errors.contains_key("tier") && errors.contains_key("deadline"));
    }
}
