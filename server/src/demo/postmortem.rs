//! The demo's post-mortem: the resolved staging-links escalation's, written by its owner and
//! waiting on the escalation lead's review, with a remediation item owned.

use super::escalations::owner_of;
use app::auth::Actor;
use app::db::Db;
use app::error::AppError;
use app::escalation::EscalationId;
use app::postmortem::model::{ImpactDraft, PostMortemDraft, RemediationDraft};
use chrono::{Duration, Utc};

/// Writes and submits the post-mortem of the staging-links escalation (seed 4).
pub(super) async fn write(
    db: &Db,
    actors: &[Actor],
    created: &[EscalationId],
) -> Result<(), AppError> {
    // The staging-links escalation is resolved; its post-mortem waits on the escalation
    // lead's review, with a remediation item owned.
    let links = created[4];
    if let Some(owner) = owner_of(actors, 4) {
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
