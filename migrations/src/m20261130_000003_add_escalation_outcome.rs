use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Resolving an escalation records its outcome (what was done) and the updated risk posture
/// (`{"level": "high", "note": …}` as JSON).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in ["outcome", "risk_posture"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("escalations")
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
