//! Success criteria: listed with their status now, created, changed (versioned) and retired
//! by facilitators; every change an event.

use super::model::{
    Comparator, Criterion, CriterionDraft, CriterionId, CriterionKind, Rule, ValidCriterion,
};
use super::series::recent;
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::db::versioned::update_if_current;
use crate::entity::{criterion as row, launch};
use crate::error::AppError;
use crate::escalation::{Tier, Trigger};
use crate::event::change::{CriterionRetired, CriterionSaved};
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

fn not_found(id: CriterionId) -> AppError {
    AppError::not_found(format!("Criterion {id} does not exist."))
}

/// The launch, or the 404 naming it.
pub(super) async fn require_launch<C: ConnectionTrait>(
    db: &C,
    id: LaunchId,
) -> Result<launch::Model, AppError> {
    launch::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Launch {id} does not exist.")))
}

/// A stored criterion's settings, or the internal error naming the bad column.
pub(super) fn settings(r: &row::Model) -> Result<ValidCriterion, AppError> {
    let corrupt = |column: &str, value: &dyn std::fmt::Debug| {
        AppError::corrupt("criterion", r.id, column, value)
    };
    Ok(ValidCriterion {
        name: r.name.clone(),
        kind: CriterionKind::parse(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?,
        metric: r.metric.clone(),
        comparator: Comparator::parse(&r.comparator)
            .ok_or_else(|| corrupt("comparator", &r.comparator))?,
        threshold: r.threshold,
        unit: r.unit.clone(),
        window_minutes: r
            .window_minutes
            .map(|m| u32::try_from(m).map_err(|_| corrupt("window_minutes", &m)))
            .transpose()?,
        breach_tier: Tier::new(i64::from(r.breach_tier))
            .ok_or_else(|| corrupt("breach_tier", &r.breach_tier))?,
        breach_trigger: Trigger::parse(&r.breach_trigger)
            .ok_or_else(|| corrupt("breach_trigger", &r.breach_trigger))?,
        auto_escalate: r.auto_escalate,
    })
}

/// The rule a stored criterion holds.
pub(super) fn rule(valid: &ValidCriterion) -> Rule {
    Rule {
        comparator: valid.comparator,
        threshold: valid.threshold,
        window_minutes: valid.window_minutes,
    }
}

/// A stored criterion as clients see it, read at `now`.
pub(super) async fn to_wire<C: ConnectionTrait>(
    db: &C,
    r: &row::Model,
    now: DateTime<Utc>,
) -> Result<Criterion, AppError> {
    let valid = settings(r)?;
    let samples = recent(db, r.launch_id, &r.metric, rule(&valid), now).await?;
    let reading = rule(&valid).read(&samples, now);
    Ok(Criterion {
        id: CriterionId(r.id),
        launch_id: LaunchId(r.launch_id),
        name: valid.name,
        kind: valid.kind,
        metric: valid.metric,
        comparator: valid.comparator,
        threshold: valid.threshold,
        unit: valid.unit,
        window_minutes: valid.window_minutes,
        breach_tier: valid.breach_tier,
        breach_trigger: valid.breach_trigger,
        auto_escalate: valid.auto_escalate,
        version: r.version,
        status: reading.status,
        current: reading.current,
        breached_at: r.breached_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// A launch's criteria in use, oldest first, with their status now. Anyone signed in.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<Vec<Criterion>, AppError> {
    actor.require(Permission::Read)?;
    require_launch(db, launch).await?;
    let rows = row::Entity::find()
        .filter(row::Column::LaunchId.eq(launch.0))
        .filter(row::Column::RetiredAt.is_null())
        .order_by_asc(row::Column::Id)
        .all(db)
        .await?;
    let mut criteria = Vec::with_capacity(rows.len());
    for r in &rows {
        criteria.push(to_wire(db, r, now).await?);
    }
    Ok(criteria)
}

/// A criterion in use, or the 404 naming it.
async fn find_in_use<C: ConnectionTrait>(db: &C, id: CriterionId) -> Result<row::Model, AppError> {
    row::Entity::find_by_id(id.0)
        .filter(row::Column::RetiredAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| not_found(id))
}

fn saved_event(valid: &ValidCriterion, rule_text: String, version: i64) -> CriterionSaved {
    CriterionSaved {
        name: valid.name.clone(),
        kind: valid.kind.as_str().into(),
        metric: valid.metric.clone(),
        rule: rule_text,
        breach_tier: valid.breach_tier,
        breach_trigger: valid.breach_trigger,
        auto_escalate: valid.auto_escalate,
        version,
    }
}

/// Adds a criterion to a launch. Facilitators and admins.
pub async fn create(
    db: &Db,
    actor: &Actor,
    launch: LaunchId,
    draft: &CriterionDraft,
) -> Result<Criterion, AppError> {
    actor.require(Permission::Facilitate)?;
    require_launch(&db.conn, launch).await?;
    let valid = draft.validate_new().map_err(AppError::invalid)?;
    let now = Utc::now();
    let txn = db.write().await?;
    let model = row::ActiveModel {
        launch_id: Set(launch.0),
        created_by: Set(actor.id.0),
        version: Set(1),
        breached_at: Set(None),
        retired_at: Set(None),
        created_at: Set(now),
        ..active(&valid, now)
    }
    .insert(&*txn)
    .await?;
    let wire = to_wire(&*txn, &model, now).await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "criterion",
            model.id,
            saved_event(&valid, wire.rule_text(), 1),
        )
        .launch(launch),
    )
    .await?;
    txn.commit().await?;
    Ok(wire)
}

/// The settings columns of a criterion, as a partial active model.
fn active(valid: &ValidCriterion, now: DateTime<Utc>) -> row::ActiveModel {
    row::ActiveModel {
        name: Set(valid.name.clone()),
        kind: Set(valid.kind.as_str().into()),
        metric: Set(valid.metric.clone()),
        comparator: Set(valid.comparator.as_str().into()),
        threshold: Set(valid.threshold),
        unit: Set(valid.unit.clone()),
        window_minutes: Set(valid.window_minutes.map(|m| m as i32)),
        breach_tier: Set(i16::from(valid.breach_tier.get())),
        breach_trigger: Set(valid.breach_trigger.as_str().into()),
        auto_escalate: Set(valid.auto_escalate),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Changes a criterion: the fields sent, from the `version` the caller saw (409 with the
/// current criterion when it moved on). Facilitators and admins.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: CriterionId,
    draft: &CriterionDraft,
) -> Result<Criterion, AppError> {
    actor.require(Permission::Facilitate)?;
    let now = Utc::now();
    let current = find_in_use(&db.conn, id).await?;
    let Some(version) = draft.version else {
        return Err(AppError::invalid_field(
            "version",
            "is required: send the version you changed",
        ));
    };
    let valid = draft
        .validate(Some(&settings(&current)?))
        .map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let written = update_if_current(
        &*txn,
        row::ActiveModel {
            id: Set(id.0),
            version: Set(version + 1),
            ..active(&valid, now)
        },
        row::Column::Version,
        version,
    )
    .await?;
    let Some(model) = written else {
        let latest = find_in_use(&*txn, id).await?;
        let current = to_wire(&*txn, &latest, now).await?;
        return Err(AppError::conflict(
            format!(
                "Criterion {id} changed since version {version}; it is at version {}.",
                latest.version
            ),
            serde_json::to_value(current).ok(),
        ));
    };
    let wire = to_wire(&*txn, &model, now).await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "criterion",
            model.id,
            saved_event(&valid, wire.rule_text(), model.version),
        )
        .launch(LaunchId(model.launch_id)),
    )
    .await?;
    txn.commit().await?;
    Ok(wire)
}

/// Takes a criterion out of use: no longer listed or evaluated; the escalations and events
/// naming it keep resolving. Facilitators and admins.
pub async fn retire(db: &Db, actor: &Actor, id: CriterionId) -> Result<(), AppError> {
    actor.require(Permission::Facilitate)?;
    let txn = db.write().await?;
    let current = find_in_use(&*txn, id).await?;
    let now = Utc::now();
    let retired = row::Entity::update_many()
        .col_expr(row::Column::RetiredAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(
            row::Column::Version,
            sea_orm::sea_query::Expr::value(current.version + 1),
        )
        .filter(row::Column::Id.eq(id.0))
        .filter(row::Column::RetiredAt.is_null())
        .exec(&*txn)
        .await?;
    if retired.rows_affected != 1 {
        return Err(not_found(id));
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "criterion",
            id.0,
            CriterionRetired {
                name: current.name,
                version: current.version + 1,
            },
        )
        .launch(LaunchId(current.launch_id)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
