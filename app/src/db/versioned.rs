//! Optimistically versioned writes: the one rule every versioned save follows, so that two
//! saves from the same version never both succeed, on SQLite and on PostgreSQL alike.
//!
//! Reading the version, comparing it and then writing is not enough on PostgreSQL: its
//! transactions run side by side, so several saves can all read version N before any of them
//! commits, and each then writes N + 1 over the others (or trips over the first one's new
//! row with a duplicate key). The write itself must carry the condition instead: an
//! `UPDATE … WHERE <key> AND version = N`, or, for a row that does not exist yet, an
//! `INSERT … ON CONFLICT DO NOTHING` on the row's unique key. PostgreSQL makes the second
//! writer wait for the first one's commit, then finds nothing to write, without aborting the
//! transaction; the caller reads the state the winner left and answers 409 with it. (SQLite
//! serialises write transactions, so there the condition only ever confirms the read.)
//!
//! Write the versioned row before anything else the save writes (and before appending its
//! event, which takes the event-log lock), so that a save that lost the race holds no lock
//! another writer waits for.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait, QueryFilter, TryInsertResult,
};

type Model<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;
type Column<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Column;
type Key<A> =
    <<<A as ActiveModelTrait>::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType;

/// Writes `model` (its primary key set, the new version among its `Set` fields) only if its
/// row still holds `version` in `version_column`: one conditional UPDATE. Services call it
/// inside their write transaction; it returns the written row, or `None` when another save
/// changed (or removed) the row since it was read — the caller then answers 409.
pub async fn update_if_current<A, C>(
    db: &C,
    model: A,
    version_column: Column<A>,
    version: i64,
) -> Result<Option<Model<A>>, DbErr>
where
    A: ActiveModelTrait,
    Model<A>: IntoActiveModel<A>,
    C: ConnectionTrait,
{
    let update = <A::Entity as EntityTrait>::update(model)
        .validate()?
        .filter(version_column.eq(version));
    match update.exec(db).await {
        Ok(row) => Ok(Some(row)),
        Err(DbErr::RecordNotUpdated) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Inserts `model` (a first version, or a new version row) unless a row with the same
/// `unique` columns exists: one `INSERT … ON CONFLICT DO NOTHING`. Services call it inside
/// their write transaction; it returns the new row's primary key, or `None` when another
/// save inserted that row first — the caller then answers 409.
pub async fn insert_if_absent<A, C>(
    db: &C,
    model: A,
    unique: impl IntoIterator<Item = Column<A>>,
) -> Result<Option<Key<A>>, DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    let insert = <A::Entity as EntityTrait>::insert(model).on_conflict_do_nothing_on(unique);
    match insert.exec(db).await? {
        TryInsertResult::Inserted(done) => Ok(Some(done.last_insert_id)),
        TryInsertResult::Conflicted | TryInsertResult::Empty => Ok(None),
    }
}
