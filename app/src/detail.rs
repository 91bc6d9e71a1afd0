//! The escalation page: everything about one escalation in one place — triage, moves,
//! stand-up updates, the decision request and log, the workaround and action items.

pub mod api;
pub mod page;
pub mod sections;
