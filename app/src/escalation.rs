//! Escalations: one blocker each, with trigger, tier, impact, derived priority and stage.

pub mod api;
pub mod form;
pub mod list;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{
    Escalation, EscalationDraft, EscalationId, Impact, RiskLevel, RiskPosture, Stage, Tier, Trigger,
};
