//! Who is told what: the notification rules that follow the runbook. Pure — the service
//! turns an `Audience` into people (`service::stakeholders`).

use crate::escalation::Tier;
use crate::runbook::TierPolicy;

/// Something that happened to an escalation that people must hear about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occasion {
    /// Raised (by a person, a breach or a drill).
    Raised,
    /// Moved to Resolved, with its outcome and risk posture.
    Resolved,
    /// Still Triggered after the tier's time to acknowledge.
    AcknowledgementMissed,
    /// No stand-up update within the tier's update cadence.
    UpdateMissed,
    /// A decision request past its due time.
    DecisionStalled,
}

/// A group of people, relative to one escalation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Whom a decision request is addressed to.
    Addressee,
    Owner,
    /// The escalation team on duty when it was raised.
    Team,
    /// Everyone who acted on it.
    Actors,
    /// The launch's escalation lead.
    Lead,
    /// The launch's senior sponsor.
    Sponsor,
    /// Every active executive.
    Executives,
}

/// Who hears of `occasion` on an escalation of `tier`, under the tier's runbook policy.
///
/// Stakeholders (DESIGN.md) are the owner, the team, everyone who acted on it, the sponsor
/// and the lead, and the executives where the policy says `notify_executives`. Resolving
/// tells all of them; raising tells the stakeholders by tier (a tier 3–4 stays with its
/// owner and team unless the policy calls executives); a missed acknowledgement or update
/// tells the owner and the lead; a stalled decision its addressee, the lead and the sponsor
/// (the protocol's urgent meeting).
pub fn audience(occasion: Occasion, tier: Tier, policy: &TierPolicy) -> Vec<Audience> {
    use Audience::*;
    let mut who = match occasion {
        Occasion::Resolved => vec![Owner, Team, Actors, Lead, Sponsor],
        Occasion::Raised if tier.is_major() => vec![Owner, Team, Lead, Sponsor],
        Occasion::Raised => vec![Owner, Team],
        Occasion::AcknowledgementMissed | Occasion::UpdateMissed => vec![Owner, Lead],
        Occasion::DecisionStalled => vec![Addressee, Lead, Sponsor],
    };
    if policy.notify_executives && matches!(occasion, Occasion::Raised | Occasion::Resolved) {
        who.push(Executives);
    }
    who
}

#[cfg(test)]
mod tests {
    use super::Audience::*;
    use super::*;
    use crate::runbook::Runbook;

    fn told(occasion: Occasion, tier: i64) -> Vec<Audience> {
        let runbook = Runbook::default();
        let tier = Tier::new(tier).unwrap();
        audience(occasion, tier, &runbook.policy(tier))
    }

    #[test]
    fn raising_tells_stakeholders_by_tier_and_executives_where_the_runbook_says() {
        assert_eq!(
            told(Occasion::Raised, 1),
            [Owner, Team, Lead, Sponsor, Executives]
        );
        assert_eq!(
            told(Occasion::Raised, 2),
            [Owner, Team, Lead, Sponsor, Executives]
        );
        assert_eq!(told(Occasion::Raised, 3), [Owner, Team]);
        assert_eq!(told(Occasion::Raised, 4), [Owner, Team]);
    }

    #[test]
    fn the_runbook_policy_decides_whether_executives_hear() {
        let tier = Tier::new(3).unwrap();
        let mut policy = Runbook::default().policy(tier);
        policy.notify_executives = true;
        assert!(audience(Occasion::Raised, tier, &policy).contains(&Executives));
        assert!(audience(Occasion::Resolved, tier, &policy).contains(&Executives));
        assert!(!audience(Occasion::UpdateMissed, tier, &policy).contains(&Executives));
        let tier = Tier::new(1).unwrap();
        policy = Runbook::default().policy(tier);
        policy.notify_executives = false;
        assert!(!audience(Occasion::Raised, tier, &policy).contains(&Executives));
    }

    #[test]
    fn resolving_tells_every_stakeholder() {
        assert_eq!(
            told(Occasion::Resolved, 1),
            [Owner, Team, Actors, Lead, Sponsor, Executives]
        );
        assert_eq!(
            told(Occasion::Resolved, 4),
            [Owner, Team, Actors, Lead, Sponsor]
        );
    }

    #[test]
    fn misses_tell_the_owner_and_the_lead_and_stalls_the_sponsor_too() {
        for tier in 1..=4 {
            assert_eq!(told(Occasion::AcknowledgementMissed, tier), [Owner, Lead]);
            assert_eq!(told(Occasion::UpdateMissed, tier), [Owner, Lead]);
            assert_eq!(
                told(Occasion::DecisionStalled, tier),
                [Addressee, Lead, Sponsor]
            );
        }
    }
}
