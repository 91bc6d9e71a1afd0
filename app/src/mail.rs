//! Email: what each person chose to be mailed, the outbox each notice writes in its own
//! transaction, the executives' daily digest, and the worker that sends through SMTP.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod template;

pub use model::{EmailChoices, EmailSettings};
