//! The quarterly governance review: a facilitator opens one for a quarter; Flare computes its
//! figures from its own records (drills apart) beside the runbook's targets and the previous
//! quarter; participants and findings are written; adjustments are proposed as typed changes
//! and adopting one changes the protocol itself; an executive signs it off; it exports as
//! Markdown.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Period, Review};
