use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The claims by which one app server tells of a missed acknowledgement (`ack_missed_at`)
/// and of a missed update (`update_missed_due`: the due time whose miss was told, so each
/// miss is told once and the next one again).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["ack_missed_at", "update_missed_due"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("escalations")
                        .add_column(timestamp_with_time_zone_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
