//! The demo's escalations in motion: stand-up updates from their owners, two decisions asked
//! (one of them already stalled, as on a real launch day), and the checkout's time-boxed
//! workaround with its root-cause follow-up and an action item.

use super::escalations::owner_of;
use app::action::model::ActionDraft;
use app::auth::Actor;
use app::db::Db;
use app::entity::{decision_request, escalation};
use app::error::AppError;
use app::escalation::EscalationId;
use app::escalation::model::WorkaroundRequest;
use app::update::model::UpdateDraft;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

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

/// Posts the stand-ups, stalls the consent decision and puts checkout on its workaround;
/// `created` holds the escalations' ids in seed order.
pub(super) async fn work(
    db: &Db,
    actors: &[Actor],
    created: &[EscalationId],
) -> Result<(), AppError> {
    for standup in &STANDUPS {
        let Some(owner) = owner_of(actors, standup.seed) else {
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
    if let Some(owner) = owner_of(actors, 0) {
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
    Ok(())
}
