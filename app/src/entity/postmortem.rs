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
