//! In-app notifications: addressed to one person, delivered live over the event stream,
//! counted unread in the shell.

pub mod api;
pub mod model;
pub mod page;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{Notification, NotificationKind};
