//! Reading the board: each column's top cards and total under the filters, in SQL so a
//! launch with thousands of escalations renders as fast as one with ten.

use super::model::{BoardFilter, BoardView, Card, Column, PAGE};
use crate::auth::model::{Actor, Permission};
use crate::entity::escalation as row;
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::launch::LaunchId;
use crate::runbook::Runbook;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The filter as a SQL condition (the same rule as `BoardFilter::matches`).
fn condition(filter: &BoardFilter, runbook: &Runbook, now: DateTime<Utc>) -> Condition {
    let mut all = Condition::all();
    if let Some(tier) = filter.tier {
        all = all.add(row::Column::Tier.eq(i16::from(tier)));
    }
    if let Some(trigger) = filter.trigger {
        all = all.add(row::Column::Trigger.eq(trigger.as_str()));
    }
    if let Some(owner) = filter.owner {
        all = all.add(row::Column::OwnerId.eq(owner));
    }
    if let Some(q) = &filter.q {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        all = all.add(
            Expr::expr(Func::lower(Expr::col(row::Column::Title)))
                .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    if filter.overdue {
        let late = Condition::all()
            .add(row::Column::Deadline.is_not_null())
            .add(row::Column::Deadline.lt(now))
            .add(row::Column::Stage.ne(Stage::Resolved.as_str()));
        let mut unacknowledged = Condition::any();
        for policy in &runbook.tiers {
            unacknowledged = unacknowledged.add(
                Condition::all()
                    .add(row::Column::Tier.eq(i16::from(policy.tier.get())))
                    .add(row::Column::CreatedAt.lt(now - policy.acknowledge_within())),
            );
        }
        let slow = Condition::all()
            .add(row::Column::Stage.eq(Stage::Triggered.as_str()))
            .add(row::Column::AcknowledgedAt.is_null())
            .add(unacknowledged);
        all = all.add(Condition::any().add(late).add(slow));
    }
    all
}

async fn cards<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    stage: Stage,
    filter: Condition,
    offset: u64,
) -> Result<Vec<Card>, AppError> {
    let rows = row::Entity::find()
        .filter(row::Column::LaunchId.eq(launch.0))
        .filter(row::Column::Stage.eq(stage.as_str()))
        .filter(filter)
        .order_by_desc(row::Column::Priority)
        .order_by_asc(row::Column::Id)
        .offset(offset)
        .limit(PAGE as u64)
        .all(db)
        .await?;
    Ok(crate::escalation::service::to_wire(db, rows)
        .await?
        .into_iter()
        .map(Card::from)
        .collect())
}

/// The board's first view: every column's total and top cards under `filter`. Anyone
/// signed in.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: LaunchId,
    filter: BoardFilter,
    runbook: Runbook,
    now: DateTime<Utc>,
) -> Result<BoardView, AppError> {
    // Read the cursor first: anything committed after it reaches the page live.
    let last_event_id = crate::event::service::last_id(db).await?;
    let launch = crate::launch::service::get(db, actor, launch_id).await?;
    let counts: Vec<(String, i64)> = row::Entity::find()
        .select_only()
        .column(row::Column::Stage)
        .column_as(row::Column::Id.count(), "n")
        .filter(row::Column::LaunchId.eq(launch_id.0))
        .filter(condition(&filter, &runbook, now))
        .group_by(row::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    let mut columns = Vec::with_capacity(Stage::BOARD.len());
    for stage in Stage::BOARD {
        let total = counts
            .iter()
            .find(|(s, _)| s == stage.as_str())
            .map_or(0, |(_, n)| *n as u32);
        let cards = if total == 0 {
            Vec::new()
        } else {
            cards(db, launch_id, stage, condition(&filter, &runbook, now), 0).await?
        };
        columns.push(Column {
            stage,
            total,
            cards,
        });
    }
    let owner_ids: Vec<i64> = row::Entity::find()
        .select_only()
        .column(row::Column::OwnerId)
        .distinct()
        .filter(row::Column::LaunchId.eq(launch_id.0))
        .filter(row::Column::OwnerId.is_not_null())
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut owners: Vec<_> = crate::auth::service::people(db, owner_ids)
        .await?
        .into_values()
        .collect();
    owners.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(BoardView {
        launch,
        now,
        columns,
        last_event_id,
        runbook,
        filter,
        owners,
    })
}

/// The next cards of one column ("Show more"). Anyone signed in.
pub async fn more<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: LaunchId,
    stage: Stage,
    filter: &BoardFilter,
    runbook: &Runbook,
    offset: u64,
) -> Result<Vec<Card>, AppError> {
    actor.require(Permission::Read)?;
    cards(
        db,
        launch_id,
        stage,
        condition(filter, runbook, Utc::now()),
        offset,
    )
    .await
}

/// One card, as it is now. Anyone signed in.
pub async fn card<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<Card, AppError> {
    Ok(Card::from(
        crate::escalation::service::get(db, actor, id).await?,
    ))
}
