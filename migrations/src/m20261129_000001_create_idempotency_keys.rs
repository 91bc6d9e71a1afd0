use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // `Idempotency-Key`s of REST POSTs: one row per caller, request (method + path, hashed
        // into `request_scope`) and key, reserved before the request runs and holding its
        // response once it succeeded. Rows expire after a day.
        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(string_len("request_scope", 64))
                    .col(string_len("idempotency_key", 200))
                    .col(string_len("request_hash", 64))
                    .col(integer_null("response_status"))
                    .col(string_len_null("response_content_type", 200))
                    .col(text_null("response_body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_idempotency_keys_user")
                            .from("idempotency_keys", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_idempotency_keys_request")
                    .table("idempotency_keys")
                    .col("user_id")
                    .col("request_scope")
                    .col("idempotency_key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_idempotency_keys_created_at")
                    .table("idempotency_keys")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }
}
