use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Failed sign-ins per account and per address, kept in the database so the limit holds
        // across app servers.
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(string_len("key", 300).primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("window_started_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .to_owned(),
            )
            .await
    }
}
