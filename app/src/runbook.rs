//! The runbook: per tier, how fast an escalation must be acknowledged, how often it is
//! updated, how long a decision may wait, and whether executives are told. Versioned;
//! facilitators edit it, every change is an event. Plus the pure SLA maths every clock,
//! flag and scheduled check is built on.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{ClockState, Runbook, TierPolicy};
