use crate::append_only;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Working an escalation: who holds authority per launch, the versioned runbook, stand-up
/// updates, decision requests and the append-only decision log, urgent meetings, action
/// items, notifications, and the escalation's workaround and cached clocks.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("launch_authority")
                    .col(big_integer("launch_id"))
                    .col(big_integer("user_id"))
                    .col(timestamp_with_time_zone("granted_at"))
                    .primary_key(Index::create().col("launch_id").col("user_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("launch_authority", "launch_id")
                            .to("launches", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("launch_authority", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("runbook_versions")
                    .col(big_integer("version").primary_key())
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer_null("created_by"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("updates")
                    .col(big_pk_auto("id"))
                    .col(big_integer("escalation_id"))
                    .col(big_integer("author_id"))
                    .col(text("problem"))
                    .col(text("impact"))
                    .col(text("mitigation"))
                    .col(text_null("decision_required"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("updates", "escalation_id")
                            .to("escalations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("updates", "author_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_updates_escalation")
                    .table("updates")
                    .col("escalation_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("decision_requests")
                    .col(big_pk_auto("id"))
                    .col(big_integer("escalation_id"))
                    .col(big_integer_null("update_id"))
                    .col(text("question"))
                    .col(big_integer("addressed_to"))
                    .col(big_integer("requested_by"))
                    .col(timestamp_with_time_zone("opened_at"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(timestamp_with_time_zone_null("answered_at"))
                    .col(big_integer_null("decision_id"))
                    // Set once by whichever app server claims the stall; makes the check idempotent.
                    .col(timestamp_with_time_zone_null("stall_notified_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("decision_requests", "escalation_id")
                            .to("escalations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_decision_requests_open")
                    .table("decision_requests")
                    .col("answered_at")
                    .col("due_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("decisions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("escalation_id"))
                    .col(big_integer_null("request_id"))
                    .col(text("decision"))
                    .col(text("rationale"))
                    .col(big_integer("decided_by"))
                    .col(text("participants"))
                    .col(big_integer_null("corrects_id"))
                    .col(big_integer_null("meeting_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("decisions", "escalation_id")
                            .to("escalations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("decisions", "decided_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        append_only::protect(manager, "decisions").await?;
        manager
            .create_table(
                Table::create()
                    .table("meetings")
                    .col(big_pk_auto("id"))
                    .col(big_integer("request_id"))
                    .col(big_integer("escalation_id"))
                    .col(big_integer("called_by"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(text("participants"))
                    .col(text("agenda"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("meetings", "request_id")
                            .to("decision_requests", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("action_items")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("escalation_id"))
                    .col(string_len("kind", 16))
                    .col(string_len("title", 200))
                    .col(big_integer("owner_id"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(boolean("done"))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("version"))
                    // Set once by whichever app server claims the overdue notice.
                    .col(timestamp_with_time_zone_null("overdue_notified_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("action_items", "owner_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_action_items_owner")
                    .table("action_items")
                    .col("owner_id")
                    .col("done")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_action_items_escalation")
                    .table("action_items")
                    .col("escalation_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(string_len("kind", 32))
                    .col(big_integer_null("escalation_id"))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("notifications", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notifications_user")
                    .table("notifications")
                    .col("user_id")
                    .col("read_at")
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            text_null("workaround"),
            timestamp_with_time_zone_null("workaround_expires_at"),
            big_integer_null("root_cause_item_id"),
            timestamp_with_time_zone_null("workaround_expired_at"),
            timestamp_with_time_zone_null("last_update_at"),
            timestamp_with_time_zone_null("decision_due_at"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("escalations")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
