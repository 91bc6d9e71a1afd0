use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Meeting cadences and the meetings they hold. `cadences` are a launch's recurring
/// convenings (`every` day, weekday or week at `at` on `timezone`'s wall clock, from
/// `starts_on`), versioned so a governance review's change to one applies only as proposed. `meetings` is rebuilt so that one table holds both the urgent meetings called
/// about stalled decisions (kind `urgent`, with their request) and a cadence's meetings (kind
/// `standup`, `review` or `workshop`, one row per cadence and start): the request, escalation
/// and caller become optional, and each meeting gains its launch, title, length, frozen agenda
/// (`agenda_items`, JSON, written when it starts), minutes and a version. `calendar_feeds`
/// holds each person's secret iCalendar address until they revoke it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend: the rebuild of `meetings` happens whole or not at
    /// all, and on one connection (on SQLite, another pooled connection could still read the
    /// table as it was before the drop).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("cadences")
                    .col(big_pk_auto("id"))
                    .col(big_integer("launch_id"))
                    .col(string("name"))
                    .col(string_len("kind", 16))
                    .col(string_len("every", 16))
                    .col(string_len("at", 5))
                    .col(string("timezone"))
                    .col(integer("minutes_long"))
                    .col(text("participants"))
                    .col(date("starts_on"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_cadences_launch")
                            .from("cadences", "launch_id")
                            .to("launches", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("meetings_next")
                    .col(big_pk_auto("id"))
                    .col(big_integer("launch_id"))
                    .col(big_integer_null("cadence_id"))
                    .col(string_len("kind", 16))
                    .col(text("title"))
                    .col(big_integer_null("request_id"))
                    .col(big_integer_null("escalation_id"))
                    .col(big_integer_null("called_by"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(integer("minutes_long"))
                    .col(text("participants"))
                    .col(text("agenda"))
                    .col(text_null("agenda_items"))
                    .col(text("minutes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meetings_request")
                            .from("meetings_next", "request_id")
                            .to("decision_requests", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_meetings_cadence")
                            .from("meetings_next", "cadence_id")
                            .to("cadences", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO meetings_next (id, launch_id, cadence_id, kind, title, request_id, \
             escalation_id, called_by, starts_at, minutes_long, participants, agenda, \
             agenda_items, minutes, created_at, version) \
             SELECT m.id, e.launch_id, NULL, 'urgent', 'Urgent: ' || e.title, m.request_id, \
             m.escalation_id, m.called_by, m.starts_at, 30, m.participants, m.agenda, NULL, '', \
             m.created_at, 1 FROM meetings m JOIN escalations e ON e.id = m.escalation_id",
        )
        .await?;
        manager
            .drop_table(Table::drop().table("meetings").to_owned())
            .await?;
        manager
            .rename_table(
                Table::rename()
                    .table("meetings_next", "meetings")
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // The copied rows kept their ids; the next one follows them.
            db.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('meetings', 'id'), \
                 COALESCE((SELECT MAX(id) FROM meetings), 0) + 1, false)",
            )
            .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("meetings_cadence_start")
                    .table("meetings")
                    .col("cadence_id")
                    .col("starts_at")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meetings_launch_start")
                    .table("meetings")
                    .col("launch_id")
                    .col("starts_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendar_feeds")
                    .col(big_integer("user_id").primary_key())
                    .col(string("token").unique_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_calendar_feeds_user")
                            .from("calendar_feeds", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
