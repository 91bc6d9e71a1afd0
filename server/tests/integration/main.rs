//! Flare's integration tests, one binary: the real router and the `flare` binary over real
//! HTTP, on SQLite and (with `FLARE_TEST_BACKEND=postgres`) on PostgreSQL. One binary links
//! the whole server once instead of once per file, which keeps a clean build's disk and
//! link time small.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failing test

mod common;

mod api_errors;
mod api_launches_escalations;
mod authorization;
mod board;
mod cli;
mod communicate;
mod compression;
mod dashboard;
mod email;
mod event_log;
mod hostile_input;
mod idempotency;
mod measure;
mod meetings;
mod multi_server;
mod page_policy;
mod page_safety;
mod postmortems;
mod raci_and_team;
mod realtime;
mod reviews;
mod runbook_versions;
mod scheduled_checks;
mod sessions_and_security;
mod stream_visibility;
mod throttle;
mod versions;
mod webhooks;
mod workflow;
