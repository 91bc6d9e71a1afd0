use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The RACI template a launch's matrix starts from, versioned: each governance review change
/// adopted is a new row (`body` as a matrix's: activities and columns). Without a row the
/// built-in template applies (version 0).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("raci_templates")
                    .col(big_integer("version").primary_key())
                    .col(text("body"))
                    .col(text("reason"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }
}
