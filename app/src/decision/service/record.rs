//! Recording a decision, or correcting an earlier one with a new entry: it answers the open
//! request and returns an escalation awaiting it to Mitigating.

use super::queries::open_request_of;
use super::row::decision_to_wire;
use crate::auth::model::{Actor, Permission};
use crate::auth::service::require_person;
use crate::db::Db;
use crate::decision::model::{Decision, DecisionDraft};
use crate::entity::{
    decision as decision_row, decision_request as request_row, escalation as escalation_row,
    meeting as meeting_row,
};
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::event::change::DecisionRecorded;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Records a decision (people with authority for the launch, and executives). It answers the
/// open request, and an escalation awaiting it returns to Mitigating. Entries are never
/// changed; `corrects_id` makes a new entry that corrects an earlier one.
pub async fn record(
    db: &Db,
    actor: &Actor,
    escalation: EscalationId,
    draft: &DecisionDraft,
) -> Result<Decision, AppError> {
    actor.require(Permission::RecordDecision)?;
    let valid = draft.validate().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::entity::escalation::find_existing(&*txn, escalation).await?;
    let me = crate::auth::service::active_user(&*txn, actor.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    if !crate::launch::service::holds_authority(&*txn, LaunchId(esc.launch_id), &me).await? {
        return Err(AppError::forbidden(
            "Only people with authority for this launch, or executives, may record a decision.",
        ));
    }
    if let Some(corrects) = draft.corrects_id {
        let original = decision_row::Entity::find_by_id(corrects)
            .one(&*txn)
            .await?;
        if original.is_none_or(|d| d.escalation_id != escalation.0) {
            return Err(AppError::invalid_field(
                "corrects_id",
                "is not a decision of this escalation",
            ));
        }
    }
    let now = Utc::now();
    let meeting_id = match draft.meeting_id {
        Some(meeting) => {
            let found = meeting_row::Entity::find_by_id(meeting).one(&*txn).await?;
            if found.is_none_or(|m| !meeting_may_hold(&m, &esc, now)) {
                return Err(AppError::invalid_field(
                    "meeting_id",
                    "is not a meeting about this escalation or its launch",
                ));
            }
            Some(meeting)
        }
        None => meeting_in_progress(&*txn, esc.launch_id, now).await?,
    };
    let mut participants = vec![actor.id.0];
    for id in &valid.participant_ids {
        require_person(&*txn, "participant_ids", *id, &[]).await?;
        if !participants.contains(id) {
            participants.push(*id);
        }
    }
    let open = open_request_of(&*txn, escalation.0).await?;
    let decision = decision_row::ActiveModel {
        escalation_id: Set(escalation.0),
        request_id: Set(open.as_ref().map(|r| r.id)),
        decision: Set(valid.decision),
        rationale: Set(valid.rationale),
        decided_by: Set(actor.id.0),
        participants: Set(serde_json::to_string(&participants).map_err(AppError::internal)?),
        corrects_id: Set(draft.corrects_id),
        meeting_id: Set(meeting_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "decision",
            decision.id,
            DecisionRecorded {
                decision: decision.decision.clone(),
                rationale: decision.rationale.clone(),
                participants: participants.clone(),
                request_id: decision.request_id,
                corrects_id: decision.corrects_id,
                meeting_id: decision.meeting_id,
            },
        )
        .escalation(escalation)
        .launch(LaunchId(esc.launch_id)),
    )
    .await?;
    let mut esc = esc;
    if let Some(open) = open {
        request_row::Entity::update_many()
            .col_expr(request_row::Column::AnsweredAt, Expr::value(now))
            .col_expr(request_row::Column::DecisionId, Expr::value(decision.id))
            .filter(request_row::Column::Id.eq(open.id))
            .exec(&*txn)
            .await?;
        escalation_row::Entity::update_many()
            .col_expr(
                escalation_row::Column::DecisionDueAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .filter(escalation_row::Column::Id.eq(escalation.0))
            .exec(&*txn)
            .await?;
        esc.decision_due_at = None;
    }
    if esc.stage == Stage::AwaitingDecision.as_str() {
        crate::escalation::service::transition(&*txn, &actor.into(), esc, Stage::Mitigating, None)
            .await?;
    }
    txn.commit().await?;
    decision_to_wire(&db.conn, &decision).await
}

/// Whether a decision about `escalation` may be recorded in `meeting`: the urgent meeting
/// about it, or a meeting of its launch's cadences that has started.
fn meeting_may_hold(
    meeting: &meeting_row::Model,
    escalation: &escalation_row::Model,
    now: chrono::DateTime<Utc>,
) -> bool {
    meeting.escalation_id == Some(escalation.id)
        || (meeting.cadence_id.is_some()
            && meeting.launch_id == escalation.launch_id
            && meeting.starts_at <= now)
}

/// The launch's cadence meeting going on at `now`, if one is: a decision recorded then is
/// recorded in it.
async fn meeting_in_progress<C: sea_orm::ConnectionTrait>(
    db: &C,
    launch_id: i64,
    now: chrono::DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let started = meeting_row::Entity::find()
        .filter(meeting_row::Column::LaunchId.eq(launch_id))
        .filter(meeting_row::Column::CadenceId.is_not_null())
        .filter(meeting_row::Column::StartsAt.lte(now))
        .filter(meeting_row::Column::StartsAt.gt(now - chrono::Duration::days(1)))
        .all(db)
        .await?;
    Ok(started
        .into_iter()
        .filter(|m| m.starts_at + chrono::Duration::minutes(m.minutes_long.into()) > now)
        .max_by_key(|m| m.starts_at)
        .map(|m| m.id))
}
