//! Field changes: the patch (only fields that actually change are written and recorded, a
//! new owner is told) and the time-boxed workaround with its root-cause follow-up.

use super::{one_to_wire, stale};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::entity::escalation::{self as row, find_existing};
use crate::error::AppError;
use crate::escalation::model::{
    Escalation, EscalationId, EscalationPatch, WorkaroundRequest, priority,
};
use crate::event::change::{EscalationUpdated, EscalationWorkaroundSet};
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

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
    let version = patch.validate().map_err(AppError::invalid)?;
    let current_row = find_existing(txn, id).await?;
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
    let mut changed = EscalationUpdated::default();
    let mut update = row::Entity::update_many()
        .filter(row::Column::Id.eq(id.0))
        .filter(row::Column::Version.eq(version));
    // Records `$new` in the event and stores it (or `$stored`, its column's value).
    macro_rules! set_if_changed {
        ($field:ident, $column:expr, $old:expr, $new:expr) => {
            set_if_changed!($field, $column, $old, $new, $new)
        };
        ($field:ident, $column:expr, $old:expr, $new:expr, $stored:expr) => {
            if $old != $new {
                changed.$field = Some($new);
                update = update.col_expr($column, Expr::value($stored));
            }
        };
    }
    set_if_changed!(
        title,
        row::Column::Title,
        current.title,
        valid.title.clone()
    );
    set_if_changed!(
        description,
        row::Column::Description,
        current.description,
        valid.description.clone()
    );
    set_if_changed!(
        trigger,
        row::Column::Trigger,
        current.trigger,
        valid.trigger,
        valid.trigger.as_str()
    );
    set_if_changed!(
        tier,
        row::Column::Tier,
        current.tier,
        valid.tier,
        i16::from(valid.tier.get())
    );
    if current.impact != valid.impact {
        changed.impact = Some(valid.impact);
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
        priority,
        row::Column::Priority,
        i32::from(current.priority),
        i32::from(new_priority)
    );
    set_if_changed!(
        owner_id,
        row::Column::OwnerId,
        current.owner_id.map(|o| o.0),
        valid.owner_id.map(|o| o.0)
    );
    set_if_changed!(
        deadline,
        row::Column::Deadline,
        current.deadline,
        valid.deadline
    );
    if changed == EscalationUpdated::default() {
        return Ok(current_row);
    }
    let Some(updated) = update
        .col_expr(row::Column::Version, Expr::col(row::Column::Version).add(1))
        .col_expr(row::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec_with_returning(txn)
        .await?
        .pop()
    else {
        let latest = find_existing(txn, id).await?;
        return Err(stale(txn, latest).await?);
    };
    changed.version = updated.version;
    append(
        txn,
        &actor.into(),
        NewEvent::new("escalation", id.0, changed)
            .escalation(id)
            .launch(current.launch_id),
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

/// Sets a time-boxed workaround (members, facilitators, admins). It needs a root-cause
/// follow-up action item with an owner and a due time; if the time-box runs out before that
/// item is done, the scheduled check re-escalates (see `checks`).
pub async fn set_workaround(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    req: &WorkaroundRequest,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let now = Utc::now();
    let root_cause = crate::action::ActionDraft {
        title: req.root_cause_title.clone(),
        owner_id: req.root_cause_owner_id,
        due: req.root_cause_due.clone(),
        kind: Some("root_cause".into()),
    }
    .validate(now);
    let valid = req.validate(now, root_cause).map_err(AppError::invalid)?;
    let version = valid.version;
    let txn = db.write().await?;
    let current = find_existing(&*txn, id).await?;
    if current.version != version {
        return Err(stale(&*txn, current).await?);
    }
    let launch = LaunchId(current.launch_id);
    let item =
        crate::action::service::insert_in(&*txn, actor, Some((id, launch)), valid.root_cause)
            .await?;
    let Some(updated) = row::Entity::update_many()
        .col_expr(
            row::Column::Workaround,
            Expr::value(valid.description.clone()),
        )
        .col_expr(
            row::Column::WorkaroundExpiresAt,
            Expr::value(valid.expires_at),
        )
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
        let latest = find_existing(&*txn, id).await?;
        return Err(stale(&*txn, latest).await?);
    };
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "escalation",
            id.0,
            EscalationWorkaroundSet {
                workaround: valid.description,
                expires_at: valid.expires_at,
                root_cause_item_id: item.id,
                version: updated.version,
            },
        )
        .escalation(id)
        .launch(launch),
    )
    .await?;
    txn.commit().await?;
    one_to_wire(&db.conn, updated).await
}
