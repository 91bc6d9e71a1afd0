use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// RACI matrices (one per launch, and one per escalation that adjusted its launch's), the
/// escalation team's rotation per launch, and the team an escalation got when raised.
/// Matrices and rotations are read and saved whole, validated whole and versioned, so each
/// is one JSON document in a row.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("raci_matrices")
                    .col(big_pk_auto("id"))
                    // "launch:<id>" or "escalation:<id>".
                    .col(string_len_uniq("scope", 40))
                    .col(big_integer("launch_id"))
                    .col(big_integer_null("escalation_id"))
                    .col(big_integer("version"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer_null("updated_by"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("raci_matrices", "launch_id")
                            .to("launches", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("rotations")
                    .col(big_integer("launch_id").primary_key())
                    .col(big_integer("version"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer_null("updated_by"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("rotations", "launch_id")
                            .to("launches", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(text_null("team"))
                    .to_owned(),
            )
            .await
    }
}
