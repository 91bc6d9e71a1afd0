use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("launches")
                    .col(big_pk_auto("id"))
                    .col(string_len("name", 200))
                    .col(date("target_date"))
                    .col(text("description"))
                    .col(string_len("status", 16))
                    .col(big_integer_null("sponsor_id"))
                    .col(big_integer_null("lead_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_launches_sponsor")
                            .from("launches", "sponsor_id")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_launches_lead")
                            .from("launches", "lead_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
