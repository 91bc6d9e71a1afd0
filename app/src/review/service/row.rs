//! A stored review as both doors show it: participants with their functional areas, the
//! areas nobody speaks for, its adjustments, who signed it off, and its figures (live while
//! open, frozen once signed off).

use crate::auth::model::{FunctionalArea, Person, UserId};
use crate::entity::{review as review_row, review_adjustment as adjustment_row, user};
use crate::error::AppError;
use crate::review::model::{
    Adjustment, AdjustmentKind, Figures, Participant, Period, Review, missing_areas,
};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Names of these people, by id.
async fn people<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

fn person(users: &HashMap<i64, user::Model>, id: Option<i64>) -> Option<Person> {
    let u = users.get(&id?)?;
    Some(Person {
        id: UserId(u.id),
        name: u.name.clone(),
    })
}

/// A stored adjustment as the client sees it (`users` holds its proposer and adopter).
pub fn adjustment(
    a: adjustment_row::Model,
    users: &HashMap<i64, user::Model>,
) -> Result<Adjustment, AppError> {
    let kind = AdjustmentKind::parse(&a.kind)
        .ok_or_else(|| AppError::corrupt("review_adjustment", a.id, "kind", &a.kind))?;
    let change: serde_json::Value = serde_json::from_str(&a.change)
        .map_err(|_| AppError::corrupt("review_adjustment", a.id, "change", &a.change))?;
    Ok(Adjustment {
        summary: super::adjust::summary(kind, &change),
        id: a.id,
        review_id: a.review_id,
        kind,
        change,
        reason: a.reason,
        status: a.status,
        result: a.result,
        proposed_by: person(users, Some(a.proposed_by)),
        adopted_by: person(users, a.adopted_by),
        adopted_at: a.adopted_at,
    })
}

pub async fn to_wire<C: ConnectionTrait>(
    db: &C,
    r: review_row::Model,
    now: DateTime<Utc>,
) -> Result<Review, AppError> {
    let period = Period::parse(&r.period)
        .ok_or_else(|| AppError::corrupt("review", r.id, "period", &r.period))?;
    let ids: Vec<i64> = serde_json::from_str(&r.participants)
        .map_err(|_| AppError::corrupt("review", r.id, "participants", &r.participants))?;
    let adjustments = adjustment_row::Entity::find()
        .filter(adjustment_row::Column::ReviewId.eq(r.id))
        .order_by_asc(adjustment_row::Column::Id)
        .all(db)
        .await?;
    let mentioned = ids.iter().copied().chain(r.signed_off_by).chain(
        adjustments
            .iter()
            .flat_map(|a| [Some(a.proposed_by), a.adopted_by])
            .flatten(),
    );
    let users = people(db, mentioned.collect::<Vec<_>>()).await?;
    let participants: Vec<Participant> = ids
        .iter()
        .filter_map(|id| users.get(id))
        .map(|u| Participant {
            id: u.id,
            name: u.name.clone(),
            functional_area: FunctionalArea::parse(&u.functional_area)
                .unwrap_or(FunctionalArea::Operations),
        })
        .collect();
    let figures: Figures = match &r.figures {
        Some(frozen) => serde_json::from_str(frozen)
            .map_err(|_| AppError::corrupt("review", r.id, "figures", frozen))?,
        None => super::facts::figures(db, period, now).await?,
    };
    Ok(Review {
        id: r.id,
        period,
        status: r.status,
        figures,
        warnings: missing_areas(&participants),
        participants,
        findings: r.findings,
        adjustments: adjustments
            .into_iter()
            .map(|a| adjustment(a, &users))
            .collect::<Result<_, _>>()?,
        signed_off_by: person(&users, r.signed_off_by),
        signed_off_at: r.signed_off_at,
        version: r.version,
    })
}
