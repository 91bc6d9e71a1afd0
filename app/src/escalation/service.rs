//! Escalation queries and changes: permission check, validation, conditional updates that
//! never lose a concurrent change, and an event for every change.

use super::model::{
    Escalation, EscalationDraft, EscalationId, EscalationPatch, Impact, MoveRequest, NewEscalation,
    Stage, Tier, Trigger, may_close, may_leave_triggered, priority, time_ago,
};
use crate::auth::model::{Actor, Permission, UserId};
use crate::auth::service::people;
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
        .map(|r| {
            let owner = r.owner_id.and_then(|id| names.get(&id).cloned());
            wire(r, owner)
        })
        .collect())
}

/// A row as the wire shows it, given its owner.
pub(crate) fn wire(r: row::Model, owner: Option<crate::auth::model::Person>) -> Escalation {
    Escalation {
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
        owner,
        title: r.title,
        description: r.description,
        deadline: r.deadline,
        acknowledged_at: r.acknowledged_at,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
        last_update_at: r.last_update_at,
        decision_due_at: r.decision_due_at,
        team: crate::team::service::stored_team(r.team.as_deref()),
        workaround: match (r.workaround, r.workaround_expires_at) {
            (Some(description), Some(expires_at)) => Some(super::model::Workaround {
                description,
                expires_at,
                root_cause_item_id: r.root_cause_item_id,
                expired_at: r.workaround_expired_at,
            }),
            _ => None,
        },
    }
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
/// at version 1, with the launch's escalation team on duty now.
pub async fn create(
    db: &Db,
    actor: &Actor,
    draft: &EscalationDraft,
) -> Result<Escalation, AppError> {
    create_at(db, actor, draft, Utc::now()).await
}

/// `create` at a given instant (the rotation's tests fix the clock).
pub async fn create_at(
    db: &Db,
    actor: &Actor,
    draft: &EscalationDraft,
    now: chrono::DateTime<Utc>,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
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
        crate::launch::service::require_owner(&*txn, new.launch_id, owner.0).await?;
    }
    let team = crate::team::service::team_at(&*txn, new.launch_id, now).await?;
    let model = row::ActiveModel {
        team: Set(Some(
            serde_json::to_string(&team).map_err(AppError::internal)?,
        )),
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
    if let Some(owner) = new.owner_id.filter(|o| *o != actor.id) {
        crate::notification::service::notify(
            &*txn,
            &actor.into(),
            owner,
            crate::notification::NotificationKind::OwnerAssigned,
            Some(EscalationId(model.id)),
            format!("You own the new escalation \"{}\".", model.title),
        )
        .await?;
    }
    txn.commit().await?;
    one_to_wire(&db.conn, model).await
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

fn parse_stage(value: Option<&str>) -> Result<Stage, AppError> {
    match value.map(str::trim) {
        None | Some("") => Err(AppError::invalid_field("stage", "is required")),
        Some(s) => Stage::parse(s).ok_or_else(|| {
            AppError::invalid_field(
                "stage",
                "must be triggered, triaged, mitigating, awaiting_decision, resolved or closed",
            )
        }),
    }
}

/// Moves `current` to `stage` inside `txn`: the protocol's rules, one conditional UPDATE on
/// the version `current` carries (409 with the current state if someone else got there
/// first), and the `escalation.moved` event. Other services (updates, decisions) move
/// escalations through this too.
pub async fn transition<C: ConnectionTrait>(
    txn: &C,
    actor: &crate::event::model::EventActor,
    current: row::Model,
    stage: Stage,
    reason: Option<&str>,
) -> Result<row::Model, AppError> {
    let from = Stage::parse(&current.stage).unwrap_or(Stage::Triggered);
    if from == stage {
        return Err(AppError::invalid_field(
            "stage",
            format!("is already {}", stage.label()),
        ));
    }
    if from == Stage::Triggered {
        may_leave_triggered(current.owner_id, current.deadline).map_err(AppError::invalid)?;
    }
    if stage == Stage::Closed {
        let tier = Tier::new(i64::from(current.tier)).unwrap_or(Tier::ALL[0]);
        let published =
            crate::postmortem::service::is_published(txn, EscalationId(current.id)).await?;
        may_close(tier, published, reason).map_err(AppError::invalid)?;
    }
    let now = Utc::now();
    let acknowledging = current.acknowledged_at.is_none() && stage != Stage::Triggered;
    let mut update = row::Entity::update_many()
        .col_expr(row::Column::PreviousStage, Expr::col(row::Column::Stage))
        .col_expr(row::Column::Stage, Expr::value(stage.as_str()))
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::Id.eq(current.id))
        .filter(row::Column::Version.eq(current.version));
    if acknowledging {
        update = update.col_expr(row::Column::AcknowledgedAt, Expr::value(now));
    }
    // One conditional UPDATE: it applies only if nobody changed the card since `version`.
    let Some(moved) = update.exec_with_returning(txn).await?.pop() else {
        let latest = find_row(txn, EscalationId(current.id)).await?;
        return Err(stale(txn, latest).await?);
    };
    append(
        txn,
        actor,
        moved_event(&moved, from, acknowledging.then_some(now), reason),
    )
    .await?;
    Ok(moved)
}

/// The event of a move: where from, where to, the new version (and the acknowledgement).
fn moved_event(
    moved: &row::Model,
    from: Stage,
    acknowledged_at: Option<chrono::DateTime<Utc>>,
    reason: Option<&str>,
) -> NewEvent {
    let stage = Stage::parse(&moved.stage).unwrap_or(Stage::Triggered);
    let mut payload = json!({ "from": from, "stage": stage, "version": moved.version });
    if let Some(at) = acknowledged_at {
        payload["acknowledged_at"] = json!(at);
    }
    if let Some(reason) = reason {
        payload["reason"] = json!(reason);
    }
    NewEvent::new("escalation", moved.id, "escalation.moved")
        .escalation(EscalationId(moved.id))
        .launch(LaunchId(moved.launch_id))
        .payload(payload)
}

/// The common move, in as few round trips as the database allows: one conditional UPDATE
/// checks the version and the rule for leaving Triggered, records the stage it left, and
/// returns the new row with its owner's name and the event chain's head; one INSERT adds
/// the event. `None` when the UPDATE matched nothing (the caller finds out why).
async fn move_if_current<C: ConnectionTrait>(
    txn: &C,
    actor: &crate::event::model::EventActor,
    id: EscalationId,
    version: i64,
    stage: Stage,
) -> Result<Option<Escalation>, AppError> {
    use crate::event::service::{HEAD_HASH_SQL, HEAD_ID_SQL, append_after, lock_chain};
    use sea_orm::sea_query::{Condition, Func, Query};
    use sea_orm::{FromQueryResult, Iterable};

    lock_chain(txn).await?;
    // Stored instants keep microseconds on PostgreSQL: use the same value on both sides.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
    let mut update = Query::update();
    update
        .table(row::Entity)
        .value(row::Column::PreviousStage, Expr::col(row::Column::Stage))
        .value(row::Column::Stage, stage.as_str())
        .value(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .value(row::Column::UpdatedAt, now)
        .and_where(row::Column::Id.eq(id.0))
        .and_where(row::Column::Version.eq(version))
        .and_where(row::Column::Stage.ne(stage.as_str()));
    if stage != Stage::Triggered {
        update
            .value(
                row::Column::AcknowledgedAt,
                Func::coalesce([Expr::col(row::Column::AcknowledgedAt), Expr::value(now)]),
            )
            .cond_where(
                Condition::any()
                    .add(row::Column::Stage.ne(Stage::Triggered.as_str()))
                    .add(
                        Condition::all()
                            .add(row::Column::OwnerId.is_not_null())
                            .add(row::Column::Deadline.is_not_null()),
                    ),
            );
    }
    let mut returning: Vec<sea_orm::sea_query::SimpleExpr> =
        row::Column::iter().map(Expr::col).collect();
    returning.extend([
        Expr::cust("(SELECT name FROM users WHERE users.id = escalations.owner_id) AS owner_name"),
        Expr::cust(format!("{HEAD_ID_SQL} AS head_id")),
        Expr::cust(format!("{HEAD_HASH_SQL} AS head_hash")),
    ]);
    update.returning(Query::returning().exprs(returning));
    let Some(result) = txn
        .query_one_raw(txn.get_database_backend().build(&update))
        .await?
    else {
        return Ok(None);
    };
    let moved = row::Model::from_query_result(&result, "")?;
    let owner_name: Option<String> = result.try_get("", "owner_name")?;
    let head_id: Option<i64> = result.try_get("", "head_id")?;
    let head_hash: Option<String> = result.try_get("", "head_hash")?;
    let from = moved
        .previous_stage
        .as_deref()
        .and_then(Stage::parse)
        .unwrap_or(Stage::Triggered);
    let acknowledged = (moved.acknowledged_at == Some(now)).then_some(now);
    append_after(
        txn,
        actor,
        moved_event(&moved, from, acknowledged, None),
        head_id.zip(head_hash),
    )
    .await?;
    let owner = moved
        .owner_id
        .zip(owner_name)
        .map(|(id, name)| crate::auth::model::Person {
            id: UserId(id),
            name,
        });
    Ok(Some(wire(moved, owner)))
}

/// Moves an escalation to another stage (members, facilitators, admins). Applies only if
/// `version` is still current — one conditional UPDATE — and answers 409 with the current
/// state otherwise. Leaving Triggered needs an owner and a deadline; closing needs a
/// published post-mortem (tiers 1–2) or a reason (tiers 3–4).
pub async fn move_to(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    req: &MoveRequest,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let stage = parse_stage(req.stage.as_deref())?;
    let version = required_version(req.version)?;
    let reason = req.reason().map_err(AppError::invalid)?;
    let reason = reason.as_deref();
    let txn = db.write().await?;
    if stage != Stage::Closed
        && reason.is_none()
        && let Some(moved) = move_if_current(&*txn, &actor.into(), id, version, stage).await?
    {
        txn.commit().await?;
        return Ok(moved);
    }
    // Closing (which has more rules), or the fast path matched nothing: read the row and
    // answer why — stale version (409), same stage or a rule (422), unknown id (404).
    let current = find_row(&*txn, id).await?;
    if current.version != version {
        return Err(stale(&*txn, current).await?);
    }
    let moved = transition(&*txn, &actor.into(), current, stage, reason).await?;
    txn.commit().await?;
    one_to_wire(&db.conn, moved).await
}

/// Triage in one step (members, facilitators, admins): tier, impact, owner with authority and
/// deadline are set and the escalation leaves Triggered for Triaged.
pub async fn triage(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    req: &super::model::TriageRequest,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let patch = EscalationPatch {
        version: req.version,
        tier: req.tier,
        impact: Some(req.impact.clone()),
        owner_id: req.owner_id,
        deadline: req.deadline.clone(),
        ..Default::default()
    };
    let mut missing = crate::error::FieldErrors::new();
    if req.owner_id.is_none() {
        missing.insert("owner_id".into(), "is required to triage".into());
    }
    if req.deadline.as_deref().is_none_or(|d| d.trim().is_empty()) {
        missing.insert("deadline".into(), "is required to triage".into());
    }
    if !missing.is_empty() {
        return Err(AppError::invalid(missing));
    }
    let txn = db.write().await?;
    let changed = patch_in(&*txn, actor, id, &patch).await?;
    let stage = Stage::parse(&changed.stage).unwrap_or(Stage::Triggered);
    let result = if stage == Stage::Triggered {
        transition(&*txn, &actor.into(), changed, Stage::Triaged, None).await?
    } else {
        changed
    };
    txn.commit().await?;
    one_to_wire(&db.conn, result).await
}

/// Changes some fields (members, facilitators, admins); `version` is required and must be
/// current. Only fields that actually change are written and recorded. A new owner must hold
/// authority for the launch, and is told.
pub async fn patch(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    patch: &EscalationPatch,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let txn = db.write().await?;
    let changed = patch_in(&*txn, actor, id, patch).await?;
    txn.commit().await?;
    one_to_wire(&db.conn, changed).await
}

/// The body of `patch`, inside the caller's write transaction.
pub async fn patch_in<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    id: EscalationId,
    patch: &EscalationPatch,
) -> Result<row::Model, AppError> {
    let version = required_version(patch.version)?;
    let current_row = find_row(txn, id).await?;
    if current_row.version != version {
        return Err(stale(txn, current_row).await?);
    }
    let current = one_to_wire(txn, current_row.clone()).await?;
    let valid = patch
        .apply(&current, Utc::now())
        .map_err(AppError::invalid)?;
    let new_owner = valid.owner_id.filter(|o| Some(*o) != current.owner_id);
    if let Some(owner) = new_owner {
        crate::launch::service::require_owner(txn, current.launch_id, owner.0).await?;
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
        return Ok(current_row);
    }
    let Some(updated) = update
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .col_expr(row::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec_with_returning(txn)
        .await?
        .pop()
    else {
        let latest = find_row(txn, id).await?;
        return Err(stale(txn, latest).await?);
    };
    changed.insert("version".into(), json!(updated.version));
    append(
        txn,
        &actor.into(),
        NewEvent::new("escalation", id.0, "escalation.updated")
            .escalation(id)
            .launch(current.launch_id)
            .payload(changed.into()),
    )
    .await?;
    if let Some(owner) = new_owner.filter(|o| *o != actor.id) {
        crate::notification::service::notify(
            txn,
            &actor.into(),
            owner,
            crate::notification::NotificationKind::OwnerAssigned,
            Some(id),
            format!("You now own \"{}\".", updated.title),
        )
        .await?;
    }
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

/// Sets a time-boxed workaround (members, facilitators, admins). It needs a root-cause
/// follow-up action item with an owner and a due time; if the time-box runs out before that
/// item is done, the scheduled check re-escalates (see `checks`).
pub async fn set_workaround(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    req: &super::model::WorkaroundRequest,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let version = required_version(req.version)?;
    let now = Utc::now();
    let mut check = crate::validate::Checker::default();
    let description = check.required_text("description", req.description.as_deref());
    let expires_at = check.instant("expires_at", req.expires_at.as_deref(), Some(now));
    if expires_at.is_none()
        && req
            .expires_at
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
    {
        check.fail("expires_at", "is required");
    }
    let root_cause = crate::action::ActionDraft {
        title: req.root_cause_title.clone(),
        owner_id: req.root_cause_owner_id,
        due: req.root_cause_due.clone(),
        kind: Some("root_cause".into()),
    };
    let root_cause = match root_cause.validate(now) {
        Ok(valid) => Some(valid),
        Err(fields) => {
            for (field, why) in fields {
                check.fail(&format!("root_cause_{field}"), why);
            }
            None
        }
    };
    check.finish(()).map_err(AppError::invalid)?;
    let (Some(expires_at), Some(root_cause)) = (expires_at, root_cause) else {
        return Err(AppError::Internal);
    };
    let txn = db.write().await?;
    let current = find_row(&*txn, id).await?;
    if current.version != version {
        return Err(stale(&*txn, current).await?);
    }
    let launch = LaunchId(current.launch_id);
    let item =
        crate::action::service::insert_in(&*txn, actor, Some((id, launch)), root_cause).await?;
    let Some(updated) = row::Entity::update_many()
        .col_expr(row::Column::Workaround, Expr::value(description.clone()))
        .col_expr(row::Column::WorkaroundExpiresAt, Expr::value(expires_at))
        .col_expr(row::Column::RootCauseItemId, Expr::value(item.id))
        .col_expr(
            row::Column::WorkaroundExpiredAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::Id.eq(id.0))
        .filter(row::Column::Version.eq(version))
        .exec_with_returning(&*txn)
        .await?
        .pop()
    else {
        let latest = find_row(&*txn, id).await?;
        return Err(stale(&*txn, latest).await?);
    };
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("escalation", id.0, "escalation.workaround_set")
            .escalation(id)
            .launch(launch)
            .payload(json!({
                "workaround": description, "expires_at": expires_at,
                "root_cause_item_id": item.id, "version": updated.version,
            })),
    )
    .await?;
    txn.commit().await?;
    one_to_wire(&db.conn, updated).await
}

/// The open escalations a user owns, highest priority first.
pub async fn owned_by<C: ConnectionTrait>(
    db: &C,
    owner: UserId,
) -> Result<Vec<Escalation>, AppError> {
    let rows = row::Entity::find()
        .filter(row::Column::OwnerId.eq(owner.0))
        .filter(row::Column::Stage.ne(Stage::Closed.as_str()))
        .order_by_desc(row::Column::Priority)
        .all(db)
        .await?;
    to_wire(db, rows).await
}
