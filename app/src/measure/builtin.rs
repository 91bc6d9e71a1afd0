//! The built-in metrics, sampled from Flare's own data by the scheduled checks: each check,
//! one app server claims each launch in planning or live (a conditional UPDATE of its
//! `metrics_sampled_at`), stores the values that changed, and evaluates the criteria on them.
//! Drill escalations never count.

use super::feed::{evaluate, store};
use super::model::{BUILTIN_METRICS, MetricSample};
use crate::db::{Db, claim};
use crate::entity::{action_item, decision_request, escalation, launch, metric_sample};
use crate::error::AppError;
use crate::escalation::{Stage, Trigger};
use crate::launch::{LaunchId, LaunchStatus};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Two samplings of one launch are at least this far apart, whichever server runs them.
const MIN_GAP_SECONDS: i64 = 10;
/// An unchanged value is stored again after this long, so charts have recent points.
const REFRESH_MINUTES: i64 = 60;

/// Samples every launch in planning or live whose claim this server wins; returns how many.
pub async fn sample_all(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let launches = launch::Entity::find()
        .filter(
            launch::Column::Status
                .is_in([LaunchStatus::Planning.as_str(), LaunchStatus::Live.as_str()]),
        )
        .all(&db.conn)
        .await?;
    let names: Vec<String> = BUILTIN_METRICS.iter().map(|m| m.to_string()).collect();
    let mut won = 0;
    for l in launches {
        let id = LaunchId(l.id);
        if sample(db, id, now).await? {
            evaluate(db, id, &names, now).await?;
            won += 1;
        }
    }
    Ok(won)
}

/// Claims one launch's sampling at `now` and stores the built-in values that changed.
async fn sample(db: &Db, launch: LaunchId, now: DateTime<Utc>) -> Result<bool, AppError> {
    let txn = db.write().await?;
    let claimed = claim(
        launch::Entity::update_many()
            .col_expr(launch::Column::MetricsSampledAt, Expr::value(now))
            .filter(launch::Column::Id.eq(launch.0))
            .filter(
                Condition::any()
                    .add(launch::Column::MetricsSampledAt.is_null())
                    .add(
                        launch::Column::MetricsSampledAt
                            .lte(now - Duration::seconds(MIN_GAP_SECONDS)),
                    ),
            ),
        &*txn,
    )
    .await?;
    if !claimed {
        return Ok(false);
    }
    let mut changed = Vec::new();
    for (metric, value) in values(&*txn, launch, now).await? {
        let last = metric_sample::Entity::find()
            .filter(metric_sample::Column::LaunchId.eq(launch.0))
            .filter(metric_sample::Column::Metric.eq(metric))
            .order_by_desc(metric_sample::Column::At)
            .one(&*txn)
            .await?;
        let stale = last
            .as_ref()
            .is_none_or(|l| l.value != value || now - l.at >= Duration::minutes(REFRESH_MINUTES));
        if stale {
            changed.push(MetricSample {
                metric: metric.to_string(),
                value,
                at: now,
            });
        }
    }
    store(&*txn, launch, &changed).await?;
    txn.commit().await?;
    Ok(true)
}

/// The ids of a launch's escalations that count (no drills).
fn counted(launch: LaunchId) -> SelectStatement {
    Query::select()
        .column(escalation::Column::Id)
        .from(escalation::Entity)
        .and_where(escalation::Column::LaunchId.eq(launch.0))
        .and_where(escalation::Column::Drill.eq(false))
        .to_owned()
}

/// Each built-in metric's value for a launch at `now`. "Open" is unresolved: not yet
/// resolved or closed.
pub async fn values<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<Vec<(&'static str, f64)>, AppError> {
    let open = escalation::Entity::find()
        .select_only()
        .column(escalation::Column::Tier)
        .column(escalation::Column::Trigger)
        .filter(escalation::Column::LaunchId.eq(launch.0))
        .filter(escalation::Column::Drill.eq(false))
        .filter(
            escalation::Column::Stage.is_not_in([Stage::Resolved.as_str(), Stage::Closed.as_str()]),
        )
        .into_tuple::<(i16, String)>()
        .all(db)
        .await?;
    let count = |keep: &dyn Fn(&(i16, String)) -> bool| open.iter().filter(|e| keep(e)).count();
    let overdue = action_item::Entity::find()
        .filter(action_item::Column::EscalationId.in_subquery(counted(launch)))
        .filter(action_item::Column::Done.eq(false))
        .filter(action_item::Column::DueAt.lt(now))
        .count(db)
        .await?;
    let stalled = decision_request::Entity::find()
        .filter(decision_request::Column::EscalationId.in_subquery(counted(launch)))
        .filter(decision_request::Column::AnsweredAt.is_null())
        .filter(decision_request::Column::DueAt.lt(now))
        .count(db)
        .await?;
    let values = [
        open.len(),
        count(&|e| e.0 == 1),
        count(&|e| e.0 == 2),
        count(&|e| e.1 == Trigger::CustomerDefect.as_str()),
        overdue as usize,
        stalled as usize,
    ];
    Ok(BUILTIN_METRICS
        .into_iter()
        .zip(values.map(|v| v as f64))
        .collect())
}
