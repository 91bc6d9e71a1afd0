//! RACI matrices per launch and per escalation: who is responsible, accountable, consulted
//! and informed for each activity, validated live in the editor and again on the server.

pub mod api;
mod editor;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;
mod table;

pub use model::{Letter, Raci};
