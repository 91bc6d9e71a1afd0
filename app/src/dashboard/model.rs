//! The dashboard as clients see it, and its maths — readiness with its reasons, defect
//! counts per day, time to fix by tier — pure, with the clock and the data passed in.

use crate::escalation::{Tier, Trigger};
use crate::launch::{LaunchId, LaunchStatus};
use crate::measure::{Criterion, Status};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a launch may go ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NoGo,
    AtRisk,
    Go,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Self::NoGo => "No-go",
            Self::AtRisk => "At risk",
            Self::Go => "Go",
        }
    }
}

/// The verdict and the sentences that explain it, most serious first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Readiness {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

/// An open escalation as readiness reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenEscalation {
    pub title: String,
    pub tier: Tier,
}

/// What readiness is worked out from (drills already left out).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadinessInput {
    pub criteria: Vec<Criterion>,
    pub open: Vec<OpenEscalation>,
    /// Titles of the escalations whose decision request is past due.
    pub stalled: Vec<String>,
    pub overdue_actions: u32,
}

/// `no_go` if a criterion is breached or a tier-1 escalation is open; `at_risk` if a tier-2
/// is open, a criterion is at risk, a decision is stalled or an action is overdue; else
/// `go`. Every reason names what it is about.
pub fn readiness(input: &ReadinessInput) -> Readiness {
    let mut no_go = Vec::new();
    let mut at_risk = Vec::new();
    for c in &input.criteria {
        let unit = c
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let value = c.current.map(|v| format!("{v}{unit}")).unwrap_or_default();
        match c.status {
            Status::Breached => no_go.push(format!(
                "The criterion “{}” is breached: {value} against {}.",
                c.name,
                c.rule_text()
            )),
            Status::AtRisk => at_risk.push(format!(
                "The criterion “{}” is at risk: {value} against {}.",
                c.name,
                c.rule_text()
            )),
            Status::Met | Status::NoData => {}
        }
    }
    for e in &input.open {
        match e.tier.get() {
            1 => no_go.push(format!("The tier 1 escalation “{}” is open.", e.title)),
            2 => at_risk.push(format!("The tier 2 escalation “{}” is open.", e.title)),
            _ => {}
        }
    }
    for title in &input.stalled {
        at_risk.push(format!("The decision on “{title}” is past due."));
    }
    match input.overdue_actions {
        0 => {}
        1 => at_risk.push("One action item is overdue.".into()),
        n => at_risk.push(format!("{n} action items are overdue.")),
    }
    let verdict = if !no_go.is_empty() {
        Verdict::NoGo
    } else if !at_risk.is_empty() {
        Verdict::AtRisk
    } else {
        Verdict::Go
    };
    let mut reasons = no_go;
    reasons.append(&mut at_risk);
    if reasons.is_empty() {
        reasons.push(
            "Every criterion with data is met, no tier 1 or 2 escalation is open, and nothing is overdue."
                .into(),
        );
    }
    Readiness { verdict, reasons }
}

/// One day of defects: opened and resolved that day, and open at its end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DefectDay {
    pub day: NaiveDate,
    pub opened: u32,
    pub resolved: u32,
    pub open: u32,
}

/// Open escalations (every trigger) by tier and by trigger, and the last days' series.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Defects {
    /// `{"1": n, "2": n, "3": n, "4": n}`.
    pub open_by_tier: BTreeMap<String, u32>,
    pub open_by_trigger: BTreeMap<String, u32>,
    pub series: Vec<DefectDay>,
}

/// One escalation's life as the figures read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Life {
    pub tier: Tier,
    pub trigger: Trigger,
    pub opened_at: DateTime<Utc>,
    /// When it first moved to resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Closed without ever being resolved.
    pub closed: bool,
}

impl Life {
    fn open_at(&self, at: DateTime<Utc>) -> bool {
        self.opened_at <= at && self.resolved_at.is_none_or(|r| r > at) && !self.closed
    }
}

/// How many days the series covers, today included.
pub const SERIES_DAYS: i64 = 14;

/// Open counts now, and per UTC day for the last `SERIES_DAYS` days ending today.
pub fn defects(lives: &[Life], now: DateTime<Utc>) -> Defects {
    let mut open_by_tier: BTreeMap<String, u32> =
        Tier::ALL.iter().map(|t| (t.get().to_string(), 0)).collect();
    let mut open_by_trigger: BTreeMap<String, u32> = Trigger::ALL
        .iter()
        .map(|t| (t.as_str().to_string(), 0))
        .collect();
    for life in lives.iter().filter(|l| l.open_at(now)) {
        *open_by_tier.entry(life.tier.get().to_string()).or_default() += 1;
        *open_by_trigger
            .entry(life.trigger.as_str().to_string())
            .or_default() += 1;
    }
    let today = now.date_naive();
    let series = (0..SERIES_DAYS)
        .rev()
        .map(|back| {
            let day = today - Duration::days(back);
            let on_day = |at: DateTime<Utc>| at.date_naive() == day;
            let end = (day + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .map(|d| d.and_utc() - Duration::nanoseconds(1))
                .unwrap_or(now)
                .min(now);
            DefectDay {
                day,
                opened: lives.iter().filter(|l| on_day(l.opened_at)).count() as u32,
                resolved: lives
                    .iter()
                    .filter(|l| l.resolved_at.is_some_and(on_day))
                    .count() as u32,
                open: lives.iter().filter(|l| l.open_at(end)).count() as u32,
            }
        })
        .collect();
    Defects {
        open_by_tier,
        open_by_trigger,
        series,
    }
}

/// Time to fix one tier: minutes from raising to resolving.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FixTimes {
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
    pub count: u32,
    /// The runbook's acknowledgement target for the tier, for comparison.
    pub acknowledge_target_minutes: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimeToFix {
    /// `{"1": {median_minutes, p90_minutes, count}, …}`.
    pub by_tier: BTreeMap<String, FixTimes>,
}

/// The nearest-rank percentile (`p` in 0–100) of sorted values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted.get(rank - 1).copied()
}

/// Median and p90 minutes to resolve, per tier, with the runbook's target beside them.
pub fn time_to_fix(lives: &[Life], targets: &BTreeMap<u8, i64>) -> TimeToFix {
    let by_tier = Tier::ALL
        .iter()
        .map(|tier| {
            let mut minutes: Vec<i64> = lives
                .iter()
                .filter(|l| l.tier == *tier)
                .filter_map(|l| {
                    l.resolved_at
                        .map(|r| (r - l.opened_at).num_minutes().max(0))
                })
                .collect();
            minutes.sort_unstable();
            let times = FixTimes {
                median_minutes: percentile(&minutes, 50),
                p90_minutes: percentile(&minutes, 90),
                count: minutes.len() as u32,
                acknowledge_target_minutes: targets.get(&tier.get()).copied(),
            };
            (tier.get().to_string(), times)
        })
        .collect();
    TimeToFix { by_tier }
}

/// Customers affected and revenue at risk, from the launch's post-mortems, by the day their
/// escalation was raised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerImpact {
    pub customers_affected: i64,
    pub revenue: i64,
    pub by_day: Vec<ImpactDay>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImpactDay {
    pub day: NaiveDate,
    pub customers_affected: i64,
    pub revenue: i64,
}

/// A launch's dashboard (`GET /api/v1/launches/{id}/dashboard`). Drills never count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub launch_id: LaunchId,
    pub launch_name: String,
    pub status: LaunchStatus,
    pub readiness: Readiness,
    pub defects: Defects,
    pub time_to_fix: TimeToFix,
    pub customer_impact: CustomerImpact,
    pub criteria: Vec<Criterion>,
    /// When the figures were read.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests;
