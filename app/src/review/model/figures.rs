//! The review's figures, computed from facts gathered over a quarter (drills apart): SLA kept
//! %, times to acknowledge and resolve, updates on cadence, decision latency, stalls, expired
//! workarounds, remediation on time and post-mortems published, each beside the runbook's
//! target and last quarter's value.

use super::{Figure, Figures};
use crate::escalation::{Tier, Trigger};
use crate::runbook::model::span_text;
use crate::runbook::{Runbook, TierPolicy};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// One escalation raised in the quarter, with the policy of the runbook version it ran on.
#[derive(Clone, Debug)]
pub struct EscalationFact {
    pub tier: Tier,
    pub trigger: Trigger,
    pub policy: TierPolicy,
    pub raised_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    /// Its stand-up updates, oldest first.
    pub updates: Vec<DateTime<Utc>>,
    pub workaround_expired: bool,
    pub postmortem_published: bool,
}

/// One decision request opened in the quarter.
#[derive(Clone, Debug)]
pub struct DecisionFact {
    pub opened_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Everything the figures are computed from, as of `now`.
#[derive(Clone, Debug)]
pub struct Facts {
    pub now: DateTime<Utc>,
    pub escalations: Vec<EscalationFact>,
    pub decisions: Vec<DecisionFact>,
    /// Remediation items due in the quarter: (due, done at).
    pub remediation: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

impl Facts {
    fn is_empty(&self) -> bool {
        self.escalations.is_empty() && self.decisions.is_empty() && self.remediation.is_empty()
    }
}

/// The share of `kept` in `kept + missed`, in percent; none when nothing counted.
fn percent(kept: usize, missed: usize) -> Option<f64> {
    let total = kept + missed;
    (total > 0).then(|| kept as f64 * 100.0 / total as f64)
}

/// Median of minutes (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The 90th percentile by nearest rank.
fn p90(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let rank = (values.len() * 9).div_ceil(10);
    rank.checked_sub(1).and_then(|i| values.get(i).copied())
}

fn minutes(span: Duration) -> f64 {
    span.num_seconds() as f64 / 60.0
}

/// Kept or missed: a window met by `done`, or missed once `due` passed without it; neither
/// while it is still open.
fn kept_or_missed(
    due: DateTime<Utc>,
    done: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<bool> {
    match done {
        Some(at) => Some(at <= due),
        None if now > due => Some(false),
        None => None,
    }
}

fn tally(outcomes: impl Iterator<Item = Option<bool>>) -> Option<f64> {
    let (mut kept, mut missed) = (0, 0);
    for outcome in outcomes.flatten() {
        if outcome { kept += 1 } else { missed += 1 }
    }
    percent(kept, missed)
}

/// Each figure's value from one quarter's facts, by key.
fn values(f: &Facts) -> BTreeMap<&'static str, Option<f64>> {
    let now = f.now;
    let esc = &f.escalations;
    let acknowledged = tally(esc.iter().map(|e| {
        kept_or_missed(
            e.raised_at + e.policy.acknowledge_within(),
            e.acknowledged_at,
            now,
        )
    }));
    let ack_minutes = median(
        esc.iter()
            .filter_map(|e| e.acknowledged_at.map(|a| minutes(a - e.raised_at)))
            .collect(),
    );
    let by_deadline = tally(
        esc.iter()
            .filter_map(|e| e.deadline.map(|d| kept_or_missed(d, e.resolved_at, now))),
    );
    let resolve_minutes = median(
        esc.iter()
            .filter_map(|e| e.resolved_at.map(|r| minutes(r - e.raised_at)))
            .collect(),
    );
    // Every gap between raising, each update and resolution (or now) longer than the tier's
    // cadence is a missed update; each update within it, one kept.
    let (mut on_cadence, mut late) = (0, 0);
    for e in esc {
        let cadence = e.policy.update_every();
        let mut last = e.raised_at;
        for at in &e.updates {
            if *at - last <= cadence {
                on_cadence += 1
            } else {
                late += 1
            }
            last = *at;
        }
        if e.resolved_at.unwrap_or(now) - last > cadence {
            late += 1;
        }
    }
    let latencies: Vec<f64> = f
        .decisions
        .iter()
        .filter_map(|d| d.answered_at.map(|a| minutes(a - d.opened_at)))
        .collect();
    let stalls = f
        .decisions
        .iter()
        .filter(|d| d.answered_at.map_or(now > d.due_at, |a| a > d.due_at))
        .count();
    let remediation = tally(
        f.remediation
            .iter()
            .map(|(due, done)| kept_or_missed(*due, *done, now)),
    );
    let major: Vec<_> = esc
        .iter()
        .filter(|e| e.tier.get() <= 2 && e.resolved_at.is_some())
        .collect();
    let published = major.iter().filter(|e| e.postmortem_published).count();
    BTreeMap::from([
        ("acknowledged_in_time_pct", acknowledged),
        ("acknowledge_median_minutes", ack_minutes),
        ("resolved_by_deadline_pct", by_deadline),
        ("resolve_median_minutes", resolve_minutes),
        ("updates_on_cadence_pct", percent(on_cadence, late)),
        ("decision_latency_median_minutes", median(latencies.clone())),
        ("decision_latency_p90_minutes", p90(latencies)),
        ("stalls", Some(stalls as f64)),
        (
            "expired_workarounds",
            Some(esc.iter().filter(|e| e.workaround_expired).count() as f64),
        ),
        ("remediation_on_time_pct", remediation),
        (
            "postmortems_published_pct",
            percent(published, major.len() - published),
        ),
        // Filled once pilots collect feedback and drills are scored.
        ("feedback_mean", None),
        ("drill_score_mean", None),
    ])
}

/// "Tier 1 15 min · Tier 2 1 h 00 min …": one window of every tier.
fn per_tier(runbook: &Runbook, window: impl Fn(&TierPolicy) -> Duration) -> String {
    runbook
        .tiers
        .iter()
        .map(|p| format!("{} {}", p.tier, span_text(window(p))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The figures of a quarter beside the previous quarter's and the runbook's targets.
pub fn compute(quarter: &Facts, previous: &Facts, runbook: &Runbook) -> Figures {
    let no_data = quarter.is_empty();
    let now = values(quarter);
    let before = (!previous.is_empty()).then(|| values(previous));
    let target = |key: &str| -> Option<String> {
        match key {
            "acknowledged_in_time_pct" | "acknowledge_median_minutes" => {
                Some(per_tier(runbook, TierPolicy::acknowledge_within))
            }
            "updates_on_cadence_pct" => Some(per_tier(runbook, TierPolicy::update_every)),
            "decision_latency_median_minutes" | "decision_latency_p90_minutes" => {
                Some(per_tier(runbook, TierPolicy::decide_within))
            }
            "remediation_on_time_pct"
            | "postmortems_published_pct"
            | "resolved_by_deadline_pct" => Some("100 %".into()),
            _ => None,
        }
    };
    let lines = LINES
        .iter()
        .map(|(key, label, unit)| Figure {
            key: (*key).into(),
            label: (*label).into(),
            value: if no_data {
                None
            } else {
                now.get(key).copied().flatten()
            },
            unit: (*unit).into(),
            target: target(key),
            previous: before.as_ref().and_then(|b| b.get(key).copied().flatten()),
        })
        .collect();
    let mut by_tier = BTreeMap::new();
    let mut by_trigger = BTreeMap::new();
    for e in &quarter.escalations {
        *by_tier.entry(e.tier.get().to_string()).or_insert(0) += 1;
        *by_trigger
            .entry(e.trigger.as_str().to_string())
            .or_insert(0) += 1;
    }
    Figures {
        no_data,
        escalations: quarter.escalations.len() as u32,
        by_tier,
        by_trigger,
        lines,
    }
}

/// Every headline figure: key, label, unit.
const LINES: &[(&str, &str, &str)] = &[
    (
        "acknowledged_in_time_pct",
        "Acknowledged in time (SLA kept)",
        "%",
    ),
    (
        "acknowledge_median_minutes",
        "Time to acknowledge, median",
        "min",
    ),
    (
        "resolved_by_deadline_pct",
        "Resolved by the owner's deadline",
        "%",
    ),
    ("resolve_median_minutes", "Time to resolve, median", "min"),
    ("updates_on_cadence_pct", "Updates on cadence", "%"),
    (
        "decision_latency_median_minutes",
        "Decision latency, median",
        "min",
    ),
    (
        "decision_latency_p90_minutes",
        "Decision latency, 90th percentile",
        "min",
    ),
    ("stalls", "Stalled decisions", "count"),
    ("expired_workarounds", "Expired workarounds", "count"),
    ("remediation_on_time_pct", "Remediation done on time", "%"),
    (
        "postmortems_published_pct",
        "Post-mortems published (tiers 1–2)",
        "%",
    ),
    ("feedback_mean", "Pilot feedback, mean of 1–5", "score"),
    ("drill_score_mean", "Drill score, mean of 0–100", "score"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-10-05T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(minute)
    }

    fn escalation(tier: i64, raised: i64) -> EscalationFact {
        let tier = Tier::new(tier).unwrap();
        EscalationFact {
            tier,
            trigger: Trigger::CustomerDefect,
            policy: Runbook::default().policy(tier),
            raised_at: at(raised),
            acknowledged_at: None,
            resolved_at: None,
            deadline: None,
            updates: vec![],
            workaround_expired: false,
            postmortem_published: false,
        }
    }

    fn empty(now: DateTime<Utc>) -> Facts {
        Facts {
            now,
            escalations: vec![],
            decisions: vec![],
            remediation: vec![],
        }
    }

    /// A fixed quarter: four tier 1s (acknowledge within 15 min, update hourly).
    fn quarter() -> Facts {
        let mut a = escalation(1, 0); // acknowledged at 10 min: kept
        a.acknowledged_at = Some(at(10));
        a.updates = vec![at(50), at(100)]; // on cadence twice
        a.resolved_at = Some(at(130)); // 30 min after the last update: fine
        a.deadline = Some(at(180)); // resolved by the deadline
        a.postmortem_published = true;
        let mut b = escalation(1, 0); // acknowledged at 20 min: missed
        b.acknowledged_at = Some(at(20));
        b.updates = vec![at(90)]; // 90 min after raising: late
        b.resolved_at = Some(at(300)); // 210 min after the update: late again
        b.deadline = Some(at(240)); // resolved after the deadline
        let mut c = escalation(1, 1000); // never acknowledged, long past due: missed
        c.workaround_expired = true;
        let d = escalation(1, 1400); // raised 5 min before now: not yet due, not counted
        Facts {
            now: at(1405),
            escalations: vec![a, b, c, d],
            decisions: vec![
                DecisionFact {
                    opened_at: at(0),
                    due_at: at(120),
                    answered_at: Some(at(30)),
                },
                DecisionFact {
                    opened_at: at(0),
                    due_at: at(120),
                    answered_at: Some(at(60)),
                },
                DecisionFact {
                    opened_at: at(0),
                    due_at: at(120),
                    answered_at: Some(at(90)),
                },
                DecisionFact {
                    opened_at: at(0),
                    due_at: at(120),
                    answered_at: Some(at(600)),
                },
                DecisionFact {
                    opened_at: at(1000),
                    due_at: at(1120),
                    answered_at: None,
                },
            ],
            remediation: vec![
                (at(500), Some(at(400))), // on time
                (at(500), Some(at(700))), // late
                (at(600), None),          // overdue
                (at(9000), None),         // not due yet: not counted
            ],
        }
    }

    fn value(figures: &Figures, key: &str) -> Option<f64> {
        figures.get(key).unwrap().value
    }

    #[test]
    fn figures_from_a_fixed_quarter() {
        let f = compute(&quarter(), &empty(at(0)), &Runbook::default());
        assert!(!f.no_data);
        assert_eq!(f.escalations, 4);
        assert_eq!(f.by_tier.get("1"), Some(&4));
        // SLA kept: a in time; b late; c never; d not yet due → 1 of 3.
        let kept = value(&f, "acknowledged_in_time_pct").unwrap();
        assert!((kept - 100.0 / 3.0).abs() < 1e-9, "{kept}");
        assert_eq!(value(&f, "acknowledge_median_minutes"), Some(15.0));
        assert_eq!(value(&f, "resolved_by_deadline_pct"), Some(50.0));
        // Updates: a 2 kept; b 2 late; c and d open past cadence: c late (d's 5 min is not).
        assert_eq!(value(&f, "updates_on_cadence_pct"), Some(40.0));
        // Decision latency: 30, 60, 90, 600 → median 75, p90 600; two stalled (one late answer,
        // one unanswered past due).
        assert_eq!(value(&f, "decision_latency_median_minutes"), Some(75.0));
        assert_eq!(value(&f, "decision_latency_p90_minutes"), Some(600.0));
        assert_eq!(value(&f, "stalls"), Some(2.0));
        assert_eq!(value(&f, "expired_workarounds"), Some(1.0));
        // Remediation: 1 on time of 3 counted.
        let on_time = value(&f, "remediation_on_time_pct").unwrap();
        assert!((on_time - 100.0 / 3.0).abs() < 1e-9);
        // Of the two resolved tier 1s, one has a published post-mortem.
        assert_eq!(value(&f, "postmortems_published_pct"), Some(50.0));
        assert_eq!(
            f.get("acknowledged_in_time_pct").unwrap().target.as_deref(),
            Some("Tier 1 15 min · Tier 2 1 h 00 min · Tier 3 4 h 00 min · Tier 4 1 d 0 h")
        );
    }

    #[test]
    fn last_quarter_sits_beside_this_one() {
        let mut before = quarter();
        before.escalations.truncate(1);
        let f = compute(&quarter(), &before, &Runbook::default());
        let line = f.get("acknowledged_in_time_pct").unwrap();
        assert_eq!(line.previous, Some(100.0));
        assert_eq!(line.change_text(), "−66.7");
        assert_eq!(f.get("stalls").unwrap().change_text(), "no change");
    }

    #[test]
    fn a_quarter_without_data_says_so_instead_of_showing_zeros() {
        let f = compute(&empty(at(0)), &quarter(), &Runbook::default());
        assert!(f.no_data);
        assert_eq!(f.escalations, 0);
        assert!(f.lines.iter().all(|l| l.value.is_none()), "{f:?}");
        assert_eq!(f.get("stalls").unwrap().change_text(), "—");
        assert_eq!(Figure::value_text(None, "count"), "no data");
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(p90(vec![]), None);
        assert_eq!(p90(vec![5.0]), Some(5.0));
        assert_eq!(p90((1..=10).map(f64::from).collect()), Some(9.0));
        assert_eq!(p90((1..=11).map(f64::from).collect()), Some(10.0));
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
    }
}
