//! Scheduled checks, run inside every app server on a timer: stalled decisions, expired
//! workarounds, overdue action items, missed acknowledgements and updates, and the built-in
//! metrics (with their criteria). Each
//! finding is claimed in the database with a conditional UPDATE, so when several app servers
//! run the same check, exactly one of them acts on it.

#[cfg(feature = "ssr")]
pub mod service;
