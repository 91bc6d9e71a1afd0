//! Post-mortems: learning from every major escalation — quantified impact, times computed
//! from the event log, a timeline built from it, owned remediation, autosaved drafts, review
//! and publication, Markdown export.

pub mod api;
pub mod index;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;
pub mod timeline;

pub use model::{PostMortem, Status};
