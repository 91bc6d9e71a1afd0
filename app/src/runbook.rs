//! The runbook: per tier, how fast an escalation must be acknowledged, how often it is
//! updated, how long a decision may wait, whether executives are told, and the escalation
//! steps the owner ticks off. Every save is a version with who, when and why; escalations
//! keep the version they were raised under; a pilot launch may run on its own runbook. Plus
//! the pure SLA maths every clock, flag and scheduled check is built on.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;
pub mod versions;

pub use model::{ClockState, Runbook, Runbooks, TierPolicy};
