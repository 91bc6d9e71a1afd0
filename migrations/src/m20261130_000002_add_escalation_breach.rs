use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An escalation a breach raised keeps what its criterion read then — name, comparator,
/// threshold, value and unit, as JSON — so its card shows why it exists even after the
/// criterion changes.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(text_null("breach"))
                    .to_owned(),
            )
            .await
    }
}
