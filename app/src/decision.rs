//! Decisions: requests addressed to someone with authority, due after their tier's decision
//! time (then stalled, with an urgent meeting to call), and the append-only decision log.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

pub use model::{Decision, DecisionDraft, DecisionRequest, Meeting};
