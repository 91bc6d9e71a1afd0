//! A stored stand-up update as the client sees it, with its author's name. Nothing in the
//! row needs parsing, so the conversion cannot fail.

use crate::auth::model::{Person, UserId};
use crate::entity::update as row;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::update::model::Update;
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

/// An update, given the names of the users (its author among them); an author the names
/// lack shows with an empty name.
impl From<(row::Model, &HashMap<i64, Person>)> for Update {
    fn from((r, names): (row::Model, &HashMap<i64, Person>)) -> Self {
        Update {
            id: r.id,
            escalation_id: EscalationId(r.escalation_id),
            author: names.get(&r.author_id).cloned().unwrap_or(Person {
                id: UserId(r.author_id),
                name: String::new(),
            }),
            problem: r.problem,
            impact: r.impact,
            mitigation: r.mitigation,
            decision_required: r.decision_required,
            created_at: r.created_at,
        }
    }
}

/// Updates as the client sees them, reading their authors' names in one query.
pub(super) async fn to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<row::Model>,
) -> Result<Vec<Update>, AppError> {
    let names =
        crate::auth::service::people(db, rows.iter().map(|r| r.author_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| Update::from((r, &names)))
        .collect())
}
