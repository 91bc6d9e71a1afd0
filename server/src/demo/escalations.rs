//! The demo's escalations: a dozen on Aurora across triggers, tiers and stages, each raised
//! by a member and walked along its path by the escalation lead and its raiser.

use app::auth::Actor;
use app::db::Db;
use app::error::AppError;
use app::escalation::model::{EscalationDraft, ImpactDraft, MoveRequest, RiskPostureInput};
use app::escalation::{EscalationId, Stage};
use app::launch::LaunchId;
use chrono::{Duration, Utc};

/// One demo escalation: what is raised (`owner` indexes the demo users), and the stages it
/// then moves through.
pub(super) struct Seed {
    title: &'static str,
    description: &'static str,
    trigger: &'static str,
    tier: i64,
    impact: (i64, i64, i64),
    pub(super) owner: Option<usize>,
    deadline_hours: Option<i64>,
    path: &'static [Stage],
    close_reason: Option<&'static str>,
    /// What resolving it recorded: outcome, risk level and risk note.
    resolution: Option<(&'static str, &'static str, &'static str)>,
}

pub(super) const ESCALATIONS: [Seed; 12] = [
    Seed {
        title: "Checkout fails for EU cards with 3-D Secure",
        description: "Payments with 3DS2 challenge time out for about 8% of EU customers since the 14:00 rollout wave.",
        trigger: "customer_defect",
        tier: 1,
        impact: (5, 5, 2),
        owner: Some(2),
        deadline_hours: Some(4),
        path: &[Stage::Triaged, Stage::Mitigating],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "GDPR consent banner missing on the new landing page",
        description: "Legal flagged that the consent banner does not render on the new landing page variant.",
        trigger: "customer_defect",
        tier: 1,
        impact: (2, 1, 5),
        owner: Some(5),
        deadline_hours: Some(6),
        path: &[Stage::Triaged, Stage::Mitigating],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Load test shows p99 latency at 2.4 s under launch-day traffic",
        description: "Forecast from the capacity model: API p99 crosses the 1 s SLO at 60% of expected launch peak.",
        trigger: "risk_forecast",
        tier: 2,
        impact: (4, 3, 0),
        owner: Some(2),
        deadline_hours: Some(30),
        path: &[Stage::Triaged],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Localisation for German is 70% complete",
        description: "Translation vendor is behind; the German storefront would ship with English strings.",
        trigger: "plan_deviation",
        tier: 2,
        impact: (3, 2, 1),
        owner: Some(6),
        deadline_hours: Some(48),
        path: &[Stage::Triaged, Stage::Mitigating],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Onboarding email links point to the staging domain",
        description: "Welcome emails sent since this morning link to staging.aurora.example.",
        trigger: "customer_defect",
        tier: 2,
        impact: (3, 1, 0),
        owner: Some(7),
        deadline_hours: Some(12),
        path: &[Stage::Triaged, Stage::Mitigating, Stage::Resolved],
        close_reason: None,
        resolution: Some((
            "Template variables fixed and a corrected email resent to 1,240 new customers.",
            "low",
            "Link checks now run before every campaign send.",
        )),
    },
    Seed {
        title: "Partner API rate limits lower than contracted",
        description: "Partner integration receives 429s at 50 req/s; the contract says 200.",
        trigger: "plan_deviation",
        tier: 2,
        impact: (2, 4, 0),
        owner: Some(8),
        deadline_hours: Some(20),
        path: &[Stage::Triaged, Stage::Mitigating],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Support macros not updated for the new plans",
        description: "Agents answer with last quarter's pricing.",
        trigger: "plan_deviation",
        tier: 3,
        impact: (2, 1, 0),
        owner: Some(9),
        deadline_hours: Some(72),
        path: &[Stage::Triaged, Stage::Mitigating],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Pricing page shows USD to UK visitors",
        description: "Geo-IP currency detection falls back to USD for some UK ISPs.",
        trigger: "customer_defect",
        tier: 3,
        impact: (2, 2, 1),
        owner: Some(5),
        deadline_hours: Some(96),
        path: &[],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Mobile app review may slip past launch day",
        description: "App store review queue times are trending up; approval may land after launch.",
        trigger: "risk_forecast",
        tier: 3,
        impact: (2, 2, 0),
        owner: None,
        deadline_hours: None,
        path: &[],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Press kit screenshots show the old navigation",
        description: "Marketing assets predate the navigation redesign.",
        trigger: "plan_deviation",
        tier: 4,
        impact: (1, 0, 0),
        owner: Some(6),
        deadline_hours: Some(120),
        path: &[Stage::Triaged, Stage::Mitigating, Stage::Resolved],
        close_reason: None,
        resolution: Some((
            "Screenshots retaken from the release build and the press kit republished.",
            "low",
            "",
        )),
    },
    Seed {
        title: "Sales deck still lists the retired Starter plan",
        description: "Two enterprise prospects asked about a plan we no longer sell.",
        trigger: "plan_deviation",
        tier: 4,
        impact: (0, 1, 0),
        owner: None,
        deadline_hours: None,
        path: &[],
        close_reason: None,
        resolution: None,
    },
    Seed {
        title: "Status page footer has a broken link",
        description: "The footer links to a removed help article.",
        trigger: "customer_defect",
        tier: 4,
        impact: (1, 0, 0),
        owner: Some(9),
        deadline_hours: Some(24),
        path: &[Stage::Triaged, Stage::Resolved, Stage::Closed],
        close_reason: Some("Fixed in the CMS; no customer reports."),
        resolution: Some((
            "Footer link repointed to the current help article.",
            "low",
            "",
        )),
    },
];

/// The owner of seed `seed`, if it has one.
pub(super) fn owner_of(actors: &[Actor], seed: usize) -> Option<&Actor> {
    ESCALATIONS[seed].owner.map(|o| &actors[o])
}

/// Raises every seed on `launch` and moves it along its path; answers their ids in
/// `ESCALATIONS` order.
pub(super) async fn raise(
    db: &Db,
    actors: &[Actor],
    launch: LaunchId,
) -> Result<Vec<EscalationId>, AppError> {
    let facilitator = &actors[1];
    let now = Utc::now();
    let mut created = Vec::new();
    for (i, seed) in ESCALATIONS.iter().enumerate() {
        let raiser = &actors[[2, 5, 6, 7, 8, 9][i % 6]];
        let escalation = app::escalation::service::create(
            db,
            raiser,
            &EscalationDraft {
                launch_id: Some(launch.0),
                title: Some(seed.title.into()),
                description: Some(seed.description.into()),
                trigger: Some(seed.trigger.into()),
                tier: Some(seed.tier),
                impact: ImpactDraft {
                    customer: Some(seed.impact.0),
                    revenue: Some(seed.impact.1),
                    compliance: Some(seed.impact.2),
                },
                owner_id: seed.owner.map(|o| actors[o].id.0),
                deadline: seed
                    .deadline_hours
                    .map(|h| (now + Duration::hours(h)).to_rfc3339()),
            },
        )
        .await?;
        created.push(escalation.id);
        let mut version = escalation.version;
        for (step, stage) in seed.path.iter().enumerate() {
            let mover = if step == 0 { facilitator } else { raiser };
            let moved = app::escalation::service::move_to(
                db,
                if mover.can(app::auth::Permission::WorkEscalations) {
                    mover
                } else {
                    facilitator
                },
                EscalationId(escalation.id.0),
                &MoveRequest {
                    stage: Some(stage.as_str().into()),
                    version: Some(version),
                    reason: (*stage == Stage::Closed)
                        .then(|| seed.close_reason.unwrap_or_default().into()),
                    outcome: seed.resolution.map(|(outcome, _, _)| outcome.into()),
                    risk_posture: seed.resolution.map(|(_, level, note)| RiskPostureInput {
                        level: Some(level.into()),
                        note: Some(note.into()),
                    }),
                },
            )
            .await?;
            version = moved.version;
        }
    }
    Ok(created)
}
