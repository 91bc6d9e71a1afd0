//! The governance review's types: the quarter it covers, its figures, participants, findings
//! and typed adjustments; `figures` computes the figures from facts, `markdown` exports it.

mod figures;
mod markdown;

pub use figures::{DecisionFact, EscalationFact, Facts, compute};
pub use markdown::to_markdown;

use crate::auth::model::{FunctionalArea, Person};
use crate::escalation::Tier;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A calendar quarter, written `2026-Q4`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    pub year: i32,
    pub quarter: u32,
}

impl Period {
    /// `2026-Q4`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, quarter) = text.trim().split_once("-Q")?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=9999).contains(y))?;
        let quarter: u32 = quarter.parse().ok().filter(|q| (1..=4).contains(q))?;
        Some(Self { year, quarter })
    }

    /// The quarter `at` falls in.
    pub fn of(at: DateTime<Utc>) -> Self {
        Self {
            year: at.year(),
            quarter: at.month0() / 3 + 1,
        }
    }

    /// Its first instant (UTC).
    pub fn start(self) -> DateTime<Utc> {
        let month = (self.quarter - 1) * 3 + 1;
        Utc.from_utc_datetime(
            &NaiveDate::from_ymd_opt(self.year, month, 1)
                .unwrap_or_default()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        )
    }

    /// The first instant after it.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    pub fn next(self) -> Self {
        if self.quarter == 4 {
            Self {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Self {
                quarter: self.quarter + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.quarter == 1 {
            Self {
                year: self.year - 1,
                quarter: 4,
            }
        } else {
            Self {
                quarter: self.quarter - 1,
                ..self
            }
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| "must be a quarter such as 2026-Q4".to_string())
    }
}

impl From<Period> for String {
    fn from(p: Period) -> Self {
        p.to_string()
    }
}

/// One headline figure: this quarter's value, the runbook's target, last quarter's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figure {
    pub key: String,
    pub label: String,
    /// None: nothing to measure it on this quarter.
    pub value: Option<f64>,
    /// `%`, `min` or `count`.
    pub unit: String,
    /// The runbook's target, in words, where it sets one.
    pub target: Option<String>,
    pub previous: Option<f64>,
}

impl Figure {
    /// "87.5 %", "42 min", "3", or "no data".
    pub fn value_text(value: Option<f64>, unit: &str) -> String {
        match value {
            None => "no data".to_string(),
            Some(v) if unit == "count" => format!("{v:.0}"),
            Some(v) if unit == "%" => format!("{v:.1} %"),
            Some(v) => format!("{v:.0} {unit}"),
        }
    }

    /// "+4.5", "−12", or "—" when either quarter has no data.
    pub fn change_text(&self) -> String {
        match (self.value, self.previous) {
            (Some(now), Some(before)) => {
                let d = now - before;
                let digits = if self.unit == "%" { 1 } else { 0 };
                if d.abs() < 1e-9 {
                    "no change".into()
                } else if d > 0.0 {
                    format!("+{d:.digits$}")
                } else {
                    format!("−{:.digits$}", d.abs())
                }
            }
            _ => "—".into(),
        }
    }
}

/// The review's figures over its quarter, drills apart. With no data, `no_data` and every
/// value null: nothing is shown as a fact that was not measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figures {
    pub no_data: bool,
    /// Escalations raised in the quarter.
    pub escalations: u32,
    pub by_tier: BTreeMap<String, u32>,
    pub by_trigger: BTreeMap<String, u32>,
    pub lines: Vec<Figure>,
}

impl Figures {
    pub fn get(&self, key: &str) -> Option<&Figure> {
        self.lines.iter().find(|f| f.key == key)
    }
}

/// What an adjustment changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    Runbook,
    RaciTemplate,
    CriteriaTemplate,
    Cadence,
}

impl AdjustmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Runbook => "runbook",
            Self::RaciTemplate => "raci_template",
            Self::CriteriaTemplate => "criteria_template",
            Self::Cadence => "cadence",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Runbook,
            Self::RaciTemplate,
            Self::CriteriaTemplate,
            Self::Cadence,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Runbook => "Runbook",
            Self::RaciTemplate => "RACI template",
            Self::CriteriaTemplate => "Criteria template",
            Self::Cadence => "Meeting cadence",
        }
    }
}

/// A runbook adjustment: one tier's times, executive notice or steps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunbookChange {
    pub tier: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledge_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decide_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_executives: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<String>>,
}

impl RunbookChange {
    /// "Tier 2: update every 2 h 00 min", the change in words.
    pub fn text(&self) -> String {
        use crate::runbook::model::span_text;
        let minutes = |m: i64| span_text(chrono::Duration::minutes(m));
        let mut parts = Vec::new();
        if let Some(m) = self.acknowledge_minutes {
            parts.push(format!("acknowledge within {}", minutes(m)));
        }
        if let Some(m) = self.update_minutes {
            parts.push(format!("update every {}", minutes(m)));
        }
        if let Some(m) = self.decide_minutes {
            parts.push(format!("decide within {}", minutes(m)));
        }
        if let Some(n) = self.notify_executives {
            parts.push(
                if n {
                    "tell executives"
                } else {
                    "do not tell executives"
                }
                .into(),
            );
        }
        if let Some(steps) = &self.steps {
            parts.push(format!("steps: {}", steps.join("; ")));
        }
        format!("Tier {}: {}", self.tier, parts.join(", "))
    }
}

/// One proposed (or adopted) adjustment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub id: i64,
    pub review_id: i64,
    pub kind: AdjustmentKind,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub change: serde_json::Value,
    /// The change in words.
    pub summary: String,
    pub reason: String,
    /// `proposed` or `adopted`.
    pub status: String,
    /// What adopting it made ("Runbook version 5").
    pub result: Option<String>,
    pub proposed_by: Option<Person>,
    pub adopted_by: Option<Person>,
    pub adopted_at: Option<DateTime<Utc>>,
}

/// A participant, with the functional area they speak for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Participant {
    pub id: i64,
    pub name: String,
    pub functional_area: FunctionalArea,
}

/// A governance review as both doors show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-Q4"))]
    pub period: Period,
    /// `open` or `signed_off`.
    pub status: String,
    pub figures: Figures,
    pub participants: Vec<Participant>,
    /// Functional areas no participant speaks for: "No one from Marketing".
    pub warnings: Vec<String>,
    /// Markdown text.
    pub findings: String,
    pub adjustments: Vec<Adjustment>,
    pub signed_off_by: Option<Person>,
    pub signed_off_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl Review {
    pub fn is_signed_off(&self) -> bool {
        self.status == "signed_off"
    }

    /// "Signed off by Dana Sponsor on 2026-12-18".
    pub fn sign_off_text(&self) -> Option<String> {
        let who = self.signed_off_by.as_ref()?;
        Some(sign_off_line(&who.name, self.signed_off_at?))
    }
}

/// "Signed off by Dana Sponsor on 2026-12-18".
pub fn sign_off_line(name: &str, at: DateTime<Utc>) -> String {
    format!("Signed off by {name} on {}", at.format("%Y-%m-%d"))
}

/// The warnings for the functional areas no participant speaks for.
pub fn missing_areas(participants: &[Participant]) -> Vec<String> {
    FunctionalArea::ALL
        .into_iter()
        .filter(|area| !participants.iter().any(|p| p.functional_area == *area))
        .map(|area| format!("No one from {} takes part.", area.label()))
        .collect()
}

/// The tier label of a `by_tier` key.
pub fn tier_label(key: &str) -> String {
    key.parse::<i64>()
        .ok()
        .and_then(Tier::new)
        .map_or_else(|| key.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_bound_their_instants() {
        let q4 = Period::parse("2026-Q4").unwrap();
        assert_eq!(q4.to_string(), "2026-Q4");
        assert_eq!(q4.start().to_rfc3339(), "2026-10-01T00:00:00+00:00");
        assert_eq!(q4.end().to_rfc3339(), "2027-01-01T00:00:00+00:00");
        assert_eq!(q4.previous().to_string(), "2026-Q3");
        assert_eq!(Period::parse("2027-Q1").unwrap().previous(), q4);
        for bad in ["2026-Q5", "2026-Q0", "2026Q4", "Q4-2026", "", "99-Q1"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::of(q4.start()), q4);
        assert_eq!(Period::of(q4.end() - chrono::Duration::seconds(1)), q4);
    }

    #[test]
    fn a_missing_functional_area_is_a_warning() {
        let p = |area| Participant {
            id: 1,
            name: "A".into(),
            functional_area: area,
        };
        let all: Vec<_> = FunctionalArea::ALL.into_iter().map(p).collect();
        assert!(missing_areas(&all).is_empty());
        let warnings = missing_areas(&all[1..]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains(FunctionalArea::ALL[0].label()));
    }
}
