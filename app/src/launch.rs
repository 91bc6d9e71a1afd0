//! Launches: the releases Flare protects. Every board, RACI matrix and team belongs to one.

pub mod api;
pub mod form;
pub mod list;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Launch, LaunchDraft, LaunchId, LaunchStatus};
