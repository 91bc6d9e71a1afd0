use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An escalation remembers the stage it left, set in the same conditional UPDATE that moves
/// it — so a move needs no read before it (the event still says where it came from).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(text_null("previous_stage"))
                    .to_owned(),
            )
            .await
    }
}
