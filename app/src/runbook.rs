//! The runbook: per tier, how fast an escalation must be acknowledged, how often it is
//! updated, how long a decision may wait, and whether executives are told. Plus the pure
//! SLA maths every clock, flag and scheduled check is built on.

pub mod model;

pub use model::{ClockState, Runbook, TierPolicy};
