//! Missed acknowledgements and missed stand-up updates: each miss is told once, by one app
//! server, to the owner and the escalation lead (`rules::Occasion`), and recorded as an
//! event (so webhooks carry it).

use crate::db::{Db, claim};
use crate::entity::escalation;
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::event::change::{EscalationAcknowledgementMissed, EscalationUpdateMissed};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::notification::NotificationKind;
use crate::notification::rules::Occasion;
use crate::notification::service::stakeholders::{Notice, tell};
use crate::runbook::model::{acknowledge_due, update_due};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The runbook versions these escalations were raised under.
async fn runbooks_of(
    db: &Db,
    escalations: &[escalation::Model],
) -> Result<crate::runbook::Runbooks, AppError> {
    crate::runbook::service::versions(&db.conn, escalations.iter().map(|e| e.runbook_version)).await
}

/// Escalations still Triggered past their tier's time to acknowledge (in the runbook version
/// each was raised under).
pub async fn acknowledgements(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let candidates = escalation::Entity::find()
        .filter(escalation::Column::Stage.eq(Stage::Triggered.as_str()))
        .filter(escalation::Column::AcknowledgedAt.is_null())
        .filter(escalation::Column::AckMissedAt.is_null())
        .all(&db.conn)
        .await?;
    let runbooks = runbooks_of(db, &candidates).await?;
    let mut won = 0;
    for esc in candidates {
        let Ok(tier) = esc.read_tier() else { continue };
        let due = acknowledge_due(&runbooks.policy(esc.runbook_version, tier), esc.created_at);
        if due >= now {
            continue;
        }
        let claim = escalation::Entity::update_many()
            .col_expr(escalation::Column::AckMissedAt, Expr::value(now))
            .filter(escalation::Column::Id.eq(esc.id))
            .filter(escalation::Column::AckMissedAt.is_null())
            .filter(escalation::Column::AcknowledgedAt.is_null());
        let notice = Notice::new(
            Occasion::AcknowledgementMissed,
            NotificationKind::AcknowledgementMissed,
            format!(
                "\"{}\" ({tier}) was not acknowledged in time: triage it and give it an owner with authority.",
                esc.title
            ),
        );
        won += u32::from(
            tell_once(
                db,
                claim,
                &esc,
                EscalationAcknowledgementMissed { due_at: due },
                &notice,
            )
            .await?,
        );
    }
    Ok(won)
}

/// Open escalations whose stand-up update is overdue; each due time's miss is told once.
pub async fn updates(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let candidates = escalation::Entity::find()
        .filter(escalation::Column::Stage.is_in([
            Stage::Triaged.as_str(),
            Stage::Mitigating.as_str(),
            Stage::AwaitingDecision.as_str(),
        ]))
        .all(&db.conn)
        .await?;
    let runbooks = runbooks_of(db, &candidates).await?;
    let mut won = 0;
    for esc in candidates {
        let Ok(tier) = esc.read_tier() else { continue };
        let due = update_due(
            &runbooks.policy(esc.runbook_version, tier),
            esc.created_at,
            esc.last_update_at,
        );
        if due >= now || esc.update_missed_due.is_some_and(|told| told >= due) {
            continue;
        }
        let claim = escalation::Entity::update_many()
            .col_expr(escalation::Column::UpdateMissedDue, Expr::value(due))
            .filter(escalation::Column::Id.eq(esc.id))
            .filter(
                escalation::Column::UpdateMissedDue
                    .is_null()
                    .or(escalation::Column::UpdateMissedDue.lt(due)),
            );
        let notice = Notice::new(
            Occasion::UpdateMissed,
            NotificationKind::UpdateMissed,
            format!(
                "\"{}\" ({tier}) missed its stand-up update: post problem, impact, mitigation and any decision required.",
                esc.title
            ),
        );
        let event = EscalationUpdateMissed { due_at: due };
        won += u32::from(tell_once(db, claim, &esc, event, &notice).await?);
    }
    Ok(won)
}

/// Claims a miss with `claim_update` (a conditional UPDATE of `esc`), and if this server won
/// it, records `event` and tells the people the rules name — in one transaction.
async fn tell_once(
    db: &Db,
    claim_update: sea_orm::UpdateMany<escalation::Entity>,
    esc: &escalation::Model,
    event: impl Into<crate::event::change::Change>,
    notice: &Notice,
) -> Result<bool, AppError> {
    let txn = db.write().await?;
    if !claim(claim_update, &*txn).await? {
        return Ok(false);
    }
    let flare = EventActor::system();
    append(
        &*txn,
        &flare,
        NewEvent::new("escalation", esc.id, event)
            .escalation(EscalationId(esc.id))
            .launch(LaunchId(esc.launch_id)),
    )
    .await?;
    tell(&*txn, &flare, esc, notice).await?;
    txn.commit().await?;
    Ok(true)
}
