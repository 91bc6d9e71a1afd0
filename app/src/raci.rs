//! RACI matrices per launch and per escalation: who is responsible, accountable, consulted
//! and informed for each activity, validated live in the editor and again on the server.

pub mod model;

pub use model::{Letter, Raci};
