//! What a quarter's figures are computed from, read from Flare's own records (drills apart):
//! escalations raised in it with their runbook version, acknowledgement, resolution (from the
//! event log), updates and post-mortem; decision requests opened in it; remediation due in it.

use crate::entity::{action_item, decision_request, escalation, event, postmortem, update};
use crate::error::AppError;
use crate::escalation::{Stage, Trigger};
use crate::event::change::{Change, EscalationMoved};
use crate::review::model::{DecisionFact, EscalationFact, Facts, Figures, Period, compute};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// The figures of `period` beside the quarter before it and the current default runbook.
pub async fn figures<C: ConnectionTrait>(
    db: &C,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Figures, AppError> {
    let quarter = gather(db, period, now).await?;
    let previous = gather(db, period.previous(), now).await?;
    let runbook = crate::runbook::service::current(db).await?;
    Ok(compute(&quarter, &previous, &runbook))
}

/// Ids in batches small enough for any database's `IN`.
const BATCH: usize = 500;

pub async fn gather<C: ConnectionTrait>(
    db: &C,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Facts, AppError> {
    let (start, end) = (period.start(), period.end());
    let raised = escalation::Entity::find()
        .filter(escalation::Column::Drill.eq(false))
        .filter(escalation::Column::CreatedAt.gte(start))
        .filter(escalation::Column::CreatedAt.lt(end))
        .all(db)
        .await?;
    let drills: HashSet<i64> = escalation::Entity::find()
        .select_only()
        .column(escalation::Column::Id)
        .filter(escalation::Column::Drill.eq(true))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let runbooks =
        crate::runbook::service::versions(db, raised.iter().map(|e| e.runbook_version)).await?;
    let mut resolved: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut updates: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    let mut published: HashSet<i64> = HashSet::new();
    for batch in raised.chunks(BATCH) {
        let ids: Vec<i64> = batch.iter().map(|e| e.id).collect();
        for moved in event::Entity::find()
            .filter(
                event::Column::Kind.eq(<EscalationMoved as crate::event::change::Payload>::KIND),
            )
            .filter(event::Column::EscalationId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            let payload: serde_json::Value =
                serde_json::from_str(&moved.payload).unwrap_or_default();
            if let Ok(Change::EscalationMoved(m)) = Change::from_parts(&moved.kind, &payload)
                && m.stage == Stage::Resolved
                && let Some(id) = moved.escalation_id
            {
                resolved.entry(id).or_insert(moved.at);
            }
        }
        for u in update::Entity::find()
            .filter(update::Column::EscalationId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            updates
                .entry(u.escalation_id)
                .or_default()
                .push(u.created_at);
        }
        published.extend(
            postmortem::Entity::find()
                .filter(postmortem::Column::EscalationId.is_in(ids))
                .filter(
                    postmortem::Column::Status.eq(crate::postmortem::Status::Published.as_str()),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.escalation_id),
        );
    }
    let mut escalations = Vec::with_capacity(raised.len());
    for e in raised {
        let tier = e.read_tier()?;
        let mut times = updates.remove(&e.id).unwrap_or_default();
        times.sort();
        escalations.push(EscalationFact {
            tier,
            trigger: Trigger::parse(&e.trigger)
                .ok_or_else(|| AppError::corrupt("escalation", e.id, "trigger", &e.trigger))?,
            policy: runbooks.policy(e.runbook_version, tier),
            raised_at: e.created_at,
            acknowledged_at: e.acknowledged_at,
            resolved_at: resolved.get(&e.id).copied(),
            deadline: e.deadline,
            updates: times,
            workaround_expired: e.workaround_expired_at.is_some(),
            postmortem_published: published.contains(&e.id),
        });
    }
    let decisions = decision_request::Entity::find()
        .filter(decision_request::Column::OpenedAt.gte(start))
        .filter(decision_request::Column::OpenedAt.lt(end))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| !drills.contains(&r.escalation_id))
        .map(|r| DecisionFact {
            opened_at: r.opened_at,
            due_at: r.due_at,
            answered_at: r.answered_at,
        })
        .collect();
    let remediation = action_item::Entity::find()
        .filter(action_item::Column::Kind.eq(crate::action::ActionKind::Remediation.as_str()))
        .filter(action_item::Column::DueAt.gte(start))
        .filter(action_item::Column::DueAt.lt(end))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| a.escalation_id.is_none_or(|id| !drills.contains(&id)))
        .map(|a| (a.due_at, a.done_at.filter(|_| a.done)))
        .collect();
    Ok(Facts {
        now,
        escalations,
        decisions,
        remediation,
    })
}
