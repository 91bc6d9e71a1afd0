//! A launch's dashboard with 1,000 escalations and 1,000,000 metric samples: the figures
//! alone (its queries and maths), and `GET /api/v1/launches/{id}/dashboard` through the
//! router.

use crate::fixture::{Fixture, session_cookie};
use crate::{line, percentile};
use app::entity::metric_sample;
use app::launch::LaunchId;
use app::measure::model::CriterionDraft;
use axum::body::Body;
use axum::http::Request;
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use sea_orm::{EntityTrait, Set};
use std::time::Instant;
use tower::ServiceExt;

const SAMPLES: usize = 1_000_000;
const METRICS: [&str; 4] = [
    "checkout.p95_ms",
    "payments.error_rate_pct",
    "csat",
    "signup.conversion_pct",
];

/// Four criteria (two averaged over a window) and a million samples spread over them, one
/// every few seconds for the last weeks, written straight to the table.
pub(crate) async fn fill(fx: &Fixture) {
    for (i, metric) in METRICS.iter().enumerate() {
        let draft = CriterionDraft {
            name: Some(format!("Criterion on {metric}")),
            metric: Some((*metric).into()),
            comparator: Some("<=".into()),
            threshold: Some(1_000.0),
            window_minutes: Some((i % 2 == 0).then_some(15)),
            auto_escalate: Some(false),
            ..Default::default()
        };
        app::measure::service::create(&fx.db, &fx.actor, LaunchId(fx.launch), &draft)
            .await
            .expect("criterion");
    }
    let now = Utc::now();
    let per_metric = SAMPLES / METRICS.len();
    let started = Instant::now();
    let txn = fx.db.write().await.expect("transaction");
    let rows = (0..SAMPLES).map(|i| {
        let back = (per_metric - i / METRICS.len()) as i64 * 3;
        metric_sample::ActiveModel {
            launch_id: Set(fx.launch),
            metric: Set(METRICS[i % METRICS.len()].into()),
            value: Set(400.0 + (i % 500) as f64),
            at: Set(now - Duration::seconds(back)),
            ..Default::default()
        }
    });
    let mut batch = Vec::with_capacity(250);
    for row in rows {
        batch.push(row);
        if batch.len() == 250 {
            metric_sample::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(&*txn)
                .await
                .expect("samples");
        }
    }
    if !batch.is_empty() {
        metric_sample::Entity::insert_many(batch)
            .exec_without_returning(&*txn)
            .await
            .expect("samples");
    }
    txn.commit().await.expect("commit");
    tracing::info!(seconds = started.elapsed().as_secs(), "samples written");
}

/// The dashboard's figures alone, then through the REST door: 20 warm-up reads, 200 timed.
pub(crate) async fn bench_dashboard(fx: &Fixture) {
    let mut times = Vec::new();
    for i in 0..220 {
        let started = Instant::now();
        app::dashboard::service::launch_dashboard(
            &fx.db.conn,
            &fx.actor,
            LaunchId(fx.launch),
            Utc::now(),
        )
        .await
        .expect("dashboard");
        if i >= 20 {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    line(format!(
        "dashboard, figures only (1,000 escalations, 1,000,000 samples): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&times, 50.0),
        percentile(&times, 99.0),
    ));
    let router = server::router(fx.state.clone(), 1 << 20);
    let cookie = session_cookie(&router).await;
    let path = format!("/api/v1/launches/{}/dashboard", fx.launch);
    let mut times = Vec::new();
    for i in 0..220 {
        let req = Request::get(&path)
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .expect("request");
        let started = Instant::now();
        let res = router.clone().oneshot(req).await.expect("response");
        assert!(
            res.status().is_success(),
            "dashboard answered {}",
            res.status()
        );
        res.into_body().collect().await.expect("body");
        if i >= 20 {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    line(format!(
        "GET /api/v1/launches/{{id}}/dashboard (1,000 escalations, 1,000,000 samples): p50 {:.2} ms, p99 {:.2} ms (goal: p50 ≤ 20 ms)",
        percentile(&times, 50.0),
        percentile(&times, 99.0),
    ));
}
