use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Outbound webhooks. The event log is their outbox: every event is written in its change's
/// transaction, and each webhook keeps a durable `cursor`, the last event id it has dealt
/// with (delivered, not matching, or given up after 24 h). `attempts`, `failing_since` and
/// `next_attempt_at` hold the retry state of the event at the head of its queue;
/// `lease_until`/`lease_holder` let one app server at a time deliver a webhook's queue.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("webhooks")
                    .col(big_pk_auto("id"))
                    .col(text("url"))
                    .col(text("events"))
                    .col(big_integer_null("launch_id"))
                    .col(string_len("format", 16))
                    .col(string_len("secret", 128))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("cursor"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone_null("failing_since"))
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(string_len_null("lease_holder", 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhooks_launch")
                            .from("webhooks", "launch_id")
                            .to("launches", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhooks_created_by")
                            .from("webhooks", "created_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // Every attempt: which event (none for a test), when, the receiver's status code or
        // the error, and how it ended.
        manager
            .create_table(
                Table::create()
                    .table("webhook_deliveries")
                    .col(big_pk_auto("id"))
                    .col(big_integer("webhook_id"))
                    .col(big_integer_null("event_id"))
                    .col(integer("attempt"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("status_code"))
                    .col(text_null("error"))
                    .col(big_integer("duration_ms"))
                    .col(string_len("outcome", 16))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_webhook")
                            .from("webhook_deliveries", "webhook_id")
                            .to("webhooks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_webhook")
                    .table("webhook_deliveries")
                    .col("webhook_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }
}
