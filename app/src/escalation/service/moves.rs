//! Stage moves: the protocol's rules for each move, one conditional UPDATE on the version
//! the client saw (409 with the current state if someone got there first), and the
//! `escalation.moved` event; triage is a patch and a move in one transaction.

use super::row::{previous_stage, wire};
use super::{one_to_wire, patch_in, stale};
use crate::auth::model::{Actor, Permission, UserId};
use crate::db::Db;
use crate::entity::escalation::{self as row, find_existing};
use crate::error::AppError;
use crate::escalation::model::{
    Escalation, EscalationId, MoveRequest, Resolution, Stage, TriageRequest, ValidMove, may_close,
    may_leave_triggered, may_resolve,
};
use crate::event::change::EscalationMoved;
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::notification::NotificationKind;
use crate::notification::rules::Occasion;
use crate::notification::service::stakeholders::{Notice, tell};
use chrono::Utc;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Moves `current` to `stage` inside `txn`: the protocol's rules, one conditional UPDATE on
/// the version `current` carries (409 with the current state if someone else got there
/// first), and the `escalation.moved` event. Other services (updates, decisions) move
/// escalations through this too.
pub async fn transition<C: ConnectionTrait>(
    txn: &C,
    actor: &EventActor,
    current: row::Model,
    stage: Stage,
    reason: Option<&str>,
) -> Result<row::Model, AppError> {
    apply(txn, actor, current, stage, reason, &Resolution::default()).await
}

/// `transition` with what a move to Resolved records: its outcome and risk posture
/// (required for tiers 1–2), after which every stakeholder is told.
async fn apply<C: ConnectionTrait>(
    txn: &C,
    actor: &EventActor,
    current: row::Model,
    stage: Stage,
    reason: Option<&str>,
    resolution: &Resolution,
) -> Result<row::Model, AppError> {
    let escalation = Escalation::try_from(&current)?;
    let from = escalation.stage;
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
        let published = crate::entity::postmortem::is_published(txn, escalation.id).await?;
        may_close(escalation.tier, published, reason).map_err(AppError::invalid)?;
    }
    if stage == Stage::Resolved {
        may_resolve(escalation.tier, resolution).map_err(AppError::invalid)?;
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
    if stage != Stage::Closed {
        // Resolving records its outcome; reopening clears what no longer holds.
        let posture = resolution
            .risk_posture
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(AppError::internal)?;
        update = update
            .col_expr(
                row::Column::Outcome,
                Expr::value(resolution.outcome.clone()),
            )
            .col_expr(row::Column::RiskPosture, Expr::value(posture));
    }
    // One conditional UPDATE: it applies only if nobody changed the card since `version`.
    let Some(moved) = update.exec_with_returning(txn).await?.pop() else {
        let latest = find_existing(txn, escalation.id).await?;
        return Err(stale(txn, latest).await?);
    };
    let acknowledged = acknowledging.then_some(now);
    let event = moved_event(&moved, from, stage, acknowledged, reason, resolution);
    append(txn, actor, event).await?;
    if stage == Stage::Resolved {
        tell_resolved(txn, actor, &moved, resolution).await?;
    }
    Ok(moved)
}

/// Every stakeholder hears that it is resolved, with its outcome and risk posture.
async fn tell_resolved<C: ConnectionTrait>(
    txn: &C,
    actor: &EventActor,
    moved: &row::Model,
    resolution: &Resolution,
) -> Result<(), AppError> {
    let mut text = format!("\"{}\" is resolved.", moved.title);
    if let Some(outcome) = &resolution.outcome {
        text.push_str(&format!(" Outcome: {outcome}"));
    }
    if let Some(posture) = &resolution.risk_posture {
        text.push_str(&format!(" Risk posture: {}.", posture.text()));
    }
    let notice = Notice::new(
        Occasion::Resolved,
        NotificationKind::EscalationResolved,
        text,
    );
    tell(txn, actor, moved, &notice).await?;
    Ok(())
}

/// The event of a move: where from, where to (`stage`, as `moved` now stores it), the new
/// version (and the acknowledgement).
fn moved_event(
    moved: &row::Model,
    from: Stage,
    stage: Stage,
    acknowledged_at: Option<chrono::DateTime<Utc>>,
    reason: Option<&str>,
    resolution: &Resolution,
) -> NewEvent {
    let change = EscalationMoved {
        from,
        stage,
        version: moved.version,
        acknowledged_at,
        reason: reason.map(str::to_string),
        outcome: resolution.outcome.clone(),
        risk_posture: resolution.risk_posture.clone(),
    };
    NewEvent::new("escalation", moved.id, change)
        .escalation(EscalationId(moved.id))
        .launch(LaunchId(moved.launch_id))
}

/// The common move, in as few round trips as the database allows: one conditional UPDATE
/// checks the version and the rule for leaving Triggered, records the stage it left, and
/// returns the new row with its owner's name and the event chain's head; one INSERT adds
/// the event. `None` when the UPDATE matched nothing (the caller finds out why).
async fn move_if_current<C: ConnectionTrait>(
    txn: &C,
    actor: &EventActor,
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
        // Never a move to Resolved or Closed: what resolving recorded no longer holds.
        .value(row::Column::Outcome, Option::<String>::None)
        .value(row::Column::RiskPosture, Option::<String>::None)
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
    let from = previous_stage(&moved)?;
    let acknowledged = (moved.acknowledged_at == Some(now)).then_some(now);
    append_after(
        txn,
        actor,
        moved_event(
            &moved,
            from,
            stage,
            acknowledged,
            None,
            &Resolution::default(),
        ),
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
    Ok(Some(wire(&moved, owner)?))
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
    let ValidMove {
        stage,
        version,
        reason,
        resolution,
    } = req.validate().map_err(AppError::invalid)?;
    let reason = reason.as_deref();
    let txn = db.write().await?;
    if !matches!(stage, Stage::Closed | Stage::Resolved)
        && reason.is_none()
        && let Some(moved) = move_if_current(&*txn, &actor.into(), id, version, stage).await?
    {
        txn.commit().await?;
        return Ok(moved);
    }
    // Resolving or closing (which have more rules), or the fast path matched nothing: read the row and
    // answer why — stale version (409), same stage or a rule (422), unknown id (404).
    let current = find_existing(&*txn, id).await?;
    if current.version != version {
        return Err(stale(&*txn, current).await?);
    }
    let moved = apply(&*txn, &actor.into(), current, stage, reason, &resolution).await?;
    txn.commit().await?;
    one_to_wire(&db.conn, moved).await
}

/// Triage in one step (members, facilitators, admins): tier, impact, owner with authority and
/// deadline are set and the escalation leaves Triggered for Triaged.
pub async fn triage(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    req: &TriageRequest,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let patch = req.validate().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let changed = patch_in(&*txn, actor, id, &patch).await?;
    let result = if Escalation::try_from(&changed)?.stage == Stage::Triggered {
        transition(&*txn, &actor.into(), changed, Stage::Triaged, None).await?
    } else {
        changed
    };
    txn.commit().await?;
    one_to_wire(&db.conn, result).await
}
