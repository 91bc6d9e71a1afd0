//! Dashboards: a launch's readiness verdict with its reasons, defect counts, time to fix,
//! customer impact and criteria (the team view), and every launch in planning or live,
//! readiness first (the executive's phone view). Drills never count.

pub mod api;
pub mod chart;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Dashboard, Readiness, Verdict};
