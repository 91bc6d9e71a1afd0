use crate::append_only;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The event log: audit trail, timelines and the real-time stream. Ids increase in commit
        // order; each row carries the hash of its predecessor so tampering is detectable.
        manager
            .create_table(
                Table::create()
                    .table("events")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer_null("actor_id"))
                    .col(string_len("actor_name", 200))
                    .col(string_len("actor_email", 254))
                    .col(string_len("entity", 32))
                    .col(big_integer("entity_id"))
                    .col(big_integer_null("escalation_id"))
                    .col(big_integer_null("launch_id"))
                    .col(string_len("kind", 64))
                    .col(text("payload"))
                    .col(string_len("prev_hash", 64))
                    .col(string_len("hash", 64))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_events_escalation", "escalation_id"),
            ("ix_events_launch", "launch_id"),
            ("ix_events_actor", "actor_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("events")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        append_only::protect(manager, "events").await
    }
}
