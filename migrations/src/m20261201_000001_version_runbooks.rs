use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Runbook versions with their history and steps. Each `runbook_versions` row gains the
/// `reason` it was saved for and, for a pilot launch's own runbook, its `launch_id` (none:
/// the default runbook). Each escalation records the `runbook_version` it was raised under;
/// those raised before this change get the version that was current when they were raised.
/// `escalation_steps` holds which of its tier's escalation steps the owner has ticked.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("runbook_versions")
                    .add_column(text("reason").default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("runbook_versions")
                    .add_column(big_integer_null("launch_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(big_integer("runbook_version").default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE escalations SET runbook_version = COALESCE((SELECT MAX(v.version) \
                 FROM runbook_versions v WHERE v.created_at <= escalations.created_at), 1)",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("escalation_steps")
                    .col(big_integer("escalation_id"))
                    .col(integer("step"))
                    .col(big_integer("done_by"))
                    .col(timestamp_with_time_zone("done_at"))
                    .primary_key(Index::create().col("escalation_id").col("step"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_escalation_steps_escalation")
                            .from("escalation_steps", "escalation_id")
                            .to("escalations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_escalation_steps_user")
                            .from("escalation_steps", "done_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
