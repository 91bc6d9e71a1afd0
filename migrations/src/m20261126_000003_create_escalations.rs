use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("escalations")
                    .col(big_pk_auto("id"))
                    .col(big_integer("launch_id"))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(string_len("trigger", 32))
                    .col(small_integer("tier"))
                    .col(small_integer("impact_customer"))
                    .col(small_integer("impact_revenue"))
                    .col(small_integer("impact_compliance"))
                    .col(integer("priority"))
                    .col(string_len("stage", 32))
                    .col(big_integer_null("owner_id"))
                    .col(timestamp_with_time_zone_null("deadline"))
                    .col(timestamp_with_time_zone_null("acknowledged_at"))
                    .col(big_integer("created_by"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_escalations_launch")
                            .from("escalations", "launch_id")
                            .to("launches", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_escalations_owner")
                            .from("escalations", "owner_id")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_escalations_created_by")
                            .from("escalations", "created_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // The board and the launch page read one launch's escalations by stage and priority.
        manager
            .create_index(
                Index::create()
                    .name("ix_escalations_board")
                    .table("escalations")
                    .col("launch_id")
                    .col("stage")
                    .col("priority")
                    .to_owned(),
            )
            .await
    }
}
