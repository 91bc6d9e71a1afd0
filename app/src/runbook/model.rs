//! Tier policies (DESIGN.md's defaults) and SLA maths, all driven by an explicit `now`.

use crate::escalation::Tier;
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

/// The runbook: one policy per tier, versioned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Runbook {
    pub version: i64,
    pub tiers: Vec<TierPolicy>,
}

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
        };
        Self {
            version: 1,
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
        }
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
        broken.tiers.pop();
        assert!(broken.validate().unwrap_err().contains_key("tiers"));
    }
}
