//! The demo's measurements: Aurora's success criteria, two weeks of metric history fed the
//! way an integration would, and one live breach — checkout latency has crept over its
//! target in the last quarter hour, so its criterion has raised an escalation.

use app::auth::Actor;
use app::db::Db;
use app::error::AppError;
use app::launch::LaunchId;
use app::measure::model::{CriterionDraft, SampleDraft, SamplesDraft, starter_set};
use chrono::{DateTime, Duration, Utc};

/// A smooth, repeatable wobble (no randomness: the demo is the same every time).
fn wobble(i: i64, period: f64) -> f64 {
    (i as f64 * std::f64::consts::TAU / period).sin()
}

fn sample(metric: &str, value: f64, at: DateTime<Utc>) -> SampleDraft {
    SampleDraft {
        metric: Some(metric.into()),
        value: Some((value * 100.0).round() / 100.0),
        at: Some(at.to_rfc3339()),
    }
}

/// Adds the criteria (as the facilitator, `actors[1]`) and feeds the history (as a member,
/// `actors[2]`); the last samples breach the checkout criterion.
pub(super) async fn measure(db: &Db, actors: &[Actor], launch: LaunchId) -> Result<(), AppError> {
    let mut criteria = starter_set();
    criteria.push(CriterionDraft {
        name: Some("Payment error rate".into()),
        kind: Some("service_level".into()),
        metric: Some("payments.error_rate_pct".into()),
        comparator: Some("<=".into()),
        threshold: Some(1.0),
        unit: Some(Some("%".into())),
        window_minutes: Some(Some(60)),
        ..Default::default()
    });
    for draft in &criteria {
        app::measure::service::create(db, &actors[1], launch, draft).await?;
    }
    let now = Utc::now();
    let mut samples = Vec::new();
    for hour in (1..=14 * 24).rev() {
        let at = now - Duration::hours(hour);
        let i = 14 * 24 - hour;
        samples.push(sample(
            "checkout.p95_ms",
            560.0 + 90.0 * wobble(i, 24.0),
            at,
        ));
        samples.push(sample(
            "payments.error_rate_pct",
            0.45 + 0.2 * wobble(i, 12.0),
            at,
        ));
        if hour % 6 == 0 {
            samples.push(sample("csat", 4.45 + 0.15 * wobble(i, 48.0), at));
        }
    }
    // The last quarter hour: the new checkout's latency climbs past 800 ms.
    for (minutes, value) in [
        (40, 690.0),
        (25, 760.0),
        (12, 905.0),
        (6, 960.0),
        (1, 1010.0),
    ] {
        samples.push(sample(
            "checkout.p95_ms",
            value,
            now - Duration::minutes(minutes),
        ));
    }
    for chunk in samples.chunks(app::measure::model::MAX_SAMPLES) {
        let body = SamplesDraft {
            samples: Some(chunk.to_vec()),
        };
        app::measure::feed::record(db, &actors[2], launch, &body, now).await?;
    }
    Ok(())
}
