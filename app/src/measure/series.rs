//! Reading metric samples: what a criterion's rule reads, a launch's series for the REST
//! door, and the criteria page with each criterion's last day.

use super::model::{
    CriteriaView, Criterion, CriterionChange, CriterionTrend, MetricSample, Rule, Sample,
    SinceYesterday, starter_set,
};
use super::service::{list, require_launch};
use crate::auth::model::{Actor, Permission};
use crate::entity::{event, metric_sample};
use crate::error::AppError;
use crate::event::change::{CriterionBreached, Payload};
use crate::launch::LaunchId;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The samples a rule reads at `now`, oldest first: the window's, or the last three.
pub async fn recent<C: ConnectionTrait>(
    db: &C,
    launch: i64,
    metric: &str,
    rule: Rule,
    now: DateTime<Utc>,
) -> Result<Vec<Sample>, AppError> {
    let query = metric_sample::Entity::find()
        .filter(metric_sample::Column::LaunchId.eq(launch))
        .filter(metric_sample::Column::Metric.eq(metric))
        .filter(metric_sample::Column::At.lte(now));
    let mut rows = match rule.window_minutes {
        Some(minutes) => {
            query
                .filter(metric_sample::Column::At.gt(now - Duration::minutes(i64::from(minutes))))
                .order_by_asc(metric_sample::Column::At)
                .all(db)
                .await?
        }
        None => {
            let mut last = query
                .order_by_desc(metric_sample::Column::At)
                .order_by_desc(metric_sample::Column::Id)
                .limit(super::model::RECOVERY_SAMPLES as u64)
                .all(db)
                .await?;
            last.reverse();
            last
        }
    };
    Ok(rows
        .drain(..)
        .map(|s| Sample {
            at: s.at,
            value: s.value,
        })
        .collect())
}

/// A launch's samples of one metric (or all) from `since`, oldest first, at most `limit`.
/// Anyone signed in.
pub async fn samples<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
    metric: Option<&str>,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<MetricSample>, AppError> {
    actor.require(Permission::Read)?;
    require_launch(db, launch).await?;
    let mut query = metric_sample::Entity::find()
        .filter(metric_sample::Column::LaunchId.eq(launch.0))
        .filter(metric_sample::Column::At.gte(since));
    if let Some(metric) = metric {
        query = query.filter(metric_sample::Column::Metric.eq(metric));
    }
    Ok(query
        .order_by_asc(metric_sample::Column::At)
        .order_by_asc(metric_sample::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|s| MetricSample {
            metric: s.metric,
            value: s.value,
            at: s.at,
        })
        .collect())
}

/// The criteria page: every criterion in use with its values over the last 24 hours, and
/// the starter criteria whose metric no criterion uses yet. Anyone signed in.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<CriteriaView, AppError> {
    let criteria = list(db, actor, launch, now).await?;
    let name = require_launch(db, launch).await?.name;
    let since = now - Duration::hours(24);
    let mut trends = Vec::with_capacity(criteria.len());
    for criterion in criteria {
        let values = samples(db, actor, launch, Some(&criterion.metric), since, 2_000)
            .await?
            .into_iter()
            .map(|s| s.value)
            .collect();
        trends.push(CriterionTrend { criterion, values });
    }
    let starters = starter_set()
        .into_iter()
        .enumerate()
        .filter(|(_, s)| {
            !trends
                .iter()
                .any(|t| Some(&t.criterion.metric) == s.metric.as_ref())
        })
        .map(|(i, s)| (i, s.name.unwrap_or_default()))
        .collect();
    let review = review(db, launch, trends.iter().map(|t| &t.criterion), now).await?;
    Ok(CriteriaView {
        launch_id: launch,
        launch_name: name,
        criteria: trends,
        starters,
        review,
    })
}

/// What changed since this time yesterday: each criterion's status then and now (from the
/// samples either instant reads), and the breaches recorded in the last 24 hours. Anyone
/// signed in.
pub async fn since_yesterday<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
    now: DateTime<Utc>,
) -> Result<SinceYesterday, AppError> {
    let criteria = list(db, actor, launch, now).await?;
    review(db, launch, criteria.iter(), now).await
}

/// The daily review of criteria already read at `now`.
async fn review<'a, C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    criteria: impl Iterator<Item = &'a Criterion>,
    now: DateTime<Utc>,
) -> Result<SinceYesterday, AppError> {
    let yesterday = now - Duration::hours(24);
    let mut changes = Vec::new();
    for c in criteria {
        let then = recent(db, launch.0, &c.metric, c.rule(), yesterday).await?;
        let before = c.rule().read(&then, yesterday).status;
        if before != c.status {
            changes.push(CriterionChange {
                id: c.id,
                name: c.name.clone(),
                before,
                now: c.status,
                current: c.current,
                unit: c.unit.clone(),
            });
        }
    }
    let breaches = event::Entity::find()
        .filter(event::Column::LaunchId.eq(launch.0))
        .filter(event::Column::Kind.eq(<CriterionBreached as Payload>::KIND))
        .filter(event::Column::At.gt(yesterday))
        .count(db)
        .await?;
    Ok(SinceYesterday {
        changes,
        breaches: breaches as u32,
    })
}
