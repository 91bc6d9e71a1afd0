//! The event log: an append-only, hash-chained record of every change. One table serves
//! the audit page, the escalation timelines and the real-time stream.

pub mod api;
pub mod audit;
pub mod change;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use change::{Change, Payload};
pub use model::{Event, EventActor, EventFilter, EventId};
