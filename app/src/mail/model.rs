//! A person's email choices and which notices each choice covers.

use crate::auth::model::Role;
use crate::escalation::Tier;
use crate::notification::NotificationKind;
use serde::{Deserialize, Serialize};

/// What one person is mailed: four kinds of immediate mail and the daily digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailChoices {
    /// What waits on me: a decision asked of me, an escalation or action given to me, a
    /// missed acknowledgement or update on what I own or lead, a meeting I am called to.
    pub asked_of_me: bool,
    /// Stalled decisions and expired workarounds I am told of.
    pub stalls: bool,
    /// Tier 1–2 escalations raised or resolved where I am a stakeholder.
    pub major_escalations: bool,
    /// Success criteria breached (and recovered) on launches I am on duty for or lead.
    pub breaches: bool,
    /// Once a day: launch health, new tier 1–2 escalations, decisions taken, what waits on me.
    pub daily_digest: bool,
}

/// Which choice a notice falls under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    AskedOfMe,
    Stalls,
    MajorEscalations,
    Breaches,
}

impl Choice {
    /// The choice that covers notices of `kind`.
    pub fn of(kind: NotificationKind) -> Self {
        use NotificationKind as K;
        match kind {
            K::OwnerAssigned
            | K::DecisionRequested
            | K::ActionOverdue
            | K::MeetingCalled
            | K::AcknowledgementMissed
            | K::UpdateMissed => Self::AskedOfMe,
            K::DecisionStalled | K::WorkaroundExpired => Self::Stalls,
            K::EscalationRaised | K::EscalationResolved => Self::MajorEscalations,
            K::CriterionBreached | K::DeescalationSuggested => Self::Breaches,
        }
    }

    /// What the choice mails, as the end of "you chose to be mailed about …".
    pub fn topic(self) -> &'static str {
        match self {
            Self::AskedOfMe => "what waits on you",
            Self::Stalls => "stalled decisions and expired workarounds",
            Self::MajorEscalations => "tier 1–2 escalations you are a stakeholder of",
            Self::Breaches => "success-criterion breaches",
        }
    }
}

impl EmailChoices {
    /// Until someone chooses: every immediate mail, and the digest for executives.
    pub fn defaults(role: Role) -> Self {
        Self {
            asked_of_me: true,
            stalls: true,
            major_escalations: true,
            breaches: true,
            daily_digest: role == Role::Executive,
        }
    }

    /// Whether a notice of `kind`, on an escalation of `tier` if any, is mailed. Raised and
    /// resolved escalations are mailed for tiers 1–2 only (the rest stay in Flare).
    pub fn wants(&self, kind: NotificationKind, tier: Option<Tier>) -> bool {
        match Choice::of(kind) {
            Choice::AskedOfMe => self.asked_of_me,
            Choice::Stalls => self.stalls,
            Choice::MajorEscalations => {
                self.major_escalations && tier.is_some_and(|t| t.get() <= 2)
            }
            Choice::Breaches => self.breaches,
        }
    }

    /// `change`'s choices over these; a choice it leaves out stays as it is.
    pub fn with(self, change: &EmailChoicesRequest) -> Self {
        Self {
            asked_of_me: change.asked_of_me.unwrap_or(self.asked_of_me),
            stalls: change.stalls.unwrap_or(self.stalls),
            major_escalations: change.major_escalations.unwrap_or(self.major_escalations),
            breaches: change.breaches.unwrap_or(self.breaches),
            daily_digest: change.daily_digest.unwrap_or(self.daily_digest),
        }
    }
}

/// `PUT /api/v1/me/notifications`: the choices to change; one left out stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailChoicesRequest {
    pub asked_of_me: Option<bool>,
    pub stalls: Option<bool>,
    pub major_escalations: Option<bool>,
    pub breaches: Option<bool>,
    pub daily_digest: Option<bool>,
}

/// `GET /api/v1/me/notifications`: where mail goes, whether this Flare sends mail at all,
/// and the caller's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailSettings {
    pub email: String,
    /// Whether the operator set up mail (`FLARE_SMTP_URL`); choices are kept either way.
    pub sending: bool,
    #[serde(flatten)]
    pub choices: EmailChoices,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executives_get_the_digest_by_default_and_everyone_the_immediate_mail() {
        let exec = EmailChoices::defaults(Role::Executive);
        let member = EmailChoices::defaults(Role::Member);
        assert!(exec.daily_digest && !member.daily_digest);
        for kind in NotificationKind::ALL {
            let tier = Tier::new(1);
            assert!(member.wants(kind, tier), "{kind:?}");
        }
    }

    #[test]
    fn raised_and_resolved_are_mailed_for_tiers_one_and_two_only() {
        let all = EmailChoices::defaults(Role::Member);
        let raised = NotificationKind::EscalationRaised;
        assert!(all.wants(raised, Tier::new(2)));
        assert!(!all.wants(raised, Tier::new(3)));
        assert!(!all.wants(raised, None));
    }

    #[test]
    fn each_choice_silences_its_own_notices_only() {
        let none = EmailChoices {
            stalls: false,
            ..EmailChoices::defaults(Role::Member)
        };
        assert!(!none.wants(NotificationKind::DecisionStalled, None));
        assert!(!none.wants(NotificationKind::WorkaroundExpired, None));
        assert!(none.wants(NotificationKind::DecisionRequested, None));
        assert!(none.wants(NotificationKind::CriterionBreached, None));
    }

    #[test]
    fn a_change_keeps_what_it_leaves_out() {
        let before = EmailChoices::defaults(Role::Executive);
        let after = before.with(&EmailChoicesRequest {
            daily_digest: Some(false),
            ..Default::default()
        });
        assert_eq!(
            after,
            EmailChoices {
                daily_digest: false,
                ..before
            }
        );
    }
}
