//! The templated stakeholder update: the seed's four parts (problem, impact, mitigation,
//! decision required) with the owner, deadline and outcome, as plain text to paste into chat
//! or mail.

use crate::escalation::Escalation;
use crate::update::model::Update;
use std::fmt::Write;

/// The update for `escalation` (of `launch`), from its newest stand-up update, linking to
/// `link`. Instants are UTC, so the text reads the same wherever it is pasted.
pub fn stakeholder_update(
    escalation: &Escalation,
    launch: &str,
    latest: Option<&Update>,
    link: &str,
) -> String {
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut text = format!(
        "{} — {} · {}\nLaunch: {launch}\n",
        escalation.title,
        escalation.tier,
        escalation.stage.label()
    );
    let four = match latest {
        Some(u) => [
            ("Problem", u.problem.clone()),
            ("Impact", u.impact.clone()),
            ("Mitigation", u.mitigation.clone()),
            (
                "Decision required",
                u.decision_required.clone().unwrap_or_else(|| "None".into()),
            ),
        ],
        None => [
            ("Problem", escalation.description.clone()),
            ("Impact", "No stand-up update yet".into()),
            ("Mitigation", "No stand-up update yet".into()),
            ("Decision required", "None".into()),
        ],
    };
    for (label, value) in four {
        let _ = writeln!(text, "{label}: {value}");
    }
    let owner = escalation
        .owner
        .as_ref()
        .map_or_else(|| "Nobody yet".to_string(), |o| o.name.clone());
    let _ = writeln!(text, "Owner: {owner}");
    let deadline = escalation.deadline.map_or_else(|| "None set".into(), at);
    let _ = writeln!(text, "Deadline: {deadline}");
    match (&escalation.outcome, &escalation.risk_posture) {
        (None, None) => {
            let _ = writeln!(text, "Outcome: not resolved yet");
        }
        (outcome, posture) => {
            if let Some(outcome) = outcome {
                let _ = writeln!(text, "Outcome: {outcome}");
            }
            if let Some(posture) = posture {
                let _ = writeln!(text, "Risk posture: {}", posture.text());
            }
        }
    }
    if let Some(u) = latest {
        let _ = writeln!(
            text,
            "Last update: {} by {}",
            at(u.created_at),
            u.author.name
        );
    }
    let _ = write!(text, "{link}");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::{Person, UserId};
    use crate::escalation::{EscalationId, Impact, RiskLevel, RiskPosture, Stage, Tier, Trigger};
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn escalation() -> Escalation {
        Escalation {
            id: EscalationId(7),
            launch_id: crate::launch::LaunchId(1),
            title: "Checkout fails".into(),
            description: "EU cards time out".into(),
            trigger: Trigger::CustomerDefect,
            tier: Tier::new(1).unwrap(),
            impact: Impact::default(),
            priority: 80,
            stage: Stage::Resolved,
            owner_id: Some(UserId(3)),
            owner: Some(Person {
                id: UserId(3),
                name: "Ana Ruiz".into(),
            }),
            deadline: Some(at("2026-12-01T18:00:00Z")),
            acknowledged_at: None,
            version: 4,
            created_at: at("2026-11-30T09:00:00Z"),
            updated_at: at("2026-11-30T12:00:00Z"),
            last_update_at: None,
            decision_due_at: None,
            workaround: None,
            team: Default::default(),
            criterion_id: None,
            breach: None,
            drill: false,
            outcome: Some("Rolled back the gateway".into()),
            risk_posture: Some(RiskPosture {
                level: RiskLevel::Medium,
                note: "No spare capacity".into(),
            }),
            runbook_version: 1,
        }
    }

    #[test]
    fn the_update_has_the_four_parts_owner_deadline_and_outcome() {
        let update = Update {
            id: 1,
            escalation_id: EscalationId(7),
            author: Person {
                id: UserId(4),
                name: "Kofi Mensah".into(),
            },
            problem: "3DS challenges time out".into(),
            impact: "8% of EU checkouts fail".into(),
            mitigation: "Roll back the gateway".into(),
            decision_required: None,
            created_at: at("2026-11-30T10:30:00Z"),
        };
        let text = stakeholder_update(
            &escalation(),
            "Aurora",
            Some(&update),
            "https://flare.example.com/escalations/7",
        );
        assert_eq!(
            text,
            "Checkout fails — Tier 1 · Resolved\n\
             Launch: Aurora\n\
             Problem: 3DS challenges time out\n\
             Impact: 8% of EU checkouts fail\n\
             Mitigation: Roll back the gateway\n\
             Decision required: None\n\
             Owner: Ana Ruiz\n\
             Deadline: 2026-12-01 18:00 UTC\n\
             Outcome: Rolled back the gateway\n\
             Risk posture: Medium — No spare capacity\n\
             Last update: 2026-11-30 10:30 UTC by Kofi Mensah\n\
             https://flare.example.com/escalations/7"
        );
    }
}
