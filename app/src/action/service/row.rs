//! A stored action item as clients see it: the one conversion from the row to the wire
//! `ActionItem`. A stored kind that does not parse is an internal error naming the item and
//! the value — never a guess.

use crate::action::model::{ActionItem, ActionKind};
use crate::auth::model::{Person, UserId};
use crate::auth::service::people;
use crate::entity::{action_item as row, escalation};
use crate::error::AppError;
use crate::escalation::EscalationId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

impl TryFrom<&row::Model> for ActionItem {
    type Error = AppError;

    /// The item a row stores, before names are looked up: its owner as "User <id>" and no
    /// escalation title (`to_wire` fills both in).
    fn try_from(r: &row::Model) -> Result<Self, AppError> {
        let kind = ActionKind::parse(&r.kind)
            .ok_or_else(|| AppError::corrupt("action item", r.id, "kind", &r.kind))?;
        Ok(ActionItem {
            id: r.id,
            escalation_id: r.escalation_id.map(EscalationId),
            escalation_title: None,
            kind,
            title: r.title.clone(),
            owner: Person {
                id: UserId(r.owner_id),
                name: format!("User {}", r.owner_id),
            },
            due_at: r.due_at,
            done: r.done,
            done_at: r.done_at,
            version: r.version,
        })
    }
}

/// Rows as the wire shows them, with their owners' names and their escalations' titles
/// (one query for each).
pub async fn to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<row::Model>,
) -> Result<Vec<ActionItem>, AppError> {
    let owners: Vec<i64> = rows.iter().map(|r| r.owner_id).collect();
    let names = people(db, owners).await?;
    let escalation_ids: Vec<i64> = rows.iter().filter_map(|r| r.escalation_id).collect();
    let titles: HashMap<i64, String> = if escalation_ids.is_empty() {
        HashMap::new()
    } else {
        escalation::Entity::find()
            .filter(escalation::Column::Id.is_in(escalation_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect()
    };
    rows.iter()
        .map(|r| {
            let mut item = ActionItem::try_from(r)?;
            if let Some(owner) = names.get(&r.owner_id) {
                item.owner = owner.clone();
            }
            item.escalation_title = r.escalation_id.and_then(|e| titles.get(&e).cloned());
            Ok(item)
        })
        .collect()
}

/// One row as the wire shows it.
pub async fn one_to_wire<C: ConnectionTrait>(
    db: &C,
    model: row::Model,
) -> Result<ActionItem, AppError> {
    to_wire(db, vec![model])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn stored(kind: &str) -> row::Model {
        row::Model {
            id: 5,
            escalation_id: Some(2),
            kind: kind.into(),
            title: "Rotate the keys".into(),
            owner_id: 3,
            due_at: DateTime::<Utc>::UNIX_EPOCH,
            done: false,
            done_at: None,
            created_by: 3,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            version: 1,
            overdue_notified_at: None,
        }
    }

    #[test]
    fn a_row_converts_and_a_bad_kind_is_an_internal_error() {
        let item = ActionItem::try_from(&stored("root_cause")).unwrap();
        assert_eq!(item.kind, ActionKind::RootCause);
        assert_eq!(item.owner.name, "User 3");
        assert_eq!(
            ActionItem::try_from(&stored("chore")),
            Err(AppError::Internal)
        );
    }
}
