//! Criteria and samples as posted: every field optional so a missing one is named, checked
//! into valid values; and the starter set offered to a new launch.

use super::{Comparator, CriterionKind, MetricSample, is_builtin};
use crate::error::FieldErrors;
use crate::escalation::{Tier, Trigger};
use crate::validate::Checker;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A criterion as posted or patched. Every field is optional here so that a missing one is
/// named; on a PATCH an absent field keeps its value, and `unit` / `window_minutes` sent as
/// `null` are cleared.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CriterionDraft {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub metric: Option<String>,
    pub comparator: Option<String>,
    pub threshold: Option<f64>,
    #[serde(default, deserialize_with = "crate::event::change::set_or_cleared")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub unit: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::event::change::set_or_cleared")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub window_minutes: Option<Option<i64>>,
    pub breach_tier: Option<i64>,
    pub breach_trigger: Option<String>,
    pub auto_escalate: Option<bool>,
    /// Required on PATCH: the version the change was made from.
    pub version: Option<i64>,
}

/// A criterion's settings that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidCriterion {
    pub name: String,
    pub kind: CriterionKind,
    pub metric: String,
    pub comparator: Comparator,
    pub threshold: f64,
    pub unit: Option<String>,
    pub window_minutes: Option<u32>,
    pub breach_tier: Tier,
    pub breach_trigger: Trigger,
    pub auto_escalate: bool,
}

/// A week: the longest window a criterion may average over.
const MAX_WINDOW_MINUTES: i64 = 7 * 24 * 60;

impl CriterionDraft {
    /// Checks a new criterion (name, metric, comparator and threshold required).
    pub fn validate_new(&self) -> Result<ValidCriterion, FieldErrors> {
        self.validate(None)
    }

    /// Checks a draft against the criterion it changes (`None`: a new one), naming every
    /// refused field.
    pub fn validate(&self, base: Option<&ValidCriterion>) -> Result<ValidCriterion, FieldErrors> {
        let mut check = Checker::default();
        let name = match (&self.name, base) {
            (None, Some(b)) => b.name.clone(),
            (name, _) => check.name("name", name.as_deref()),
        };
        let kind = match (self.kind.as_deref(), base) {
            (None, Some(b)) => b.kind,
            (None, None) => CriterionKind::Other,
            (Some(k), _) => CriterionKind::parse(k.trim()).unwrap_or_else(|| {
                check.fail("kind", CriterionKind::expected());
                CriterionKind::Other
            }),
        };
        let metric = match (&self.metric, base) {
            (None, Some(b)) => b.metric.clone(),
            (metric, _) => check_metric(&mut check, "metric", metric.as_deref()),
        };
        let comparator = match (self.comparator.as_deref(), base) {
            (None, Some(b)) => b.comparator,
            (None, None) => {
                check.fail("comparator", "is required (<=, >=, < or >)");
                Comparator::AtMost
            }
            (Some(c), _) => Comparator::parse(c.trim()).unwrap_or_else(|| {
                check.fail("comparator", "must be <=, >=, < or >");
                Comparator::AtMost
            }),
        };
        let threshold = match (self.threshold, base) {
            (None, Some(b)) => b.threshold,
            (None, None) => {
                check.fail("threshold", "is required");
                0.0
            }
            (Some(t), _) if !t.is_finite() => {
                check.fail("threshold", "must be a finite number");
                0.0
            }
            (Some(t), _) => t,
        };
        let unit = match (&self.unit, base) {
            (None, Some(b)) => b.unit.clone(),
            (None, None) | (Some(None), _) => None,
            (Some(Some(u)), _) => {
                let u = u.trim();
                if u.chars().count() > 20 || !crate::validate::is_clean_line(u) {
                    check.fail("unit", "must be at most 20 characters on one line");
                }
                (!u.is_empty()).then(|| u.to_string())
            }
        };
        let window_minutes = match (self.window_minutes, base) {
            (None, Some(b)) => b.window_minutes,
            (None, None) | (Some(None), _) => None,
            (Some(Some(m)), _) => match u32::try_from(m) {
                Ok(m) if (1..=MAX_WINDOW_MINUTES).contains(&i64::from(m)) => Some(m),
                _ => {
                    check.fail(
                        "window_minutes",
                        format!("must be between 1 and {MAX_WINDOW_MINUTES} minutes"),
                    );
                    None
                }
            },
        };
        let breach_tier = match (self.breach_tier, base) {
            (None, Some(b)) => b.breach_tier,
            (None, None) => Tier::ALL[1],
            (Some(t), _) => Tier::new(t).unwrap_or_else(|| {
                check.fail("breach_tier", "must be 1, 2, 3 or 4");
                Tier::ALL[1]
            }),
        };
        let breach_trigger = match (self.breach_trigger.as_deref(), base) {
            (None, Some(b)) => b.breach_trigger,
            (None, None) => Trigger::PlanDeviation,
            (Some(t), _) => Trigger::parse(t.trim()).unwrap_or_else(|| {
                check.fail(
                    "breach_trigger",
                    "must be plan_deviation, customer_defect or risk_forecast",
                );
                Trigger::PlanDeviation
            }),
        };
        let auto_escalate = self
            .auto_escalate
            .or(base.map(|b| b.auto_escalate))
            .unwrap_or(true);
        check.finish(ValidCriterion {
            name,
            kind,
            metric,
            comparator,
            threshold,
            unit,
            window_minutes,
            breach_tier,
            breach_trigger,
            auto_escalate,
        })
    }
}

/// A metric name: 1–100 characters of `a–z`, `0–9`, `.`, `_` and `-`, starting with a letter
/// or digit.
pub fn check_metric(check: &mut Checker, field: &str, value: Option<&str>) -> String {
    let value = value.unwrap_or_default().trim();
    let good = (1..=100).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !good {
        check.fail(
            field,
            "must be 1–100 characters of a–z, 0–9, '.', '_' or '-' (such as checkout.p95_ms)",
        );
    }
    value.to_string()
}

/// `POST /api/v1/launches/{id}/metrics`: 1–1,000 samples.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SamplesDraft {
    pub samples: Option<Vec<SampleDraft>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SampleDraft {
    pub metric: Option<String>,
    pub value: Option<f64>,
    /// RFC 3339; defaults to now; at most a day ahead.
    pub at: Option<String>,
}

/// The most samples one request may carry.
pub const MAX_SAMPLES: usize = 1_000;

impl SamplesDraft {
    /// Checks every sample, naming each refused field (`samples[3].value`).
    pub fn validate(&self, now: DateTime<Utc>) -> Result<Vec<MetricSample>, FieldErrors> {
        let mut check = Checker::default();
        let drafts = self.samples.as_deref().unwrap_or_default();
        if drafts.is_empty() || drafts.len() > MAX_SAMPLES {
            check.fail("samples", format!("must hold 1 to {MAX_SAMPLES} samples"));
            return check.finish(Vec::new());
        }
        let latest = now + Duration::days(1);
        let mut valid = Vec::with_capacity(drafts.len());
        for (i, draft) in drafts.iter().enumerate() {
            let field = |name: &str| format!("samples[{i}].{name}");
            let metric = check_metric(&mut check, &field("metric"), draft.metric.as_deref());
            if is_builtin(&metric) {
                check.fail(
                    &field("metric"),
                    "is computed by Flare from its own data and cannot be fed",
                );
            }
            let value = match draft.value {
                Some(v) if v.is_finite() => v,
                Some(_) => {
                    check.fail(&field("value"), "must be a finite number");
                    0.0
                }
                None => {
                    check.fail(&field("value"), "is required");
                    0.0
                }
            };
            let at = check
                .instant(&field("at"), draft.at.as_deref(), None)
                .unwrap_or(now);
            if at > latest {
                check.fail(&field("at"), "must not be more than a day in the future");
            }
            valid.push(MetricSample { metric, value, at });
        }
        check.finish(valid)
    }
}

/// The starter set offered for a new launch; the facilitator accepts or changes each.
pub fn starter_set() -> Vec<CriterionDraft> {
    let draft =
        |name: &str, kind: CriterionKind, metric: &str, comparator: &str, threshold: f64| {
            CriterionDraft {
                name: Some(name.into()),
                kind: Some(kind.as_str().into()),
                metric: Some(metric.into()),
                comparator: Some(comparator.into()),
                threshold: Some(threshold),
                ..Default::default()
            }
        };
    vec![
        // Open escalations already are on the board: this one informs readiness and tells
        // the team, rather than raising an escalation about escalations.
        CriterionDraft {
            breach_tier: Some(1),
            breach_trigger: Some(Trigger::CustomerDefect.as_str().into()),
            auto_escalate: Some(false),
            ..draft(
                "Open tier 1 escalations",
                CriterionKind::DefectThreshold,
                "escalations.open.tier1",
                "<=",
                0.0,
            )
        },
        CriterionDraft {
            unit: Some(Some("ms".into())),
            window_minutes: Some(Some(15)),
            ..draft(
                "Checkout p95",
                CriterionKind::ServiceLevel,
                "checkout.p95_ms",
                "<=",
                800.0,
            )
        },
        CriterionDraft {
            unit: Some(Some("/ 5".into())),
            breach_tier: Some(3),
            ..draft(
                "Customer satisfaction",
                CriterionKind::CustomerExperience,
                "csat",
                ">=",
                4.2,
            )
        },
    ]
}
