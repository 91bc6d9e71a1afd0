//! The board's first view: its data alone (the queries), and the whole page rendered
//! through the router for a signed-in facilitator.

use crate::fixture::{Fixture, session_cookie};
use crate::{line, percentile};
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use std::time::Instant;
use tower::ServiceExt;

/// The board's data alone (its queries, no HTTP or HTML), to tell the two costs apart.
pub(crate) async fn bench_board_data(fx: &Fixture) {
    let mut times = Vec::new();
    for i in 0..330 {
        let started = Instant::now();
        app::board::service::view(
            &fx.db.conn,
            &fx.actor,
            app::launch::LaunchId(fx.launch),
            app::board::BoardFilter::default(),
            chrono::Utc::now(),
        )
        .await
        .expect("board");
        if i >= 30 {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    line(format!(
        "board first view, data only (its queries, no HTTP or HTML): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&times, 50.0),
        percentile(&times, 99.0),
    ));
}

/// The board page through the router, as the signed-in facilitator: 30 warm-up renders,
/// then 300 timed.
pub(crate) async fn bench_render(fx: &Fixture) {
    let router = server::router(fx.state.clone(), 1 << 20);
    let cookie = session_cookie(&router).await;
    let path = format!("/launches/{}/board", fx.launch);
    let render = || {
        let router = router.clone();
        let req = Request::get(&path)
            .header("cookie", &cookie)
            .body(Body::empty())
            .expect("request");
        async move {
            let started = Instant::now();
            let res = router.oneshot(req).await.expect("response");
            assert!(res.status().is_success(), "board answered {}", res.status());
            let body = res.into_body().collect().await.expect("body").to_bytes();
            (started.elapsed(), body.len())
        }
    };
    for _ in 0..30 {
        render().await;
    }
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..300 {
        let (t, len) = render().await;
        times.push(t.as_secs_f64() * 1000.0);
        bytes = len;
    }
    times.sort_by(f64::total_cmp);
    line(format!(
        "board first view (500 escalations, top {} per column, {} kB HTML): p50 {:.2} ms, p99 {:.2} ms over {} renders",
        app::board::model::PAGE,
        bytes / 1024,
        percentile(&times, 50.0),
        percentile(&times, 99.0),
        times.len()
    ));
}
