//! The `postmortems` table: one post-mortem per escalation (its sections in one JSON body)
//! and whether it is published.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "postmortems")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub escalation_id: i64,
    pub launch_id: i64,
    pub status: String,
    pub version: i64,
    pub body: String,
    pub reviewers: String,
    pub approvals: String,
    pub author_id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Whether the escalation's post-mortem is published (closing tiers 1–2 needs it): a query
/// here, so the escalation service asks it without calling the post-mortem service.
pub async fn is_published<C: ConnectionTrait>(
    db: &C,
    id: crate::escalation::EscalationId,
) -> Result<bool, crate::error::AppError> {
    Ok(Entity::find_by_id(id.0)
        .one(db)
        .await?
        .is_some_and(|r| r.status == crate::postmortem::model::Status::Published.as_str()))
}
