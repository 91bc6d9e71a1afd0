//! Reading post-mortems: one (as the page and the REST API show it, or as Markdown) and the
//! index of all of them, overdue remediation first.

use super::row::{Parts, Stored, summary};
use crate::action::model::ActionKind;
use crate::auth::model::{Actor, Permission};
use crate::auth::service::people;
use crate::entity::{action_item, escalation as escalation_row, launch, postmortem as row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use crate::postmortem::model::{
    PostMortem, PostMortemSummary, Remediation, sort_index, to_markdown,
};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The escalation's stored post-mortem, if it has been saved.
pub(super) async fn stored<C: ConnectionTrait>(
    db: &C,
    id: EscalationId,
) -> Result<Option<Stored>, AppError> {
    row::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(Stored::try_from)
        .transpose()
}

async fn remediation<C: ConnectionTrait>(
    db: &C,
    id: EscalationId,
) -> Result<Vec<Remediation>, AppError> {
    let rows = action_item::Entity::find()
        .filter(action_item::Column::EscalationId.eq(id.0))
        .filter(action_item::Column::Kind.eq(ActionKind::Remediation.as_str()))
        .order_by_asc(action_item::Column::Id)
        .all(db)
        .await?;
    let now = Utc::now();
    Ok(crate::action::service::to_wire(db, rows)
        .await?
        .into_iter()
        .map(|item| Remediation {
            overdue: item.is_overdue(now),
            id: item.id,
            title: item.title,
            owner_id: item.owner.id.0,
            owner_name: item.owner.name,
            due: item.due_at,
            done: item.done,
        })
        .collect())
}

/// The post-mortem as everyone reads it, from its stored sections and the escalation's events.
pub(super) async fn assemble<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    stored: Option<Stored>,
) -> Result<PostMortem, AppError> {
    let id = EscalationId(esc.id);
    let events = crate::event::service::for_escalation(db, actor, id).await?;
    let mut wanted = stored
        .as_ref()
        .map(|s| s.reviewers.clone())
        .unwrap_or_default();
    wanted.extend(stored.iter().map(|s| s.row.author_id));
    wanted.extend(stored.iter().filter_map(|s| s.row.updated_by));
    let names = people(db, wanted).await?;
    PostMortem::try_from(Parts {
        esc,
        stored,
        events,
        remediation: remediation(db, id).await?,
        names,
    })
}

/// The escalation's post-mortem: the saved one, or an empty draft (`version: 0`) with the
/// computed times and the timeline. Anyone signed in.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<PostMortem, AppError> {
    actor.require(Permission::Read)?;
    let esc = crate::entity::escalation::find_existing(db, id).await?;
    let stored = stored(db, id).await?;
    assemble(db, actor, &esc, stored).await
}

/// The post-mortem as Markdown. Anyone signed in.
pub async fn markdown<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<String, AppError> {
    Ok(to_markdown(&get(db, actor, id).await?))
}

/// Every post-mortem (of one launch, or all), overdue remediation first. Anyone signed in.
pub async fn index<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: Option<LaunchId>,
) -> Result<Vec<PostMortemSummary>, AppError> {
    actor.require(Permission::Read)?;
    let mut query = row::Entity::find();
    if let Some(l) = launch_id {
        query = query.filter(row::Column::LaunchId.eq(l.0));
    }
    let rows = query.all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let escalation_ids: Vec<i64> = rows.iter().map(|r| r.escalation_id).collect();
    let escalations: HashMap<i64, escalation_row::Model> = escalation_row::Entity::find()
        .filter(escalation_row::Column::Id.is_in(escalation_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let launches: HashMap<i64, String> = launch::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let now = Utc::now();
    let mut counts: HashMap<i64, (i64, i64)> = HashMap::new();
    for item in action_item::Entity::find()
        .filter(action_item::Column::EscalationId.is_in(escalation_ids))
        .filter(action_item::Column::Kind.eq(ActionKind::Remediation.as_str()))
        .filter(action_item::Column::Done.eq(false))
        .all(db)
        .await?
    {
        if let Some(e) = item.escalation_id {
            let entry = counts.entry(e).or_default();
            entry.0 += 1;
            if item.due_at < now {
                entry.1 += 1;
            }
        }
    }
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(esc) = escalations.get(&r.escalation_id) else {
            continue;
        };
        let launch_name = launches.get(&r.launch_id).cloned().unwrap_or_default();
        let counts = counts.get(&r.escalation_id).copied().unwrap_or_default();
        items.push(summary(r, esc, launch_name, counts)?);
    }
    sort_index(&mut items);
    Ok(items)
}
