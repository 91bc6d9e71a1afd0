//! The escalation team: functional roles (product owner, engineering lead, marketing,
//! customer success, sales, support) and the rotation that decides who is on duty, so the
//! same people do not carry every escalation.

pub mod model;

pub use model::{FunctionalRole, Rotation};
