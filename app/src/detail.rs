//! The escalation page: everything about one escalation in one place — triage, moves,
//! stand-up updates, the decision request and log, the runbook's escalation steps, the
//! workaround and action items, and the stakeholder update to paste into chat or mail.

pub mod api;
pub mod page;
pub mod sections;
pub mod stakeholder;
pub mod steps;
