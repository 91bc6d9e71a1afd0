//! Posting stand-up updates.

use super::model::{Update, UpdateDraft};
use crate::auth::model::{Actor, Permission, Person, UserId};
use crate::db::Db;
use crate::entity::{escalation as escalation_row, update as row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

async fn to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<row::Model>,
) -> Result<Vec<Update>, AppError> {
    let names =
        crate::auth::service::people(db, rows.iter().map(|r| r.author_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| Update {
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
        })
        .collect())
}

/// Posts a stand-up update (members, facilitators, admins). With a decision required it
/// opens a decision request and the escalation moves to Awaiting decision, in one
/// transaction.
pub async fn post(
    db: &Db,
    actor: &Actor,
    escalation: EscalationId,
    draft: &UpdateDraft,
) -> Result<Update, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let valid = draft.validate().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::escalation::service::find_row(&*txn, escalation).await?;
    if draft.version.is_some_and(|v| v != esc.version) {
        let current = crate::escalation::service::one_to_wire(&*txn, esc).await?;
        return Err(AppError::conflict(
            "This escalation changed since you loaded it.",
            serde_json::to_value(current).ok(),
        ));
    }
    let now = Utc::now();
    let model = row::ActiveModel {
        escalation_id: Set(escalation.0),
        author_id: Set(actor.id.0),
        problem: Set(valid.problem),
        impact: Set(valid.impact),
        mitigation: Set(valid.mitigation),
        decision_required: Set(valid.decision_required.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    escalation_row::Entity::update_many()
        .col_expr(escalation_row::Column::LastUpdateAt, Expr::value(now))
        .filter(escalation_row::Column::Id.eq(escalation.0))
        .exec(&*txn)
        .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("update", model.id, "update.posted")
            .escalation(escalation)
            .launch(LaunchId(esc.launch_id))
            .payload(json!({
                "problem": model.problem, "impact": model.impact, "mitigation": model.mitigation,
                "decision_required": model.decision_required, "at": now,
            })),
    )
    .await?;
    if let Some(question) = &valid.decision_required {
        use super::model::Addressee;
        use crate::decision::service::AddressTo;
        let address_to = match valid.address_to {
            Addressee::Sponsor => AddressTo::Sponsor,
            Addressee::Owner => AddressTo::Owner,
            // The RACI's decision activity decides who is accountable, when it names someone.
            Addressee::Default => {
                match crate::raci::service::decision_accountable(&*txn, EscalationId(esc.id))
                    .await?
                {
                    Some(person) => AddressTo::Person(person),
                    None => AddressTo::Owner,
                }
            }
        };
        crate::decision::service::open_request_in(
            &*txn,
            actor,
            esc,
            Some(model.id),
            question,
            address_to,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(to_wire(&db.conn, vec![model]).await?.remove(0))
}

/// An escalation's updates, newest first. Anyone signed in.
pub async fn for_escalation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<Vec<Update>, AppError> {
    actor.require(Permission::Read)?;
    let rows = row::Entity::find()
        .filter(row::Column::EscalationId.eq(escalation.0))
        .order_by_desc(row::Column::Id)
        .all(db)
        .await?;
    to_wire(db, rows).await
}
