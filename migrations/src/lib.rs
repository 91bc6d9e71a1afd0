//! Flare's database schema, one migration per change, for SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod append_only;
mod m20261126_000001_create_users;
mod m20261126_000002_create_launches;
mod m20261126_000003_create_escalations;
mod m20261126_000004_create_sessions;
mod m20261126_000005_create_api_tokens;
mod m20261126_000006_create_login_throttle;
mod m20261126_000007_create_events;
mod m20261126_000008_create_workflow;
mod m20261126_000009_add_previous_stage;
mod m20261126_000010_create_raci_and_rotation;
mod m20261127_000011_create_postmortems;
mod m20261129_000001_create_idempotency_keys;
mod m20261130_000001_create_measurement;
mod m20261130_000002_add_escalation_breach;
mod m20261130_000003_add_escalation_outcome;
mod m20261130_000004_create_webhooks;
mod m20261130_000005_add_escalation_misses;
mod m20261130_000006_create_mail;
mod m20261201_000001_version_runbooks;
mod m20261201_000002_create_reviews;
mod m20261207_000001_create_cadences;
mod m20261207_000002_create_raci_templates;

/// Runs every migration in order; `flare serve` and `flare migrate` call it at start.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_users::Migration),
            Box::new(m20261126_000002_create_launches::Migration),
            Box::new(m20261126_000003_create_escalations::Migration),
            Box::new(m20261126_000004_create_sessions::Migration),
            Box::new(m20261126_000005_create_api_tokens::Migration),
            Box::new(m20261126_000006_create_login_throttle::Migration),
            Box::new(m20261126_000007_create_events::Migration),
            Box::new(m20261126_000008_create_workflow::Migration),
            Box::new(m20261126_000009_add_previous_stage::Migration),
            Box::new(m20261126_000010_create_raci_and_rotation::Migration),
            Box::new(m20261127_000011_create_postmortems::Migration),
            Box::new(m20261129_000001_create_idempotency_keys::Migration),
            Box::new(m20261130_000001_create_measurement::Migration),
            Box::new(m20261130_000002_add_escalation_breach::Migration),
            Box::new(m20261130_000003_add_escalation_outcome::Migration),
            Box::new(m20261130_000004_create_webhooks::Migration),
            Box::new(m20261130_000005_add_escalation_misses::Migration),
            Box::new(m20261130_000006_create_mail::Migration),
            Box::new(m20261201_000001_version_runbooks::Migration),
            Box::new(m20261201_000002_create_reviews::Migration),
            Box::new(m20261207_000001_create_cadences::Migration),
            Box::new(m20261207_000002_create_raci_templates::Migration),
        ]
    }
}
