//! What a meeting's agenda is made from, read from the launch's records at the meeting's start.

use crate::entity::{
    action_item, decision_request, escalation, event, meeting as meeting_row, update,
};
use crate::error::AppError;
use crate::event::change::Change;
use crate::meeting::model::AgendaItem;
use crate::meeting::model::agenda::{
    ActionItemLine, AgendaFacts, BreachItem, DecisionItem, OpenItem, agenda,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The agenda of `meeting` as of `at`: the launch's open escalations (drills apart) with their
/// newest update, its open decision requests, overdue actions, and criteria breached since the
/// cadence's previous meeting (or the last day).
pub(super) async fn agenda_for(
    db: &impl ConnectionTrait,
    meeting: &meeting_row::Model,
    at: DateTime<Utc>,
) -> Result<Vec<AgendaItem>, AppError> {
    let since = previous_start(db, meeting)
        .await?
        .unwrap_or(meeting.starts_at - Duration::days(1));
    Ok(agenda(facts(db, meeting.launch_id, since, at).await?, at))
}

async fn previous_start(
    db: &impl ConnectionTrait,
    meeting: &meeting_row::Model,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let Some(cadence) = meeting.cadence_id else {
        return Ok(None);
    };
    Ok(meeting_row::Entity::find()
        .filter(meeting_row::Column::CadenceId.eq(cadence))
        .filter(meeting_row::Column::StartsAt.lt(meeting.starts_at))
        .order_by_desc(meeting_row::Column::StartsAt)
        .one(db)
        .await?
        .map(|m| m.starts_at))
}

async fn facts(
    db: &impl ConnectionTrait,
    launch: i64,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<AgendaFacts, AppError> {
    let open = escalation::Entity::find()
        .filter(escalation::Column::LaunchId.eq(launch))
        .filter(escalation::Column::Drill.eq(false))
        .filter(escalation::Column::Stage.ne("closed"))
        .all(db)
        .await?;
    let ids: Vec<i64> = open.iter().map(|e| e.id).collect();
    let mut latest: HashMap<i64, update::Model> = HashMap::new();
    for u in update::Entity::find()
        .filter(update::Column::EscalationId.is_in(ids.clone()))
        .order_by_asc(update::Column::Id)
        .all(db)
        .await?
    {
        latest.insert(u.escalation_id, u);
    }
    let decisions = decision_request::Entity::find()
        .filter(decision_request::Column::EscalationId.is_in(ids.clone()))
        .filter(decision_request::Column::AnsweredAt.is_null())
        .all(db)
        .await?;
    let overdue = action_item::Entity::find()
        .filter(action_item::Column::EscalationId.is_in(ids.clone()))
        .filter(action_item::Column::Done.eq(false))
        .filter(action_item::Column::DueAt.lt(now))
        .all(db)
        .await?;
    let owners =
        crate::auth::service::people(db, overdue.iter().map(|a| a.owner_id).collect()).await?;
    let breaches = event::Entity::find()
        .filter(event::Column::LaunchId.eq(launch))
        .filter(event::Column::Kind.eq("criterion.breached"))
        .filter(event::Column::At.gt(since))
        .filter(event::Column::At.lte(now))
        .all(db)
        .await?;
    Ok(AgendaFacts {
        escalations: open
            .iter()
            .map(|e| OpenItem {
                id: e.id,
                title: e.title.clone(),
                tier: u8::try_from(e.tier).unwrap_or(4),
                priority: u8::try_from(e.priority.clamp(0, 255)).unwrap_or(0),
                latest: latest
                    .get(&e.id)
                    .map(|u| (u.problem.clone(), u.mitigation.clone())),
            })
            .collect(),
        decisions: decisions
            .into_iter()
            .map(|d| DecisionItem {
                escalation_id: d.escalation_id,
                question: d.question,
                due_at: d.due_at,
            })
            .collect(),
        overdue: overdue
            .into_iter()
            .map(|a| ActionItemLine {
                escalation_id: a.escalation_id,
                owner: owners
                    .get(&a.owner_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                title: a.title,
                due_at: a.due_at,
            })
            .collect(),
        breaches: breaches
            .into_iter()
            .filter_map(|e| {
                let payload = serde_json::from_str(&e.payload).ok()?;
                let Ok(Change::CriterionBreached(b)) = Change::from_parts(&e.kind, &payload) else {
                    return None;
                };
                Some(BreachItem {
                    escalation_id: b.escalation_id,
                    text: format!("{} ({}; was {})", b.name, b.rule, b.value),
                    at: e.at,
                })
            })
            .collect(),
    })
}
