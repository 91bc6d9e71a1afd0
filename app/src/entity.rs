//! SeaORM entities: the database's view of Flare. Server-only; clients see `model` types.

pub mod api_token;
pub mod escalation;
pub mod event;
pub mod launch;
pub mod login_throttle;
pub mod session;
pub mod user;
