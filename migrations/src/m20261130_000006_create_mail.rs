use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Email. `email_choices` holds what each person chose to be mailed (no row: the defaults);
/// `mail_outbox` is the queue, written in the transaction of the notice it carries and sent
/// by a background worker (`lease_until`/`lease_holder` let one app server at a time send a
/// mail; `attempts` and `next_attempt_at` hold its retries); `mail_digests` claims each
/// person's daily digest, once per day across app servers (its primary key).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("email_choices")
                    .col(big_integer("user_id").primary_key())
                    .col(boolean("asked_of_me"))
                    .col(boolean("stalls"))
                    .col(boolean("major_escalations"))
                    .col(boolean("breaches"))
                    .col(boolean("daily_digest"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_choices_user")
                            .from("email_choices", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mail_outbox")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(text("to_address"))
                    .col(string_len("kind", 32))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(string_len("state", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(string_len_null("lease_holder", 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_outbox_user")
                            .from("mail_outbox", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_outbox_due")
                    .table("mail_outbox")
                    .col("state")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mail_digests")
                    .col(big_integer("user_id"))
                    .col(date("day"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("user_id").col("day"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_digests_user")
                            .from("mail_digests", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
