//! The demo's launches: Aurora 2.0, live, with the owners' authority, a weekly escalation
//! team rotation, its daily stand-up and a weekly go/no-go review in Berlin; and Atlas
//! mobile 3.1, still in planning.

use app::auth::Actor;
use app::db::Db;
use app::error::AppError;
use app::launch::{Launch, LaunchDraft};
use chrono::{Datelike, Duration, Utc};

/// Creates both launches as the facilitator (`actors[1]`); answers Aurora, where the
/// escalations go.
pub(super) async fn create(db: &Db, actors: &[Actor]) -> Result<Launch, AppError> {
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
            status: None,
            sponsor_id: Some(actors[3].id.0),
            lead_id: Some(facilitator.id.0),
        },
    )
    .await?;
    // A launch starts in planning; Aurora has gone live, which gives it a daily stand-up.
    let launch = app::launch::service::update(
        db,
        facilitator,
        launch.id,
        launch.version,
        &LaunchDraft {
            name: Some(launch.name.clone()),
            target_date: Some(launch.target_date.to_string()),
            description: Some(launch.description.clone()),
            status: Some("live".into()),
            sponsor_id: launch.sponsor.as_ref().map(|p| p.id.0),
            lead_id: launch.lead.as_ref().map(|p| p.id.0),
        },
    )
    .await?;
    // The members who own escalations hold authority to commit resources for the launch.
    let owners: Vec<i64> = [2, 5, 6, 7, 8, 9, 11]
        .iter()
        .map(|i| actors[*i].id.0)
        .collect();
    app::launch::service::set_authority(db, facilitator, launch.id, &owners).await?;
    // The launch team adds a weekly go/no-go review.
    app::meeting::service::add_cadence(
        db,
        facilitator,
        launch.id,
        &app::meeting::model::CadenceDraft {
            name: Some("Go/no-go review".into()),
            kind: Some("review".into()),
            every: Some("week".into()),
            at: Some("16:00".into()),
            timezone: Some("Europe/Berlin".into()),
            minutes_long: Some(45),
            participants: vec![
                actors[3].id.0.into(),
                "role:facilitator".into(),
                "role:member".into(),
            ],
        },
        Utc::now(),
    )
    .await?;
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
    Ok(launch)
}
