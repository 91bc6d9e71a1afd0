//! The escalation team: functional roles (product owner, engineering lead, marketing,
//! customer success, sales, support) and the rotation that decides who is on duty, so the
//! same people do not carry every escalation.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{FunctionalRole, Rotation};
