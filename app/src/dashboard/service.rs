//! Reading a dashboard: the launch's escalations (no drills) and their resolve times from the
//! event log, its criteria, stalled decisions, overdue actions and post-mortem impact, handed
//! to the model's maths.

use super::model::{
    CustomerImpact, Dashboard, ImpactDay, Life, OpenEscalation, ReadinessInput, defects, readiness,
    time_to_fix,
};
use crate::auth::model::{Actor, Permission};
use crate::entity::{action_item, decision_request, escalation, event, launch, postmortem};
use crate::error::AppError;
use crate::escalation::{Stage, Tier, Trigger};
use crate::event::change::{EscalationMoved, Payload};
use crate::launch::{LaunchId, LaunchStatus};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// A launch's dashboard at `now`. Anyone signed in.
pub async fn launch_dashboard<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: LaunchId,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    actor.require(Permission::Read)?;
    let launch = launch::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Launch {id} does not exist.")))?;
    read(db, actor, &launch, now).await
}

/// Every launch in planning or live, no-go first, then at risk, then go; each by target
/// date. Anyone signed in.
pub async fn overview<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Dashboard>, AppError> {
    actor.require(Permission::Read)?;
    let launches = launch::Entity::find()
        .filter(
            launch::Column::Status
                .is_in([LaunchStatus::Planning.as_str(), LaunchStatus::Live.as_str()]),
        )
        .order_by_asc(launch::Column::TargetDate)
        .order_by_asc(launch::Column::Id)
        .all(db)
        .await?;
    let mut boards = Vec::with_capacity(launches.len());
    for l in &launches {
        boards.push(read(db, actor, l, now).await?);
    }
    boards.sort_by_key(|d| d.readiness.verdict);
    Ok(boards)
}

/// What a dashboard reads of an escalation: a few columns, not the whole row (a launch with a
/// thousand escalations reads them on every refresh).
struct Counted {
    id: i64,
    title: String,
    tier: Tier,
    stage: Stage,
    trigger: Trigger,
    created_at: DateTime<Utc>,
}

/// The launch's escalations, drills left out.
async fn counted<C: ConnectionTrait>(db: &C, launch: i64) -> Result<Vec<Counted>, AppError> {
    use escalation::Column as E;
    let rows: Vec<(i64, String, i16, String, String, DateTime<Utc>)> = escalation::Entity::find()
        .select_only()
        .columns([E::Id, E::Title, E::Tier, E::Stage, E::Trigger, E::CreatedAt])
        .filter(E::LaunchId.eq(launch))
        .filter(E::Drill.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, title, tier, stage, trigger, created_at)| {
            let corrupt = |column: &str, value: &dyn std::fmt::Debug| {
                AppError::corrupt("escalation", id, column, format!("{value:?}"))
            };
            Ok(Counted {
                tier: Tier::new(i64::from(tier)).ok_or_else(|| corrupt("tier", &tier))?,
                stage: Stage::parse(&stage).ok_or_else(|| corrupt("stage", &stage))?,
                trigger: Trigger::parse(&trigger).ok_or_else(|| corrupt("trigger", &trigger))?,
                id,
                title,
                created_at,
            })
        })
        .collect()
}

async fn read<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: &launch::Model,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let id = LaunchId(launch.id);
    let criteria = crate::measure::service::list(db, actor, id, now).await?;
    let rows = counted(db, launch.id).await?;
    let resolved = resolved_at(db, launch.id).await?;
    let mut lives = Vec::with_capacity(rows.len());
    let mut open = Vec::new();
    for r in &rows {
        let done = matches!(r.stage, Stage::Resolved | Stage::Closed);
        if !done {
            open.push(OpenEscalation {
                title: r.title.clone(),
                tier: r.tier,
            });
        }
        lives.push(Life {
            tier: r.tier,
            trigger: r.trigger,
            opened_at: r.created_at,
            resolved_at: if done {
                resolved.get(&r.id).copied()
            } else {
                None
            },
            closed: r.stage == Stage::Closed,
        });
    }
    let input = ReadinessInput {
        criteria: criteria.clone(),
        open,
        stalled: stalled(db, &rows, now).await?,
        overdue_actions: overdue(db, launch.id, now).await?,
    };
    let runbook = crate::runbook::service::current(db).await?;
    let targets: BTreeMap<u8, i64> = Tier::ALL
        .iter()
        .map(|t| (t.get(), runbook.policy(*t).acknowledge_minutes))
        .collect();
    Ok(Dashboard {
        launch_id: id,
        launch_name: launch.name.clone(),
        status: LaunchStatus::parse(&launch.status)
            .ok_or_else(|| AppError::corrupt("launch", launch.id, "status", &launch.status))?,
        readiness: readiness(&input),
        defects: defects(&lives, now),
        time_to_fix: time_to_fix(&lives, &targets),
        customer_impact: impact(db, launch.id, &rows).await?,
        criteria,
        at: now,
    })
}

/// When each of the launch's escalations first moved to resolved, from the event log.
async fn resolved_at<C: ConnectionTrait>(
    db: &C,
    launch: i64,
) -> Result<HashMap<i64, DateTime<Utc>>, AppError> {
    let moves: Vec<(i64, Option<i64>, DateTime<Utc>, String)> = event::Entity::find()
        .select_only()
        .columns([
            event::Column::Id,
            event::Column::EscalationId,
            event::Column::At,
            event::Column::Payload,
        ])
        .filter(event::Column::LaunchId.eq(launch))
        .filter(event::Column::Kind.eq(EscalationMoved::KIND))
        .filter(event::Column::Payload.contains(r#""stage":"resolved""#))
        .order_by_asc(event::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut first = HashMap::new();
    for (id, escalation, at, payload) in moves {
        let moved: EscalationMoved = serde_json::from_str(&payload)
            .map_err(|err| AppError::corrupt("event", id, "payload", err.to_string()))?;
        if let (Stage::Resolved, Some(escalation)) = (moved.stage, escalation) {
            first.entry(escalation).or_insert(at);
        }
    }
    Ok(first)
}

/// The titles of escalations whose decision request is past due and unanswered.
async fn stalled<C: ConnectionTrait>(
    db: &C,
    rows: &[Counted],
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let late = decision_request::Entity::find()
        .filter(decision_request::Column::EscalationId.is_in(ids))
        .filter(decision_request::Column::AnsweredAt.is_null())
        .filter(decision_request::Column::DueAt.lt(now))
        .order_by_asc(decision_request::Column::DueAt)
        .all(db)
        .await?;
    Ok(late
        .iter()
        .filter_map(|d| rows.iter().find(|r| r.id == d.escalation_id))
        .map(|r| r.title.clone())
        .collect())
}

/// The launch's open action items past due (drills left out).
async fn overdue<C: ConnectionTrait>(
    db: &C,
    launch: i64,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let counted = Query::select()
        .column(escalation::Column::Id)
        .from(escalation::Entity)
        .and_where(escalation::Column::LaunchId.eq(launch))
        .and_where(escalation::Column::Drill.eq(false))
        .to_owned();
    let n = action_item::Entity::find()
        .filter(action_item::Column::EscalationId.in_subquery(counted))
        .filter(action_item::Column::Done.eq(false))
        .filter(action_item::Column::DueAt.lt(now))
        .count(db)
        .await?;
    Ok(n as u32)
}

/// Customers affected and revenue from the post-mortems of the launch's escalations, by the
/// day each escalation was raised.
async fn impact<C: ConnectionTrait>(
    db: &C,
    launch: i64,
    rows: &[Counted],
) -> Result<CustomerImpact, AppError> {
    #[derive(serde::Deserialize, Default)]
    struct Body {
        #[serde(default)]
        impact: Figures,
    }
    #[derive(serde::Deserialize, Default)]
    struct Figures {
        customers_affected: Option<i64>,
        revenue: Option<i64>,
    }
    let written = postmortem::Entity::find()
        .filter(postmortem::Column::LaunchId.eq(launch))
        .all(db)
        .await?;
    let mut by_day: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    for pm in written {
        let Some(raised) = rows.iter().find(|r| r.id == pm.escalation_id) else {
            continue; // a drill's
        };
        let body: Body = serde_json::from_str(&pm.body).map_err(|err| {
            AppError::corrupt("postmortem", pm.escalation_id, "body", err.to_string())
        })?;
        let day = by_day.entry(raised.created_at.date_naive()).or_default();
        day.0 += body.impact.customers_affected.unwrap_or(0);
        day.1 += body.impact.revenue.unwrap_or(0);
    }
    Ok(CustomerImpact {
        customers_affected: by_day.values().map(|d| d.0).sum(),
        revenue: by_day.values().map(|d| d.1).sum(),
        by_day: by_day
            .into_iter()
            .map(|(day, (customers_affected, revenue))| ImpactDay {
                day,
                customers_affected,
                revenue,
            })
            .collect(),
    })
}
