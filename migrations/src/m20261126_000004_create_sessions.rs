use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Sessions live in the database so they survive restarts and are shared by every app
        // server. The key is a hash of the cookie's session id, never the id itself.
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string_len("id_hash", 64).primary_key())
                    .col(big_integer_null("user_id"))
                    .col(text("data"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_user")
                    .table("sessions")
                    .col("user_id")
                    .to_owned(),
            )
            .await
    }
}
