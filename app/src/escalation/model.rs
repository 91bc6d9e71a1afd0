//! Escalation wire types and the pure rules about them (priority, stages, validation).

use crate::auth::model::{Person, UserId};
use crate::error::FieldErrors;
use crate::launch::LaunchId;
use crate::validate::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct EscalationId(pub i64);

impl std::fmt::Display for EscalationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What set the protocol off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    PlanDeviation,
    CustomerDefect,
    RiskForecast,
}

impl Trigger {
    pub const ALL: [Trigger; 3] = [
        Self::PlanDeviation,
        Self::CustomerDefect,
        Self::RiskForecast,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PlanDeviation => "plan_deviation",
            Self::CustomerDefect => "customer_defect",
            Self::RiskForecast => "risk_forecast",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PlanDeviation => "Plan deviation",
            Self::CustomerDefect => "Customer defect",
            Self::RiskForecast => "Risk forecast",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// Severity tier: 1 is the most severe, 4 the least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Tier(u8);

impl TryFrom<u8> for Tier {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, String> {
        Tier::new(i64::from(value)).ok_or_else(|| format!("tier {value} does not exist (1–4)"))
    }
}

impl From<Tier> for u8 {
    fn from(tier: Tier) -> u8 {
        tier.0
    }
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier(1), Tier(2), Tier(3), Tier(4)];

    pub fn new(value: i64) -> Option<Self> {
        (1..=4).contains(&value).then_some(Self(value as u8))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// Tiers 1 and 2 are major: they close only with a published post-mortem.
    pub fn is_major(self) -> bool {
        self.0 <= 2
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tier {}", self.0)
    }
}

/// Impact scores, each 0 (none) to 5 (severe).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Impact {
    pub customer: u8,
    pub revenue: u8,
    pub compliance: u8,
}

/// Priority from 0 to 100: higher is worked first.
///
/// `priority = 20 × (4 − tier) + 3 × customer + 2 × revenue + 3 × compliance`
///
/// The tier term gives 60, 40, 20, 0 for tiers 1–4; the impact term gives 0–40, with the
/// customer journey and compliance weighing 3 and revenue 2, because the protocol addresses
/// "critical customer-facing issues first". For equal impact a higher tier always ranks
/// higher; across tiers a large impact difference can win — a tier-2 outage hurting
/// customers, revenue and compliance at 5 (80) outranks a tier-1 risk with no impact yet (60).
pub fn priority(tier: Tier, impact: Impact) -> u8 {
    let tier_term = 20 * (4 - tier.get());
    let impact_term = 3 * impact.customer + 2 * impact.revenue + 3 * impact.compliance;
    tier_term + impact_term
}

/// Kanban column, in board order; `Closed` is off the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Triggered,
    Triaged,
    Mitigating,
    AwaitingDecision,
    Resolved,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Self::Triggered,
        Self::Triaged,
        Self::Mitigating,
        Self::AwaitingDecision,
        Self::Resolved,
        Self::Closed,
    ];
    /// The board's columns, in order.
    pub const BOARD: [Stage; 5] = [
        Self::Triggered,
        Self::Triaged,
        Self::Mitigating,
        Self::AwaitingDecision,
        Self::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Triggered => "triggered",
            Self::Triaged => "triaged",
            Self::Mitigating => "mitigating",
            Self::AwaitingDecision => "awaiting_decision",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Triggered => "Triggered",
            Self::Triaged => "Triaged",
            Self::Mitigating => "Mitigating",
            Self::AwaitingDecision => "Awaiting decision",
            Self::Resolved => "Resolved",
            Self::Closed => "Closed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn is_open(self) -> bool {
        self != Self::Closed
    }
}

/// An escalation as clients see it (also the REST `Escalation`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Escalation {
    pub id: EscalationId,
    pub launch_id: LaunchId,
    pub title: String,
    pub description: String,
    pub trigger: Trigger,
    pub tier: Tier,
    pub impact: Impact,
    pub priority: u8,
    pub stage: Stage,
    /// Who holds authority to commit resources for it.
    pub owner_id: Option<UserId>,
    pub owner: Option<Person>,
    /// When the owner must have it resolved (UTC).
    pub deadline: Option<DateTime<Utc>>,
    /// When it first left `triggered`.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Optimistic-locking version: every change must carry the one the client last saw.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The newest stand-up update.
    pub last_update_at: Option<DateTime<Utc>>,
    /// When the open decision request is due (none open: none).
    pub decision_due_at: Option<DateTime<Utc>>,
    /// A temporary workaround, time-boxed; a root-cause follow-up must be done before expiry.
    pub workaround: Option<Workaround>,
    /// The escalation team on duty when it was raised, seat by seat (user ids).
    #[serde(default)]
    pub team: std::collections::BTreeMap<crate::team::FunctionalRole, i64>,
}

/// A workaround with its time-box and root-cause follow-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Workaround {
    pub description: String,
    pub expires_at: DateTime<Utc>,
    /// The action item that fixes the root cause.
    pub root_cause_item_id: Option<i64>,
    /// Set when the time-box ran out with the root cause unfixed (the escalation then rose a tier).
    pub expired_at: Option<DateTime<Utc>>,
}

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
        let tier = Tier::new(check.int_in("tier", self.tier, 1..=4)).unwrap_or(Tier(4));
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

/// `POST /api/v1/escalations/{id}/move`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveRequest {
    pub stage: Option<String>,
    pub version: Option<i64>,
    /// Why a tier 3–4 escalation closes without a post-mortem.
    pub reason: Option<String>,
}

impl MoveRequest {
    /// The reason given, trimmed (blank is none): long text, at most 10,000 characters.
    pub fn reason(&self) -> Result<Option<String>, FieldErrors> {
        let mut check = Checker::default();
        let reason = check.text("reason", self.reason.as_deref());
        check.finish((!reason.is_empty()).then_some(reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(n: i64) -> Tier {
        Tier::new(n).unwrap()
    }

    fn impact(customer: u8, revenue: u8, compliance: u8) -> Impact {
        Impact {
            customer,
            revenue,
            compliance,
        }
    }

    #[test]
    fn priority_bands_by_tier_and_orders_by_impact() {
        assert_eq!(priority(tier(1), impact(0, 0, 0)), 60);
        assert_eq!(priority(tier(4), impact(0, 0, 0)), 0);
        assert_eq!(priority(tier(1), impact(5, 5, 5)), 100);
        assert_eq!(priority(tier(4), impact(5, 5, 5)), 40);
        // Customer and compliance weigh more than revenue within a tier.
        assert!(priority(tier(2), impact(1, 0, 0)) > priority(tier(2), impact(0, 1, 0)));
        assert_eq!(
            priority(tier(2), impact(1, 0, 0)),
            priority(tier(2), impact(0, 0, 1))
        );
        // A severe tier-2 incident outranks a tier-1 risk with no impact yet.
        assert!(priority(tier(2), impact(5, 5, 5)) > priority(tier(1), impact(0, 0, 0)));
    }

    #[test]
    fn priority_never_exceeds_100_and_falls_with_tier() {
        for t in 1..=4 {
            for c in 0..=5 {
                for r in 0..=5 {
                    for k in 0..=5 {
                        let p = priority(tier(t), impact(c, r, k));
                        assert!(p <= 100);
                        if t < 4 {
                            assert!(p > priority(tier(t + 1), impact(c, r, k)));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn tiers_outside_one_to_four_do_not_exist() {
        assert!(Tier::new(0).is_none() && Tier::new(5).is_none());
        assert!(tier(1).is_major() && tier(2).is_major() && !tier(3).is_major());
    }

    #[test]
    fn stages_round_trip_and_the_board_omits_closed() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert!(!Stage::BOARD.contains(&Stage::Closed));
        assert_eq!(Stage::AwaitingDecision.label(), "Awaiting decision");
    }

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
        assert_eq!(new.tier, tier(1));
        assert_eq!(new.impact, impact(5, 4, 0));
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
}

/// Leaving Triggered (acknowledging) needs someone with authority and a deadline.
pub fn may_leave_triggered(
    owner: Option<i64>,
    deadline: Option<DateTime<Utc>>,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if owner.is_none() {
        errors.insert(
            "owner_id".into(),
            "An owner with authority is needed before triage.".into(),
        );
    }
    if deadline.is_none() {
        errors.insert(
            "deadline".into(),
            "A deadline is needed before triage.".into(),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The tier an expired workaround re-escalates to: one more severe, tier 1 at most.
pub fn raised(tier: Tier) -> Tier {
    Tier::new(i64::from(tier.get()) - 1).unwrap_or(tier)
}

/// Whether an escalation may close: tiers 1–2 only with a published post-mortem; tiers 3–4
/// with a published one or a stated reason.
pub fn may_close(
    tier: Tier,
    postmortem_published: bool,
    reason: Option<&str>,
) -> Result<(), FieldErrors> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if postmortem_published || (!tier.is_major() && has_reason) {
        return Ok(());
    }
    let why = if tier.is_major() {
        "A tier 1–2 escalation closes only once its post-mortem is published."
    } else {
        "Give a reason for closing, or publish a post-mortem first."
    };
    let field = if tier.is_major() { "stage" } else { "reason" };
    Err(FieldErrors::from([(field.to_string(), why.to_string())]))
}

/// "a moment ago", "5 min ago", "3 h ago", "2 days ago".
pub fn time_ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..60 => "a moment ago".to_string(),
        60..3_600 => format!("{} min ago", secs / 60),
        3_600..86_400 => format!("{} h ago", secs / 3_600),
        _ => match secs / 86_400 {
            1 => "1 day ago".to_string(),
            days => format!("{days} days ago"),
        },
    }
}

#[cfg(test)]
mod close_tests {
    use super::*;

    #[test]
    fn triage_needs_an_owner_and_a_deadline() {
        let errors = may_leave_triggered(None, None).unwrap_err();
        assert!(errors.contains_key("owner_id") && errors.contains_key("deadline"));
        assert!(may_leave_triggered(Some(1), Some(DateTime::UNIX_EPOCH)).is_ok());
    }

    #[test]
    fn expired_workarounds_raise_the_tier_once() {
        assert_eq!(raised(Tier::new(3).unwrap()), Tier::new(2).unwrap());
        assert_eq!(raised(Tier::new(1).unwrap()), Tier::new(1).unwrap());
    }

    #[test]
    fn major_tiers_need_a_published_postmortem() {
        let t1 = Tier::new(1).unwrap();
        assert!(may_close(t1, false, Some("duplicate")).is_err());
        assert!(may_close(t1, true, None).is_ok());
        let t3 = Tier::new(3).unwrap();
        assert!(
            may_close(t3, false, None)
                .unwrap_err()
                .contains_key("reason")
        );
        assert!(may_close(t3, false, Some("  ")).is_err());
        assert!(may_close(t3, false, Some("Duplicate of #12")).is_ok());
    }

    #[test]
    fn times_read_naturally() {
        let now = DateTime::UNIX_EPOCH + chrono::Duration::days(10);
        let ago = |s| time_ago(now - chrono::Duration::seconds(s), now);
        assert_eq!(ago(5), "a moment ago");
        assert_eq!(ago(125), "2 min ago");
        assert_eq!(ago(7_300), "2 h ago");
        assert_eq!(ago(86_400), "1 day ago");
        assert_eq!(ago(3 * 86_400), "3 days ago");
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

/// A `datetime-local` value ("2026-11-27T14:30") at `offset_minutes` (JavaScript's sign:
/// minutes to add to local time to get UTC) as RFC 3339 UTC.
pub fn local_to_rfc3339(local: &str, offset_minutes: i64) -> Option<String> {
    let local = local.trim();
    if local.is_empty() {
        return None;
    }
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let utc = naive + chrono::Duration::minutes(offset_minutes);
    Some(
        utc.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn local_times_become_utc() {
        // 14:30 in UTC+1 (offset -60) is 13:30 UTC.
        assert_eq!(
            local_to_rfc3339("2026-11-27T14:30", -60).as_deref(),
            Some("2026-11-27T13:30:00Z")
        );
        assert_eq!(local_to_rfc3339("", 0), None);
        assert_eq!(local_to_rfc3339("tomorrow", 0), None);
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
