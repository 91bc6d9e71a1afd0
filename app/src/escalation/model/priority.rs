//! Severity and urgency: the tier, the impact scores, the priority derived from both, and
//! the tier an expired workaround re-escalates to.

use serde::{Deserialize, Serialize};

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

/// The tier an expired workaround re-escalates to: one more severe, tier 1 at most.
pub fn raised(tier: Tier) -> Tier {
    Tier::new(i64::from(tier.get()) - 1).unwrap_or(tier)
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
    fn expired_workarounds_raise_the_tier_once() {
        assert_eq!(raised(Tier::new(3).unwrap()), Tier::new(2).unwrap());
        assert_eq!(raised(Tier::new(1).unwrap()), Tier::new(1).unwrap());
    }
}
