//! `flare demo`: a realistic demo so the first screen is not empty — one user of every role
//! (plus the escalation team) and a launch with a dozen escalations across triggers, tiers
//! and stages, all created through the services so the event log tells their story.

use app::auth::Actor;
use app::auth::model::UserDraft;
use app::db::Db;
use app::error::AppError;
use app::escalation::model::{EscalationDraft, ImpactDraft, MoveRequest};
use app::escalation::{EscalationId, Stage};
use app::event::model::EventActor;
use app::launch::LaunchDraft;
use chrono::{Datelike, Duration, Utc};
use sea_orm::EntityTrait;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "flare-demo-2026";

/// (email, name, role, functional area)
pub const DEMO_USERS: [(&str, &str, &str, &str); 12] = [
    ("admin@flare.test", "Rosa Díaz", "admin", "operations"),
    (
        "facilitator@flare.test",
        "Farah Haddad",
        "facilitator",
        "operations",
    ),
    ("member@flare.test", "Jonas Berg", "member", "engineering"),
    (
        "executive@flare.test",
        "Elena Petrova",
        "executive",
        "leadership",
    ),
    ("viewer@flare.test", "Victor Lin", "viewer", "support"),
    ("priya@flare.test", "Priya Natarajan", "member", "product"),
    ("chloe@flare.test", "Chloé Martin", "member", "marketing"),
    ("sam@flare.test", "Sam Okafor", "member", "customer_success"),
    ("diego@flare.test", "Diego Álvarez", "member", "sales"),
    ("mei@flare.test", "Mei Tanaka", "member", "support"),
    // A second escalation lead, and a second engineering lead for the rotation.
    (
        "amara@flare.test",
        "Amara Osei",
        "facilitator",
        "operations",
    ),
    ("tomas@flare.test", "Tomás Rivera", "member", "engineering"),
];

struct Seed {
    title: &'static str,
    description: &'static str,
    trigger: &'static str,
    tier: i64,
    impact: (i64, i64, i64),
    owner: Option<usize>,
    deadline_hours: Option<i64>,
    path: &'static [Stage],
    close_reason: Option<&'static str>,
}

/// A stand-up update on seed `seed`, posted by its owner: problem, impact, mitigation and
/// the decision required (which moves the escalation to Awaiting decision).
struct Standup {
    seed: usize,
    problem: &'static str,
    impact: &'static str,
    mitigation: &'static str,
    decision: Option<&'static str>,
    to_sponsor: bool,
}

const STANDUPS: [Standup; 5] = [
    Standup {
        seed: 0,
        problem: "3DS2 challenges time out at one issuer's ACS for about 8% of EU card payments.",
        impact: "Around 340 failed checkouts an hour, roughly €21k of orders an hour.",
        mitigation: "Route 3DS2 traffic through the backup acquirer while the issuer fixes its ACS.",
        decision: None,
        to_sponsor: false,
    },
    Standup {
        seed: 1,
        problem: "The consent banner component was dropped from the new landing page template.",
        impact: "Every EU visitor is tracked without consent since the page went live.",
        mitigation: "Analytics tags are disabled on the page; the banner fix is in review.",
        decision: Some(
            "Take the landing page offline until the banner ships, or keep it live with tracking off?",
        ),
        to_sponsor: true,
    },
    Standup {
        seed: 3,
        problem: "German strings are 70% translated; checkout and account pages are still English.",
        impact: "German customers see mixed-language checkout on launch day.",
        mitigation: "A second agency started on the checkout strings this morning.",
        decision: None,
        to_sponsor: false,
    },
    Standup {
        seed: 5,
        problem: "The partner API allows 100 requests a minute; the contract says 1,000.",
        impact: "Partner catalogue sync falls 6 hours behind at launch-day volume.",
        mitigation: "Batching cuts calls by 40%; not enough on its own.",
        decision: Some(
            "Pay €4k a month for the higher rate-limit tier, or sync partners hourly during launch week?",
        ),
        to_sponsor: false,
    },
    Standup {
        seed: 6,
        problem: "Support macros still quote the old plan names and prices.",
        impact: "Agents send wrong prices; three tickets so far.",
        mitigation: "Macros are being rewritten; agents warned in the morning huddle.",
        decision: None,
        to_sponsor: false,
    },
];

const ESCALATIONS: [Seed; 12] = [
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
    },
];

/// Seeds the demo. With `if_empty`, does nothing when a launch already exists.
pub async fn seed(db: &Db, if_empty: bool) -> Result<(), AppError> {
    let has_launch = app::entity::launch::Entity::find()
        .one(&db.conn)
        .await?
        .is_some();
    if if_empty && has_launch {
        tracing::info!("the database already has launches; no demo seeded");
        return Ok(());
    }
    let flare = EventActor::system();
    let mut actors: Vec<Actor> = Vec::new();
    for (email, name, role, area) in DEMO_USERS {
        let existing = app::auth::service::find_by_email(&db.conn, email)
            .await
            .ok();
        let model = match existing {
            Some(model) => model,
            None => {
                let valid = UserDraft {
                    email: Some(email.into()),
                    name: Some(name.into()),
                    role: Some(role.into()),
                    functional_area: Some(area.into()),
                    password: Some(DEMO_PASSWORD.into()),
                }
                .validate()
                .map_err(AppError::invalid)?;
                app::auth::service::insert_user(db, &flare, valid).await?;
                app::auth::service::find_by_email(&db.conn, email).await?
            }
        };
        actors.push(app::auth::service::to_actor(&model));
    }
    let facilitator = &actors[1];
    let today = Utc::now().date_naive();
    let launch = app::launch::service::create(
        db,
        facilitator,
        &LaunchDraft {
            name: Some("Aurora 2.0 — EU rollout".into()),
            target_date: Some((today + Duration::days(12)).to_string()),
            description: Some(
                "Aurora 2.0 goes live in twelve EU markets: new checkout, new plans, localised storefronts."
                    .into(),
            ),
            status: Some("live".into()),
            sponsor_id: Some(actors[3].id.0),
            lead_id: Some(facilitator.id.0),
        },
    )
    .await?;
    // The members who own escalations hold authority to commit resources for the launch.
    let owners: Vec<i64> = [2, 5, 6, 7, 8, 9, 11]
        .iter()
        .map(|i| actors[*i].id.0)
        .collect();
    app::launch::service::set_authority(db, facilitator, launch.id, &owners).await?;
    app::launch::service::create(
        db,
        facilitator,
        &LaunchDraft {
            name: Some("Atlas mobile 3.1".into()),
            target_date: Some((today + Duration::days(45)).to_string()),
            description: Some(
                "Offline mode and the new widget for the iOS and Android apps.".into(),
            ),
            status: None,
            sponsor_id: Some(actors[3].id.0),
            lead_id: Some(facilitator.id.0),
        },
    )
    .await?;
    // The escalation team rotates weekly from this Monday; engineering leads alternate.
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let id = |i: usize| actors[i].id.0;
    use app::team::FunctionalRole::*;
    app::team::service::save(
        db,
        facilitator,
        launch.id,
        &app::team::Rotation {
            period_days: 7,
            starts_at: monday.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc(),
            roles: [
                (ProductOwner, vec![id(5)]),
                (EngineeringLead, vec![id(2), id(11)]),
                (Marketing, vec![id(6)]),
                (CustomerSuccess, vec![id(7)]),
                (Sales, vec![id(8)]),
                (Support, vec![id(9)]),
            ]
            .into_iter()
            .collect(),
            version: 0,
        },
    )
    .await?;
    let now = Utc::now();
    let mut created = Vec::new();
    for (i, seed) in ESCALATIONS.iter().enumerate() {
        let raiser = &actors[[2, 5, 6, 7, 8, 9][i % 6]];
        let escalation = app::escalation::service::create(
            db,
            raiser,
            &EscalationDraft {
                launch_id: Some(launch.id.0),
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
                },
            )
            .await?;
            version = moved.version;
        }
    }
    work_the_escalations(db, &actors, &created).await?;
    crate::cli::print_line(&format!(
        "Demo ready: \"{}\" with {} escalations. Sign in at http://127.0.0.1:3000/login with password {DEMO_PASSWORD} as:",
        launch.name,
        ESCALATIONS.len()
    ));
    for (email, name, role, _) in DEMO_USERS.iter().take(5) {
        crate::cli::print_line(&format!("  {role:<12} {email:<26} ({name})"));
    }
    Ok(())
}

/// The escalations in motion: stand-up updates from their owners, two decisions asked (one
/// of them already stalled, as on a real launch day), a time-boxed workaround with its
/// root-cause follow-up, and an action item.
async fn work_the_escalations(
    db: &Db,
    actors: &[Actor],
    created: &[EscalationId],
) -> Result<(), AppError> {
    use app::action::model::ActionDraft;
    use app::entity::{decision_request, escalation};
    use app::escalation::model::WorkaroundRequest;
    use app::update::model::UpdateDraft;
    use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};

    let owner_of = |seed: usize| ESCALATIONS[seed].owner.map(|o| &actors[o]);
    for standup in &STANDUPS {
        let Some(owner) = owner_of(standup.seed) else {
            continue;
        };
        app::update::service::post(
            db,
            owner,
            created[standup.seed],
            &UpdateDraft {
                problem: Some(standup.problem.into()),
                impact: Some(standup.impact.into()),
                mitigation: Some(standup.mitigation.into()),
                decision_required: standup.decision.map(Into::into),
                address_to: standup.to_sponsor.then(|| "sponsor".into()),
                version: None,
            },
        )
        .await?;
    }

    // The consent decision has waited past its tier's decision time: it is stalled.
    let stalled = created[1];
    let overdue = Utc::now() - Duration::minutes(40);
    if let Some(request) = decision_request::Entity::find()
        .filter(decision_request::Column::EscalationId.eq(stalled.0))
        .one(&db.conn)
        .await?
    {
        let mut request: decision_request::ActiveModel = request.into();
        request.opened_at = Set(overdue - Duration::hours(2));
        request.due_at = Set(overdue);
        request.update(&db.conn).await?;
        let mut row: escalation::ActiveModel = escalation::Entity::find_by_id(stalled.0)
            .one(&db.conn)
            .await?
            .ok_or(AppError::Internal)?
            .into();
        row.decision_due_at = Set(Some(overdue));
        row.update(&db.conn).await?;
    }

    // Checkout runs on the backup acquirer for now, time-boxed, with the real fix owned.
    let checkout = created[0];
    if let Some(owner) = owner_of(0) {
        let soon = |hours| (Utc::now() + Duration::hours(hours)).to_rfc3339();
        let current = app::escalation::service::get(&db.conn, owner, checkout).await?;
        app::escalation::service::set_workaround(
            db,
            owner,
            checkout,
            &WorkaroundRequest {
                version: Some(current.version),
                description: Some("3DS2 payments go through the backup acquirer.".into()),
                expires_at: Some(soon(10)),
                root_cause_title: Some(
                    "Issuer ACS timeout fixed and verified in production".into(),
                ),
                root_cause_owner_id: Some(owner.id.0),
                root_cause_due: Some(soon(8)),
            },
        )
        .await?;
        app::action::service::create(
            db,
            owner,
            checkout,
            &ActionDraft {
                title: Some("Tell the twelve market leads which cards are affected".into()),
                owner_id: Some(actors[6].id.0),
                due: Some(soon(2)),
                kind: None,
            },
        )
        .await?;
    }

    // The staging-links escalation is resolved; its post-mortem waits on the escalation
    // lead's review, with a remediation item owned.
    let links = created[4];
    if let Some(owner) = owner_of(4) {
        use app::postmortem::model::{ImpactDraft, PostMortemDraft, RemediationDraft};
        let started = (Utc::now() - Duration::hours(30)).to_rfc3339();
        app::postmortem::service::save(
            db,
            owner,
            links,
            &PostMortemDraft {
                summary: Some(
                    "Welcome emails sent for six hours linked to the staging domain; new customers could not finish onboarding from the email."
                        .into(),
                ),
                impact: Some(ImpactDraft {
                    customers_affected: Some(2_340),
                    revenue: Some(18_000),
                    segments: Some(vec!["EU".into(), "Self-serve".into()]),
                    started_at: Some(started),
                }),
                root_causes: Some(vec![
                    "The email templates read the base URL from a build variable that defaults to staging.".into(),
                    "No check compares links in outgoing templates with the production domain.".into(),
                ]),
                contributing_factors: Some("The template change shipped in the launch-week freeze exception batch.".into()),
                went_well: Some("Support spotted it from three tickets within the hour.".into()),
                went_poorly: Some("Nobody owned the email templates during launch week.".into()),
                got_lucky: Some("Staging was up, so links worked after a redirect was added.".into()),
                learnings: Some("Production links must be asserted in the release checklist.".into()),
                remediation: Some(vec![RemediationDraft {
                    title: Some("Fail the build when a template links to a non-production domain".into()),
                    owner_id: Some(actors[2].id.0),
                    due: Some((Utc::now() + Duration::days(10)).format("%Y-%m-%d").to_string()),
                    ..Default::default()
                }]),
                ..Default::default()
            },
        )
        .await?;
        app::postmortem::service::submit(db, owner, links, &[actors[1].id.0]).await?;
    }
    Ok(())
}
