//! Escalation queries and changes: permission check, validation, conditional updates that
//! never lose a concurrent change, and an event for every change.

use super::model::{
    Escalation, EscalationDraft, EscalationId, EscalationPatch, Impact, MoveRequest, NewEscalation,
    Stage, Tier, Trigger, may_close, priority, time_ago,
};
use crate::auth::model::{Actor, Permission, UserId};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::entity::{escalation as row, event as event_row, launch};
use crate::error::AppError;
use crate::event::service::{NewEvent, append, to_wire as event_to_wire};
use crate::launch::LaunchId;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Map, Value, json};

pub async fn to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<row::Model>,
) -> Result<Vec<Escalation>, AppError> {
    let owners: Vec<i64> = rows.iter().filter_map(|r| r.owner_id).collect();
    let names = people(db, owners).await?;
    Ok(rows
        .into_iter()
        .map(|r| Escalation {
            id: EscalationId(r.id),
            launch_id: LaunchId(r.launch_id),
            trigger: Trigger::parse(&r.trigger).unwrap_or(Trigger::PlanDeviation),
            tier: Tier::new(i64::from(r.tier)).unwrap_or(Tier::ALL[3]),
            impact: Impact {
                customer: r.impact_customer as u8,
                revenue: r.impact_revenue as u8,
                compliance: r.impact_compliance as u8,
            },
            priority: r.priority as u8,
            stage: Stage::parse(&r.stage).unwrap_or(Stage::Triggered),
            owner_id: r.owner_id.map(UserId),
            owner: r.owner_id.and_then(|id| names.get(&id).cloned()),
            title: r.title,
            description: r.description,
            deadline: r.deadline,
            acknowledged_at: r.acknowledged_at,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

pub async fn one_to_wire<C: ConnectionTrait>(
    db: &C,
    model: row::Model,
) -> Result<Escalation, AppError> {
    to_wire(db, vec![model])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

fn not_found(id: EscalationId) -> AppError {
    AppError::not_found(format!("Escalation {id} does not exist."))
}

pub async fn find_row<C: ConnectionTrait>(
    db: &C,
    id: EscalationId,
) -> Result<row::Model, AppError> {
    row::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| not_found(id))
}

/// Everything a new escalation's event records.
fn created_payload(r: &row::Model) -> Value {
    json!({
        "title": r.title,
        "description": r.description,
        "trigger": r.trigger,
        "tier": r.tier,
        "impact": {
            "customer": r.impact_customer,
            "revenue": r.impact_revenue,
            "compliance": r.impact_compliance,
        },
        "priority": r.priority,
        "stage": r.stage,
        "owner_id": r.owner_id,
        "deadline": r.deadline,
        "version": r.version,
    })
}

/// Raises an escalation on a launch (members, facilitators, admins). It starts `triggered`
/// at version 1.
pub async fn create(
    db: &Db,
    actor: &Actor,
    draft: &EscalationDraft,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let now = Utc::now();
    let new: NewEscalation = draft.validate(now).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    if launch::Entity::find_by_id(new.launch_id.0)
        .one(&*txn)
        .await?
        .is_none()
    {
        return Err(AppError::invalid_field(
            "launch_id",
            "is not an existing launch",
        ));
    }
    if let Some(owner) = new.owner_id {
        require_person(&*txn, "owner_id", owner.0, &[]).await?;
    }
    let model = row::ActiveModel {
        launch_id: Set(new.launch_id.0),
        title: Set(new.title),
        description: Set(new.description),
        trigger: Set(new.trigger.as_str().into()),
        tier: Set(i16::from(new.tier.get())),
        impact_customer: Set(i16::from(new.impact.customer)),
        impact_revenue: Set(i16::from(new.impact.revenue)),
        impact_compliance: Set(i16::from(new.impact.compliance)),
        priority: Set(i32::from(priority(new.tier, new.impact))),
        stage: Set(Stage::Triggered.as_str().into()),
        owner_id: Set(new.owner_id.map(|id| id.0)),
        deadline: Set(new.deadline),
        acknowledged_at: Set(None),
        created_by: Set(actor.id.0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("escalation", model.id, "escalation.created")
            .escalation(EscalationId(model.id))
            .launch(new.launch_id)
            .payload(created_payload(&model)),
    )
    .await?;
    let escalation = one_to_wire(&*txn, model).await?;
    txn.commit().await?;
    Ok(escalation)
}

/// One escalation (everyone signed in).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<Escalation, AppError> {
    actor.require(Permission::Read)?;
    let model = find_row(db, id).await?;
    one_to_wire(db, model).await
}

/// Escalations, highest priority first, optionally of one launch and one stage.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: Option<LaunchId>,
    stage: Option<Stage>,
) -> Result<Vec<Escalation>, AppError> {
    actor.require(Permission::Read)?;
    let mut query = row::Entity::find()
        .order_by_desc(row::Column::Priority)
        .order_by_asc(row::Column::Id);
    if let Some(launch_id) = launch_id {
        query = query.filter(row::Column::LaunchId.eq(launch_id.0));
    }
    if let Some(stage) = stage {
        query = query.filter(row::Column::Stage.eq(stage.as_str()));
    }
    to_wire(db, query.all(db).await?).await
}

/// The 409 answer: the current state, and who changed it last and how.
async fn stale<C: ConnectionTrait>(db: &C, current: row::Model) -> Result<AppError, AppError> {
    let last = event_row::Entity::find()
        .filter(event_row::Column::EscalationId.eq(current.id))
        .order_by_desc(event_row::Column::Id)
        .one(db)
        .await?
        .map(event_to_wire);
    let current = one_to_wire(db, current).await?;
    let message = match last {
        Some(event) => {
            let what = match event.kind.as_str() {
                "escalation.moved" => format!("moved to {}", current.stage.label()),
                "escalation.created" => "raised".to_string(),
                _ => "changed".to_string(),
            };
            format!(
                "This escalation was {what} by {} {}.",
                event.actor.name,
                time_ago(event.at, Utc::now())
            )
        }
        None => "This escalation changed since you loaded it.".to_string(),
    };
    Ok(AppError::conflict(
        message,
        serde_json::to_value(current).ok(),
    ))
}

fn required_version(version: Option<i64>) -> Result<i64, AppError> {
    version.ok_or_else(|| {
        AppError::invalid_field("version", "is required: send the version you last saw")
    })
}

/// Moves an escalation to another stage (members, facilitators, admins). Applies only if
/// `version` is still current — one conditional UPDATE — and answers 409 with the current
/// state otherwise.
pub async fn move_to(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    req: &MoveRequest,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let stage = match req.stage.as_deref().map(str::trim) {
        None | Some("") => return Err(AppError::invalid_field("stage", "is required")),
        Some(s) => Stage::parse(s).ok_or_else(|| {
            AppError::invalid_field(
                "stage",
                "must be triggered, triaged, mitigating, awaiting_decision, resolved or closed",
            )
        })?,
    };
    let version = required_version(req.version)?;
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > crate::validate::MAX_TEXT) {
        return Err(AppError::invalid_field(
            "reason",
            "must be at most 10,000 characters",
        ));
    }
    let txn = db.write().await?;
    let current = find_row(&*txn, id).await?;
    if current.version != version {
        return Err(stale(&*txn, current).await?);
    }
    let from = Stage::parse(&current.stage).unwrap_or(Stage::Triggered);
    if from == stage {
        return Err(AppError::invalid_field(
            "stage",
            format!("is already {}", stage.label()),
        ));
    }
    if stage == Stage::Closed {
        let tier = Tier::new(i64::from(current.tier)).unwrap_or(Tier::ALL[0]);
        may_close(tier, false, reason).map_err(AppError::invalid)?;
    }
    let now = Utc::now();
    let acknowledging = current.acknowledged_at.is_none() && stage != Stage::Triggered;
    let mut update = row::Entity::update_many()
        .col_expr(row::Column::Stage, Expr::value(stage.as_str()))
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::Id.eq(id.0))
        .filter(row::Column::Version.eq(version));
    if acknowledging {
        update = update.col_expr(row::Column::AcknowledgedAt, Expr::value(now));
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        let current = find_row(&*txn, id).await?;
        return Err(stale(&*txn, current).await?);
    }
    let mut payload = json!({ "from": from, "stage": stage, "version": version + 1 });
    if acknowledging {
        payload["acknowledged_at"] = json!(now);
    }
    if let Some(reason) = reason {
        payload["reason"] = json!(reason);
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("escalation", id.0, "escalation.moved")
            .escalation(id)
            .launch(LaunchId(current.launch_id))
            .payload(payload),
    )
    .await?;
    let moved = find_row(&*txn, id).await?;
    let escalation = one_to_wire(&*txn, moved).await?;
    txn.commit().await?;
    Ok(escalation)
}

/// Changes some fields (members, facilitators, admins); `version` is required and must be
/// current. Only fields that actually change are written and recorded.
pub async fn patch(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    patch: &EscalationPatch,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let version = required_version(patch.version)?;
    let txn = db.write().await?;
    let current_row = find_row(&*txn, id).await?;
    if current_row.version != version {
        return Err(stale(&*txn, current_row).await?);
    }
    let current = one_to_wire(&*txn, current_row.clone()).await?;
    let valid = patch
        .apply(&current, Utc::now())
        .map_err(AppError::invalid)?;
    if let Some(owner) = valid.owner_id.filter(|o| Some(*o) != current.owner_id) {
        require_person(&*txn, "owner_id", owner.0, &[]).await?;
    }
    let mut changed = Map::new();
    let mut update = row::Entity::update_many()
        .filter(row::Column::Id.eq(id.0))
        .filter(row::Column::Version.eq(version));
    macro_rules! set_if_changed {
        ($field:literal, $column:expr, $old:expr, $new:expr) => {
            if $old != $new {
                changed.insert($field.into(), json!($new));
                update = update.col_expr($column, Expr::value($new));
            }
        };
    }
    set_if_changed!(
        "title",
        row::Column::Title,
        current.title,
        valid.title.clone()
    );
    set_if_changed!(
        "description",
        row::Column::Description,
        current.description,
        valid.description.clone()
    );
    set_if_changed!(
        "trigger",
        row::Column::Trigger,
        current.trigger.as_str(),
        valid.trigger.as_str()
    );
    set_if_changed!(
        "tier",
        row::Column::Tier,
        i16::from(current.tier.get()),
        i16::from(valid.tier.get())
    );
    if current.impact != valid.impact {
        changed.insert("impact".into(), json!(valid.impact));
        update = update
            .col_expr(
                row::Column::ImpactCustomer,
                Expr::value(i16::from(valid.impact.customer)),
            )
            .col_expr(
                row::Column::ImpactRevenue,
                Expr::value(i16::from(valid.impact.revenue)),
            )
            .col_expr(
                row::Column::ImpactCompliance,
                Expr::value(i16::from(valid.impact.compliance)),
            );
    }
    let new_priority = priority(valid.tier, valid.impact);
    set_if_changed!(
        "priority",
        row::Column::Priority,
        i32::from(current.priority),
        i32::from(new_priority)
    );
    set_if_changed!(
        "owner_id",
        row::Column::OwnerId,
        current.owner_id.map(|o| o.0),
        valid.owner_id.map(|o| o.0)
    );
    set_if_changed!(
        "deadline",
        row::Column::Deadline,
        current.deadline,
        valid.deadline
    );
    if changed.is_empty() {
        return Ok(current);
    }
    let done = update
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .col_expr(row::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec(&*txn)
        .await?;
    if done.rows_affected == 0 {
        let current = find_row(&*txn, id).await?;
        return Err(stale(&*txn, current).await?);
    }
    changed.insert("version".into(), json!(version + 1));
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("escalation", id.0, "escalation.updated")
            .escalation(id)
            .launch(current.launch_id)
            .payload(changed.into()),
    )
    .await?;
    let updated = one_to_wire(&*txn, find_row(&*txn, id).await?).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Open escalations of a launch by stage, for counting.
pub async fn count_by_stage<C: ConnectionTrait>(
    db: &C,
    launch_id: LaunchId,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(row::Entity::find()
        .select_only()
        .column(row::Column::Stage)
        .column_as(row::Column::Id.count(), "n")
        .filter(row::Column::LaunchId.eq(launch_id.0))
        .group_by(row::Column::Stage)
        .into_tuple()
        .all(db)
        .await?)
}
