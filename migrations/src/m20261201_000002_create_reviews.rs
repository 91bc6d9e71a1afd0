use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The quarterly governance review. `reviews` holds one per quarter (`period`, e.g.
/// `2026-Q4`, unique): its participants (JSON user ids), findings, and once signed off who
/// signed, when, and the figures as they stood (`figures`, JSON). `review_adjustments` are
/// the typed changes it proposes (`change` JSON), each with the state it was proposed against
/// (`base`, e.g. the runbook version) so adopting one that no longer applies is refused.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("reviews")
                    .col(big_pk_auto("id"))
                    .col(string("period").unique_key())
                    .col(string("status"))
                    .col(text("participants"))
                    .col(text("findings"))
                    .col(big_integer_null("signed_off_by"))
                    .col(timestamp_with_time_zone_null("signed_off_at"))
                    .col(text_null("figures"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_signed_off_by")
                            .from("reviews", "signed_off_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("review_adjustments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("review_id"))
                    .col(string("kind"))
                    .col(text("change"))
                    .col(text("reason"))
                    .col(big_integer("base"))
                    .col(string("status"))
                    .col(text_null("result"))
                    .col(big_integer("proposed_by"))
                    .col(timestamp_with_time_zone("proposed_at"))
                    .col(big_integer_null("adopted_by"))
                    .col(timestamp_with_time_zone_null("adopted_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_adjustments_review")
                            .from("review_adjustments", "review_id")
                            .to("reviews", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
