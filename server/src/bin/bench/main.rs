//! `make bench`: the board's figures, one per line — first-view render time for a 500-card
//! launch, card moves per second on SQLite, commit-to-delivery latency to 100 and 1,000
//! live WebSocket clients, and a dashboard over 1,000 escalations and 1,000,000 samples.
//! Everything runs on this machine, against loopback.
//!
//! A measuring tool, not a server: any failed setup step aborts the run with its reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod board_view;
mod dashboard;
mod delivery;
mod fixture;
mod moves;

use app::realtime::service::Hub;

/// The `p`th percentile of `sorted` (nearest rank); NaN when there is nothing to rank.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Prints one figure: stdout carries the figures, the log goes to stderr.
pub(crate) fn line(text: String) {
    server::cli::print_line(&text);
}

#[tokio::main]
async fn main() {
    server::telemetry::init();
    // `bench render moves delivery dashboard` runs only those parts (for profiling one of them).
    let only: Vec<String> = std::env::args().skip(1).collect();
    let run = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    if run("dashboard") {
        let fx = fixture::fixture(1_000).await;
        dashboard::fill(&fx).await;
        dashboard::bench_dashboard(&fx).await;
    }
    if !(run("render") || run("moves") || run("delivery")) {
        return;
    }
    let mut fx = fixture::fixture(500).await;
    if run("render") {
        board_view::bench_render(&fx).await;
        board_view::bench_board_data(&fx).await;
    }
    if run("moves") {
        moves::bench_moves(&mut fx).await;
    }
    if !run("delivery") {
        return;
    }
    for clients in [100, 1_000] {
        // A fresh hub per run: the previous run's shutdown ended its streams.
        let hub = Hub::default();
        tokio::spawn(app::realtime::service::run_relay(
            fx.db.clone(),
            hub.clone(),
        ));
        fx.state.hub = hub;
        delivery::bench_delivery(&mut fx, clients).await;
    }
}
