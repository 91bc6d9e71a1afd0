//! Stand-up updates: problem, current impact, proposed mitigation, and optionally the
//! decision required — which opens a decision request.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Update, UpdateDraft};
