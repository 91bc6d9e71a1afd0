use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A launch's success criteria. `breached_at` is the breach claim: set by the one
        // evaluation that saw the criterion go into breach, cleared by the one that saw it
        // recover; `retired_at` marks a criterion taken out of use (rows are never deleted, so
        // the events and escalations naming it still resolve).
        manager
            .create_table(
                Table::create()
                    .table("criteria")
                    .col(big_pk_auto("id"))
                    .col(big_integer("launch_id"))
                    .col(string_len("name", 200))
                    .col(string_len("kind", 32))
                    .col(string_len("metric", 100))
                    .col(string_len("comparator", 2))
                    .col(double("threshold"))
                    .col(string_len_null("unit", 20))
                    .col(integer_null("window_minutes"))
                    .col(small_integer("breach_tier"))
                    .col(string_len("breach_trigger", 32))
                    .col(boolean("auto_escalate"))
                    .col(big_integer("created_by"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone_null("breached_at"))
                    .col(timestamp_with_time_zone_null("retired_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_criteria_launch")
                            .from("criteria", "launch_id")
                            .to("launches", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_criteria_created_by")
                            .from("criteria", "created_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_criteria_launch_metric")
                    .table("criteria")
                    .col("launch_id")
                    .col("metric")
                    .to_owned(),
            )
            .await?;
        // Metric samples: "one metric of one launch since T" is the question every reader
        // asks, so the index leads with exactly that.
        manager
            .create_table(
                Table::create()
                    .table("metric_samples")
                    .col(big_pk_auto("id"))
                    .col(big_integer("launch_id"))
                    .col(string_len("metric", 100))
                    .col(double("value"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_metric_samples_launch")
                            .from("metric_samples", "launch_id")
                            .to("launches", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_metric_samples_launch_metric_at")
                    .table("metric_samples")
                    .col("launch_id")
                    .col("metric")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        // The built-in metrics are sampled by one app server per check: the claim.
        manager
            .alter_table(
                Table::alter()
                    .table("launches")
                    .add_column(timestamp_with_time_zone_null("metrics_sampled_at"))
                    .to_owned(),
            )
            .await?;
        // Escalations raised by a breach name their criterion; drills never count.
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(big_integer_null("criterion_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("escalations")
                    .add_column(boolean("drill").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_escalations_criterion")
                    .table("escalations")
                    .col("criterion_id")
                    .to_owned(),
            )
            .await
    }
}
