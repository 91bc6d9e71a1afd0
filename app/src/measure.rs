//! Measurement: a launch's success criteria, the metric samples fed to it (and the built-in
//! metrics Flare samples from its own data), and breaches — a criterion going into breach
//! raises one escalation, exactly once across app servers; its recovery suggests
//! de-escalation.

pub mod api;
#[cfg(feature = "ssr")]
pub mod builtin;
#[cfg(feature = "ssr")]
pub mod feed;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod series;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Comparator, Criterion, CriterionDraft, CriterionId, CriterionKind, Status};
