//! RACI matrices per launch and per escalation: who is responsible, accountable, consulted
//! and informed for each activity, validated live in the editor and again on the server.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Letter, Raci};
