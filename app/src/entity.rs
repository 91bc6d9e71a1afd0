//! SeaORM entities: the database's view of Flare, and the few row finders several features
//! share (so no feature calls another's service for them). Server-only; clients see `model` types.

pub mod action_item;
pub mod api_token;
pub mod cadence;
pub mod calendar_feed;
pub mod criterion;
pub mod decision;
pub mod decision_request;
pub mod email_choice;
pub mod escalation;
pub mod escalation_step;
pub mod event;
pub mod idempotency_key;
pub mod launch;
pub mod launch_authority;
pub mod login_throttle;
pub mod mail_digest;
pub mod mail_outbox;
pub mod meeting;
pub mod metric_sample;
pub mod notification;
pub mod postmortem;
pub mod raci_matrix;
pub mod raci_template;
pub mod review;
pub mod review_adjustment;
pub mod rotation;
pub mod runbook_version;
pub mod session;
pub mod update;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
