//! Asking for a decision: a request addressed to someone with authority, due after the
//! tier's decision time, which moves the escalation to Awaiting decision.

use super::queries::open_request_of;
use crate::auth::model::{Actor, UserId};
use crate::entity::{decision_request as request_row, escalation as escalation_row};
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::event::change::DecisionRequestOpened;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::notification::NotificationKind;
use crate::notification::service::notify;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Who a decision request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressTo {
    /// The escalation's owner (the default).
    Owner,
    /// The launch's senior sponsor.
    Sponsor,
    /// Someone named (the A of the RACI's decision activity).
    Person(i64),
}

/// Opens a decision request inside `txn` (a stand-up update asked for a decision): addressed
/// to the owner or the sponsor, due after the tier's decision time; the escalation moves to
/// Awaiting decision.
pub async fn open_request_in<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    escalation: escalation_row::Model,
    update_id: Option<i64>,
    question: &str,
    address_to: AddressTo,
) -> Result<escalation_row::Model, AppError> {
    if open_request_of(txn, escalation.id).await?.is_some() {
        return Err(AppError::invalid_field(
            "decision_required",
            "A decision is already pending for this escalation; record it first.",
        ));
    }
    let addressee = match address_to {
        AddressTo::Owner => escalation.owner_id.ok_or_else(|| {
            AppError::invalid_field(
                "decision_required",
                "The escalation needs an owner to decide.",
            )
        })?,
        AddressTo::Person(id) => id,
        AddressTo::Sponsor => crate::entity::launch::Entity::find_by_id(escalation.launch_id)
            .one(txn)
            .await?
            .and_then(|l| l.sponsor_id)
            .ok_or_else(|| {
                AppError::invalid_field("address_to", "This launch has no senior sponsor.")
            })?,
    };
    let runbook = crate::runbook::service::version(txn, escalation.runbook_version).await?;
    let tier = escalation.read_tier()?;
    let now = Utc::now();
    let due = crate::runbook::model::decision_due(&runbook.policy(tier), now);
    let request = request_row::ActiveModel {
        escalation_id: Set(escalation.id),
        update_id: Set(update_id),
        question: Set(question.to_string()),
        addressed_to: Set(addressee),
        requested_by: Set(actor.id.0),
        opened_at: Set(now),
        due_at: Set(due),
        answered_at: Set(None),
        decision_id: Set(None),
        stall_notified_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    escalation_row::Entity::update_many()
        .col_expr(escalation_row::Column::DecisionDueAt, Expr::value(due))
        .filter(escalation_row::Column::Id.eq(escalation.id))
        .exec(txn)
        .await?;
    let id = EscalationId(escalation.id);
    append(
        txn,
        &actor.into(),
        NewEvent::new(
            "decision_request",
            request.id,
            DecisionRequestOpened {
                question: question.to_string(),
                addressed_to: addressee,
                due_at: due,
            },
        )
        .escalation(id)
        .launch(LaunchId(escalation.launch_id)),
    )
    .await?;
    notify(
        txn,
        &actor.into(),
        UserId(addressee),
        NotificationKind::DecisionRequested,
        Some(id),
        format!(
            "A decision is requested from you on \"{}\": {question}",
            escalation.title
        ),
    )
    .await?;
    let mut escalation = escalation;
    escalation.decision_due_at = Some(due);
    if escalation.stage != Stage::AwaitingDecision.as_str() {
        escalation = crate::escalation::service::transition(
            txn,
            &actor.into(),
            escalation,
            Stage::AwaitingDecision,
            None,
        )
        .await?;
    }
    Ok(escalation)
}
