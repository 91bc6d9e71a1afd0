//! Posting stand-up updates; `row` turns stored ones into what the client sees.

mod row;

use super::model::{LatestWord, Update, UpdateDraft};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::entity::{escalation as escalation_row, update as update_row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::UpdatePosted;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use row::to_wire;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

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
    let esc = crate::entity::escalation::find_existing(&*txn, escalation).await?;
    if draft.version.is_some_and(|v| v != esc.version) {
        let current = crate::escalation::service::one_to_wire(&*txn, esc).await?;
        return Err(AppError::conflict(
            "This escalation changed since you loaded it.",
            serde_json::to_value(current).ok(),
        ));
    }
    let now = Utc::now();
    let model = update_row::ActiveModel {
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
        NewEvent::new(
            "update",
            model.id,
            UpdatePosted {
                problem: model.problem.clone(),
                impact: model.impact.clone(),
                mitigation: model.mitigation.clone(),
                decision_required: model.decision_required.clone(),
                at: now,
            },
        )
        .escalation(escalation)
        .launch(LaunchId(esc.launch_id)),
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
    let rows = update_row::Entity::find()
        .filter(update_row::Column::EscalationId.eq(escalation.0))
        .order_by_desc(update_row::Column::Id)
        .all(db)
        .await?;
    to_wire(db, rows).await
}

/// The open tier 1–2 escalations (drills apart), most urgent (then newest) first, each with its newest
/// update — what an executive reads first on the home page. Anyone signed in.
pub async fn latest_word<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<LatestWord>, AppError> {
    use crate::escalation::Stage;
    actor.require(Permission::Read)?;
    let open = escalation_row::Entity::find()
        .filter(escalation_row::Column::Tier.lte(2))
        .filter(escalation_row::Column::Drill.eq(false))
        .filter(
            escalation_row::Column::Stage
                .is_not_in([Stage::Resolved.as_str(), Stage::Closed.as_str()]),
        )
        .order_by_desc(escalation_row::Column::Priority)
        .order_by_desc(escalation_row::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let ids: Vec<i64> = open.iter().map(|e| e.id).collect();
    // Only the newest update of each: its id, then those rows.
    let newest: Vec<i64> = update_row::Entity::find()
        .select_only()
        .column_as(update_row::Column::Id.max(), "id")
        .filter(update_row::Column::EscalationId.is_in(ids))
        .group_by(update_row::Column::EscalationId)
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let updates = to_wire(
        db,
        update_row::Entity::find()
            .filter(update_row::Column::Id.is_in(newest))
            .all(db)
            .await?,
    )
    .await?;
    open.iter()
        .map(|e| {
            Ok(LatestWord {
                escalation_id: EscalationId(e.id),
                title: e.title.clone(),
                tier: e.read_tier()?,
                stage: e.read_stage()?,
                update: updates.iter().find(|u| u.escalation_id.0 == e.id).cloned(),
            })
        })
        .collect()
}
