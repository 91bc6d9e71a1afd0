//! Action items: an owner, a due instant and a done flag. Mitigations and root-cause
//! follow-ups hang off escalations; post-mortem remediation items are the same thing.

pub mod api;
pub mod model;
pub mod my_work;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{ActionDraft, ActionItem, ActionKind};
