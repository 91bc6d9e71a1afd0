//! The changes a client asks of an existing escalation — patch, triage, workaround, move —
//! and the checks each needs before the stored escalation is read. Every change carries the
//! version it applies to.

use super::outcome::{Resolution, RiskPostureInput};
use super::{Escalation, EscalationDraft, ImpactDraft, NewEscalation, Stage};
use crate::error::FieldErrors;
use crate::validate::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

fn field_error(field: &str, why: &str) -> FieldErrors {
    FieldErrors::from([(field.to_string(), why.to_string())])
}

/// The version a change applies to, which every change must send.
fn required_version(version: Option<i64>) -> Result<i64, FieldErrors> {
    version.ok_or_else(|| field_error("version", "is required: send the version you last saw"))
}

/// `PATCH /api/v1/escalations/{id}`: the fields to change, and the version they apply to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EscalationPatch {
    pub version: Option<i64>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub trigger: Option<String>,
    pub tier: Option<i64>,
    pub impact: Option<ImpactDraft>,
    pub owner_id: Option<i64>,
    pub deadline: Option<String>,
}

impl EscalationPatch {
    /// What can be checked before the stored escalation is read: the version the patch
    /// applies to (required). The fields are checked by `apply`, over the stored escalation.
    pub fn validate(&self) -> Result<i64, FieldErrors> {
        required_version(self.version)
    }

    /// The patch applied over `current`, validated as a whole; the deadline is checked
    /// against `now` only when the patch changes it.
    pub fn apply(
        &self,
        current: &Escalation,
        now: DateTime<Utc>,
    ) -> Result<NewEscalation, FieldErrors> {
        let impact = self.impact.clone().unwrap_or_default();
        let draft = EscalationDraft {
            launch_id: Some(current.launch_id.0),
            title: Some(self.title.clone().unwrap_or_else(|| current.title.clone())),
            description: Some(
                self.description
                    .clone()
                    .unwrap_or_else(|| current.description.clone()),
            ),
            trigger: Some(
                self.trigger
                    .clone()
                    .unwrap_or_else(|| current.trigger.as_str().to_string()),
            ),
            tier: Some(self.tier.unwrap_or(i64::from(current.tier.get()))),
            impact: ImpactDraft {
                customer: impact.customer.or(Some(i64::from(current.impact.customer))),
                revenue: impact.revenue.or(Some(i64::from(current.impact.revenue))),
                compliance: impact
                    .compliance
                    .or(Some(i64::from(current.impact.compliance))),
            },
            owner_id: self.owner_id.or(current.owner_id.map(|id| id.0)),
            deadline: self.deadline.clone(),
        };
        let mut valid = draft.validate(now)?;
        if self.deadline.is_none() {
            valid.deadline = current.deadline;
        }
        Ok(valid)
    }
}

/// The triage step: tier, impact, owner and deadline at once, leaving Triggered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TriageRequest {
    pub version: Option<i64>,
    pub tier: Option<i64>,
    #[serde(default)]
    pub impact: ImpactDraft,
    pub owner_id: Option<i64>,
    pub deadline: Option<String>,
}

impl TriageRequest {
    /// The patch triage applies: it needs an owner and a deadline (both named when missing);
    /// the rest is checked as any patch is.
    pub fn validate(&self) -> Result<EscalationPatch, FieldErrors> {
        let mut missing = FieldErrors::new();
        if self.owner_id.is_none() {
            missing.insert("owner_id".into(), "is required to triage".into());
        }
        if self.deadline.as_deref().is_none_or(|d| d.trim().is_empty()) {
            missing.insert("deadline".into(), "is required to triage".into());
        }
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(EscalationPatch {
            version: self.version,
            tier: self.tier,
            impact: Some(self.impact.clone()),
            owner_id: self.owner_id,
            deadline: self.deadline.clone(),
            ..Default::default()
        })
    }
}

/// Sets a time-boxed workaround and its root-cause follow-up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkaroundRequest {
    pub version: Option<i64>,
    pub description: Option<String>,
    /// When the workaround stops being acceptable (RFC 3339, in the future).
    pub expires_at: Option<String>,
    /// The root-cause follow-up: title, owner and due instant.
    pub root_cause_title: Option<String>,
    pub root_cause_owner_id: Option<i64>,
    pub root_cause_due: Option<String>,
}

/// A workaround that passed validation, with its root-cause follow-up (`R`, as the action
/// feature validated it).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidWorkaround<R> {
    pub version: i64,
    pub description: String,
    pub expires_at: DateTime<Utc>,
    pub root_cause: R,
}

impl WorkaroundRequest {
    /// The version first (alone, as every change); then the description, the expiry (in the
    /// future) and the root-cause follow-up together. `root_cause` is the follow-up as the
    /// action feature checked it; its refused fields are named `root_cause_<field>` here.
    pub fn validate<R>(
        &self,
        now: DateTime<Utc>,
        root_cause: Result<R, FieldErrors>,
    ) -> Result<ValidWorkaround<R>, FieldErrors> {
        let version = required_version(self.version)?;
        let mut check = Checker::default();
        let description = check.required_text("description", self.description.as_deref());
        let expires_at = check.instant("expires_at", self.expires_at.as_deref(), Some(now));
        if expires_at.is_none()
            && self
                .expires_at
                .as_deref()
                .is_none_or(|e| e.trim().is_empty())
        {
            check.fail("expires_at", "is required");
        }
        let root_cause = match root_cause {
            Ok(valid) => Some(valid),
            Err(fields) => {
                for (field, why) in fields {
                    check.fail(&format!("root_cause_{field}"), why);
                }
                None
            }
        };
        match (check.finish(()), expires_at, root_cause) {
            (Ok(()), Some(expires_at), Some(root_cause)) => Ok(ValidWorkaround {
                version,
                description,
                expires_at,
                root_cause,
            }),
            (Err(errors), _, _) => Err(errors),
            // Not reached: a missing expiry or a refused follow-up failed its field above.
            (Ok(()), _, _) => Err(field_error("expires_at", "is required")),
        }
    }
}

/// `POST /api/v1/escalations/{id}/move`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveRequest {
    pub stage: Option<String>,
    pub version: Option<i64>,
    /// Why a tier 3–4 escalation closes without a post-mortem.
    pub reason: Option<String>,
    /// What was done (moving to `resolved`; required for tiers 1–2).
    #[serde(default)]
    pub outcome: Option<String>,
    /// The updated risk posture (moving to `resolved`; required for tiers 1–2).
    #[serde(default)]
    pub risk_posture: Option<RiskPostureInput>,
}

/// A move that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidMove {
    pub stage: Stage,
    pub version: i64,
    pub reason: Option<String>,
    /// What a move to Resolved records (empty for other moves).
    pub resolution: Resolution,
}

impl MoveRequest {
    /// The reason given, trimmed (blank is none): long text, at most 10,000 characters.
    pub fn reason(&self) -> Result<Option<String>, FieldErrors> {
        let mut check = Checker::default();
        let reason = check.text("reason", self.reason.as_deref());
        check.finish((!reason.is_empty()).then_some(reason))
    }

    /// The move asked for, checked in turn and refused at the first problem: the stage
    /// (required, one of the six), the version, then the reason.
    pub fn validate(&self) -> Result<ValidMove, FieldErrors> {
        let stage = match self.stage.as_deref().map(str::trim) {
            None | Some("") => return Err(field_error("stage", "is required")),
            Some(s) => Stage::parse(s).ok_or_else(|| {
                field_error(
                    "stage",
                    "must be triggered, triaged, mitigating, awaiting_decision, resolved or closed",
                )
            })?,
        };
        let version = required_version(self.version)?;
        let reason = self.reason()?;
        let mut check = Checker::default();
        let resolution = if stage == Stage::Resolved {
            Resolution::check(
                &mut check,
                self.outcome.as_deref(),
                self.risk_posture.as_ref(),
            )
        } else {
            Resolution::default()
        };
        check.finish(ValidMove {
            stage,
            version,
            reason,
            resolution,
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

    fn named(errors: &FieldErrors) -> Vec<&str> {
        errors.keys().map(String::as_str).collect()
    }

    #[test]
    fn a_move_is_refused_at_its_first_problem() {
        let empty = MoveRequest::default().validate().unwrap_err();
        assert_eq!(empty["stage"], "is required");
        assert_eq!(named(&empty), ["stage"]);
        let unknown = MoveRequest {
            stage: Some("done".into()),
            ..Default::default()
        };
        assert_eq!(named(&unknown.validate().unwrap_err()), ["stage"]);
        let unversioned = MoveRequest {
            stage: Some(" triaged ".into()),
            ..Default::default()
        };
        assert_eq!(named(&unversioned.validate().unwrap_err()), ["version"]);
        let good = MoveRequest {
            stage: Some("closed".into()),
            version: Some(3),
            reason: Some("  Duplicate of #12 ".into()),
            ..Default::default()
        };
        assert_eq!(
            good.validate().unwrap(),
            ValidMove {
                stage: Stage::Closed,
                version: 3,
                reason: Some("Duplicate of #12".into()),
                resolution: Resolution::default(),
            }
        );
        let bad_posture = MoveRequest {
            stage: Some("resolved".into()),
            version: Some(3),
            risk_posture: Some(RiskPostureInput {
                level: Some("grave".into()),
                note: None,
            }),
            ..Default::default()
        };
        assert_eq!(
            named(&bad_posture.validate().unwrap_err()),
            ["risk_posture.level"]
        );
    }

    #[test]
    fn triage_names_a_missing_owner_and_deadline_together() {
        let errors = TriageRequest::default().validate().unwrap_err();
        assert_eq!(named(&errors), ["deadline", "owner_id"]);
        let triage = TriageRequest {
            version: Some(1),
            tier: Some(2),
            owner_id: Some(7),
            deadline: Some("2026-11-27T12:00:00Z".into()),
            ..Default::default()
        };
        let patch = triage.validate().unwrap();
        assert_eq!(
            (patch.version, patch.tier, patch.owner_id),
            (Some(1), Some(2), Some(7))
        );
        assert_eq!(patch.validate(), Ok(1));
        assert_eq!(EscalationPatch::default().validate().unwrap_err().len(), 1);
    }

    #[test]
    fn a_workaround_needs_its_version_first_then_everything_at_once() {
        let refused: Result<(), FieldErrors> =
            Err(FieldErrors::from([("title".into(), "is required".into())]));
        let unversioned = WorkaroundRequest::default()
            .validate(now(), refused.clone())
            .unwrap_err();
        assert_eq!(named(&unversioned), ["version"]);
        let versioned = WorkaroundRequest {
            version: Some(2),
            ..Default::default()
        };
        let errors = versioned.validate(now(), refused).unwrap_err();
        assert_eq!(
            named(&errors),
            ["description", "expires_at", "root_cause_title"]
        );
        let good = WorkaroundRequest {
            version: Some(2),
            description: Some("Route EU cards through the backup acquirer".into()),
            expires_at: Some("2026-11-28T12:00:00Z".into()),
            ..Default::default()
        };
        let valid = good.validate(now(), Ok(42)).unwrap();
        assert_eq!((valid.version, valid.root_cause), (2, 42));
    }
}
