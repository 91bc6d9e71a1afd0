//! Outbound webhooks: every matching event POSTed, signed, in order, at least once — as
//! Event JSON or as a Slack-compatible message — with retries and a delivery log.

pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod payload;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Webhook, WebhookFormat};
