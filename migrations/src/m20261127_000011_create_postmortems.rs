use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Post-mortems (one per escalation) and when customers were first affected by an
/// escalation (null means when it was raised). A post-mortem's sections are saved and
/// versioned together as one JSON document; its remediation items are ordinary action items.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("postmortems")
                    .col(big_integer("escalation_id").primary_key())
                    .col(big_integer("launch_id"))
                    // `draft`, `in_review` or `published`.
                    .col(string_len("status", 16))
                    .col(big_integer("version"))
                    .col(text("body"))
                    // JSON arrays of user ids.
                    .col(text("reviewers"))
                    .col(text("approvals"))
                    .col(big_integer("author_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer_null("updated_by"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("postmortems", "escalation_id")
                            .to("escalations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("postmortems", "launch_id")
                            .to("launches", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("postmortems_by_launch")
                    .table("postmortems")
                    .col("launch_id")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(timestamp_with_time_zone_null("impact_started_at"))
                    .to_owned(),
            )
            .await
    }
}
