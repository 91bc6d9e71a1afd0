//! Tier policies (DESIGN.md's defaults) and SLA maths, all driven by an explicit `now`.

mod history;

pub use history::{Comparison, Line, VersionEntry, compare};

use crate::auth::model::Person;
use crate::escalation::Tier;
use crate::launch::LaunchId;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What the runbook promises for one tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TierPolicy {
    pub tier: Tier,
    /// The red-flag criteria that put an escalation in this tier.
    pub red_flags: String,
    /// Minutes from raising to acknowledgement (first leaving Triggered).
    pub acknowledge_minutes: i64,
    /// Minutes between stand-up updates.
    pub update_minutes: i64,
    /// Minutes a decision request may wait before it is stalled.
    pub decide_minutes: i64,
    /// Whether executives are notified of escalations in this tier.
    pub notify_executives: bool,
    /// The escalation steps, in order: what the owner does first, second … Each escalation
    /// of the tier shows them as a checklist.
    #[serde(default)]
    pub steps: Vec<String>,
}

impl TierPolicy {
    pub fn acknowledge_within(&self) -> Duration {
        Duration::minutes(self.acknowledge_minutes)
    }

    pub fn update_every(&self) -> Duration {
        Duration::minutes(self.update_minutes)
    }

    pub fn decide_within(&self) -> Duration {
        Duration::minutes(self.decide_minutes)
    }
}

/// The runbook: one policy per tier, versioned. Either the default runbook every launch
/// runs on, or a pilot launch's own (`launch_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Runbook {
    pub version: i64,
    pub tiers: Vec<TierPolicy>,
    /// Why this version was saved ("Built-in defaults" for version 1).
    #[serde(default)]
    pub reason: String,
    /// The launch whose own runbook this is (a pilot's); none: the default runbook.
    #[serde(default)]
    pub launch_id: Option<LaunchId>,
    /// When it was saved (none: the built-in defaults). Ignored on a save.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// Who saved it (none: the built-in defaults). Ignored on a save.
    #[serde(default)]
    pub author: Option<Person>,
}

/// Several runbook versions, asked by number: escalations keep the times and steps of the
/// version they were raised under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runbooks(pub Vec<Runbook>);

impl Default for Runbooks {
    fn default() -> Self {
        Self(vec![Runbook::default()])
    }
}

impl Runbooks {
    /// The policy of `tier` in version `version`; a version not loaded (an escalation raised
    /// under a newer one since) reads as the newest loaded.
    pub fn policy(&self, version: i64, tier: Tier) -> TierPolicy {
        let exact = self.0.iter().find(|b| b.version == version);
        exact
            .or_else(|| self.0.iter().max_by_key(|b| b.version))
            .map_or_else(|| Runbook::default().policy(tier), |b| b.policy(tier))
    }
}

/// One escalation step as an escalation's checklist shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Step {
    pub text: String,
    /// Who ticked it (none: still to do).
    pub done_by: Option<Person>,
    pub done_at: Option<DateTime<Utc>>,
}

/// The reason version 1, the built-in defaults, carries.
pub const BUILT_IN: &str = "Built-in defaults";

impl Default for Runbook {
    /// DESIGN.md's defaults: tier 1 acknowledge 15 min, update hourly, decide within 2 h …
    /// tier 4 acknowledge 24 h, update daily, decide within 3 days.
    fn default() -> Self {
        let policy = |tier: i64, red_flags: &str, ack, update, decide, notify| TierPolicy {
            tier: Tier::new(tier).unwrap_or(Tier::ALL[3]),
            red_flags: red_flags.to_string(),
            acknowledge_minutes: ack,
            update_minutes: update,
            decide_minutes: decide,
            notify_executives: notify,
            steps: default_steps(tier),
        };
        Self {
            version: 1,
            reason: BUILT_IN.to_string(),
            launch_id: None,
            at: None,
            author: None,
            tiers: vec![
                policy(
                    1,
                    "Customers cannot complete a core journey, revenue is being lost, or a regulatory obligation is breached.",
                    15,
                    60,
                    120,
                    true,
                ),
                policy(
                    2,
                    "A core journey is degraded for many customers, or a launch milestone will slip without action.",
                    60,
                    4 * 60,
                    8 * 60,
                    true,
                ),
                policy(
                    3,
                    "A workaround exists; a secondary journey or a few customers are affected.",
                    4 * 60,
                    12 * 60,
                    24 * 60,
                    false,
                ),
                policy(
                    4,
                    "Cosmetic or internal; no customer impact yet.",
                    24 * 60,
                    24 * 60,
                    3 * 24 * 60,
                    false,
                ),
            ],
        }
    }
}

/// The built-in escalation steps of a tier: the seed's "step-by-step escalation steps".
fn default_steps(tier: i64) -> Vec<String> {
    let steps: &[&str] = match tier {
        1 => &[
            "Acknowledge and assign an owner with authority and a deadline",
            "Convene the escalation team and call in the sponsor",
            "Contain customer impact: roll back, switch off or apply a time-boxed workaround",
            "Post the first stand-up update: problem, impact, mitigation, decision required",
            "Tell customer-facing teams what to say",
            "Ask for the decisions that block the fix, with a due time",
        ],
        2 => &[
            "Acknowledge and assign an owner with authority and a deadline",
            "Convene the escalation team",
            "Contain the impact or agree a time-boxed workaround",
            "Post the first stand-up update",
            "Ask for the decisions that block the fix",
        ],
        3 => &[
            "Acknowledge and assign an owner",
            "Confirm the workaround and its time-box",
            "Post an update at the next stand-up",
        ],
        _ => &[
            "Acknowledge and assign an owner",
            "Plan the fix into the launch backlog",
        ],
    };
    steps.iter().map(|s| (*s).to_string()).collect()
}

impl Runbook {
    /// The policy of a tier (the default one if the runbook lacks it).
    pub fn policy(&self, tier: Tier) -> TierPolicy {
        self.tiers
            .iter()
            .find(|p| p.tier == tier)
            .cloned()
            .or_else(|| {
                Runbook::default()
                    .tiers
                    .into_iter()
                    .find(|p| p.tier == tier)
            })
            .unwrap_or_else(|| Runbook::default().tiers.remove(3))
    }
}

/// How a clock reads: comfortably in time, running out, or overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockState {
    Ok,
    Soon,
    Overdue,
}

impl ClockState {
    pub fn class(self) -> &'static str {
        match self {
            Self::Ok => "clock-ok",
            Self::Soon => "clock-soon",
            Self::Overdue => "clock-overdue",
        }
    }
}

/// A window that opened at `start` and closes at `due`: overdue once `now` passes `due`,
/// running out once less than a quarter of the window (and at most a day) remains.
pub fn clock_state(start: DateTime<Utc>, due: DateTime<Utc>, now: DateTime<Utc>) -> ClockState {
    if now >= due {
        return ClockState::Overdue;
    }
    let window = (due - start).max(Duration::zero());
    let soon = (window / 4).min(Duration::days(1));
    if due - now <= soon {
        ClockState::Soon
    } else {
        ClockState::Ok
    }
}

/// When an escalation raised at `raised_at` must be acknowledged.
pub fn acknowledge_due(policy: &TierPolicy, raised_at: DateTime<Utc>) -> DateTime<Utc> {
    raised_at + policy.acknowledge_within()
}

/// When the next stand-up update is due: a cadence after the last update, or after raising.
pub fn update_due(
    policy: &TierPolicy,
    raised_at: DateTime<Utc>,
    last_update: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    last_update.unwrap_or(raised_at) + policy.update_every()
}

/// Whether the update cadence has been missed.
pub fn update_overdue(
    policy: &TierPolicy,
    raised_at: DateTime<Utc>,
    last_update: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    now > update_due(policy, raised_at, last_update)
}

/// When a decision requested at `requested_at` is due.
pub fn decision_due(policy: &TierPolicy, requested_at: DateTime<Utc>) -> DateTime<Utc> {
    requested_at + policy.decide_within()
}

/// A decision request is stalled once it is past due and still unanswered.
pub fn decision_is_stalled(due: DateTime<Utc>, answered: bool, now: DateTime<Utc>) -> bool {
    !answered && now > due
}

/// A workaround's time-box has expired when its expiry passed and the root-cause follow-up
/// is not done.
pub fn workaround_expired(
    expires_at: DateTime<Utc>,
    root_cause_done: bool,
    now: DateTime<Utc>,
) -> bool {
    !root_cause_done && now >= expires_at
}

/// "12 min", "3 h 05 min", "2 d 4 h" — how long until (or since) an instant.
pub fn span_text(span: Duration) -> String {
    let secs = span.num_seconds().abs();
    let (d, h, m) = (secs / 86_400, (secs % 86_400) / 3_600, (secs % 3_600) / 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min")
    } else {
        format!("{} s", secs.max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn tier(n: i64) -> Tier {
        Tier::new(n).unwrap()
    }

    #[test]
    fn defaults_follow_the_design() {
        let book = Runbook::default();
        let t1 = book.policy(tier(1));
        assert_eq!(
            (t1.acknowledge_minutes, t1.update_minutes, t1.decide_minutes),
            (15, 60, 120)
        );
        let t4 = book.policy(tier(4));
        assert_eq!(
            (t4.acknowledge_minutes, t4.update_minutes, t4.decide_minutes),
            (24 * 60, 24 * 60, 3 * 24 * 60)
        );
        assert!(t1.notify_executives && !t4.notify_executives);
        for pair in book.tiers.windows(2) {
            assert!(pair[0].acknowledge_minutes <= pair[1].acknowledge_minutes);
            assert!(pair[0].decide_minutes <= pair[1].decide_minutes);
        }
    }

    #[test]
    fn due_times_per_tier() {
        let book = Runbook::default();
        let raised = at("2026-11-26T10:00:00Z");
        assert_eq!(
            acknowledge_due(&book.policy(tier(1)), raised),
            at("2026-11-26T10:15:00Z")
        );
        assert_eq!(
            acknowledge_due(&book.policy(tier(4)), raised),
            at("2026-11-27T10:00:00Z")
        );
        assert_eq!(
            decision_due(&book.policy(tier(1)), raised),
            at("2026-11-26T12:00:00Z")
        );
        assert_eq!(
            decision_due(&book.policy(tier(4)), raised),
            at("2026-11-29T10:00:00Z")
        );
    }

    #[test]
    fn updates_fall_overdue_after_the_cadence() {
        let hourly = Runbook::default().policy(tier(1));
        let raised = at("2026-11-26T10:00:00Z");
        assert!(!update_overdue(
            &hourly,
            raised,
            None,
            at("2026-11-26T11:00:00Z")
        ));
        assert!(update_overdue(
            &hourly,
            raised,
            None,
            at("2026-11-26T11:00:01Z")
        ));
        let last = Some(at("2026-11-26T10:45:00Z"));
        assert!(!update_overdue(
            &hourly,
            raised,
            last,
            at("2026-11-26T11:30:00Z")
        ));
        assert!(update_overdue(
            &hourly,
            raised,
            last,
            at("2026-11-26T11:46:00Z")
        ));
    }

    #[test]
    fn decisions_stall_only_when_unanswered_past_due() {
        let due = at("2026-11-26T12:00:00Z");
        assert!(!decision_is_stalled(due, false, at("2026-11-26T12:00:00Z")));
        assert!(decision_is_stalled(due, false, at("2026-11-26T12:00:01Z")));
        assert!(!decision_is_stalled(due, true, at("2026-11-27T12:00:00Z")));
    }

    #[test]
    fn workarounds_expire_unless_the_root_cause_is_fixed() {
        let expiry = at("2026-11-26T12:00:00Z");
        assert!(!workaround_expired(
            expiry,
            false,
            at("2026-11-26T11:59:59Z")
        ));
        assert!(workaround_expired(
            expiry,
            false,
            at("2026-11-26T12:00:00Z")
        ));
        assert!(!workaround_expired(
            expiry,
            true,
            at("2026-11-30T12:00:00Z")
        ));
    }

    #[test]
    fn clocks_turn_amber_then_red() {
        let start = at("2026-11-26T10:00:00Z");
        let due = at("2026-11-26T14:00:00Z");
        assert_eq!(
            clock_state(start, due, at("2026-11-26T12:00:00Z")),
            ClockState::Ok
        );
        assert_eq!(
            clock_state(start, due, at("2026-11-26T13:00:00Z")),
            ClockState::Soon
        );
        assert_eq!(
            clock_state(start, due, at("2026-11-26T14:00:00Z")),
            ClockState::Overdue
        );
        // A long window turns amber a day before, not a quarter before.
        let far = at("2026-12-26T10:00:00Z");
        assert_eq!(
            clock_state(start, far, at("2026-12-24T10:00:00Z")),
            ClockState::Ok
        );
        assert_eq!(
            clock_state(start, far, at("2026-12-25T11:00:00Z")),
            ClockState::Soon
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span_text(Duration::seconds(42)), "42 s");
        assert_eq!(span_text(Duration::minutes(12)), "12 min");
        assert_eq!(span_text(Duration::minutes(185)), "3 h 05 min");
        assert_eq!(span_text(Duration::hours(52)), "2 d 4 h");
        assert_eq!(span_text(Duration::minutes(-12)), "12 min");
    }
}

/// The longest any runbook window may be: 30 days.
pub const MAX_MINUTES: i64 = 30 * 24 * 60;

/// The most escalation steps a tier may list.
pub const MAX_STEPS: usize = 20;

impl Runbook {
    /// One policy per tier 1–4, each window between a minute and 30 days, red flags within
    /// the text limit. Errors are keyed `tiers[0].acknowledge_minutes` and so on.
    pub fn validate(&self) -> Result<(), crate::error::FieldErrors> {
        let mut check = crate::validate::Checker::default();
        let mut seen: Vec<u8> = self.tiers.iter().map(|p| p.tier.get()).collect();
        seen.sort_unstable();
        if seen != [1, 2, 3, 4] {
            check.fail("tiers", "must list tiers 1, 2, 3 and 4 once each");
        }
        for (i, policy) in self.tiers.iter().enumerate() {
            for (name, value) in [
                ("acknowledge_minutes", policy.acknowledge_minutes),
                ("update_minutes", policy.update_minutes),
                ("decide_minutes", policy.decide_minutes),
            ] {
                if !(1..=MAX_MINUTES).contains(&value) {
                    check.fail(
                        &format!("tiers[{i}].{name}"),
                        format!("must be between 1 and {MAX_MINUTES} minutes"),
                    );
                }
            }
            check.text(&format!("tiers[{i}].red_flags"), Some(&policy.red_flags));
            let field = format!("tiers[{i}].steps");
            check.at_most(&field, policy.steps.len(), MAX_STEPS);
            for (n, step) in policy.steps.iter().enumerate() {
                check.name(&format!("{field}[{n}]"), Some(step));
            }
        }
        check.text("reason", Some(&self.reason));
        check.finish(())
    }
}

#[cfg(test)]
mod validation_tests {
    use super::*;

    #[test]
    fn the_default_runbook_is_valid_and_broken_ones_are_named() {
        assert!(Runbook::default().validate().is_ok());
        let mut broken = Runbook::default();
        broken.tiers[1].update_minutes = 0;
        broken.tiers[3].decide_minutes = MAX_MINUTES + 1;
        let errors = broken.validate().unwrap_err();
        assert!(errors.contains_key("tiers[1].update_minutes"));
        assert!(errors.contains_key("tiers[3].decide_minutes"));
        broken.tiers[0].steps = vec!["Page the team".into(), " ".into()];
        broken.tiers[2].steps = vec!["Step".into(); MAX_STEPS + 1];
        let errors = broken.validate().unwrap_err();
        assert!(errors.contains_key("tiers[0].steps[1]"));
        assert!(!errors.contains_key("tiers[0].steps[0]"));
        assert!(errors.contains_key("tiers[2].steps"));
        broken.tiers.pop();
        assert!(broken.validate().unwrap_err().contains_key("tiers"));
    }
}
