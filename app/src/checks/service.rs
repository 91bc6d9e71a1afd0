//! The checks and their timer.

mod misses;

use crate::auth::model::UserId;
use crate::db::{Db, claim};
use crate::entity::{action_item, decision_request, escalation};
use crate::error::AppError;
use crate::escalation::model::{priority, raised};
use crate::escalation::{Escalation, EscalationId};
use crate::event::change::{ActionItemOverdue, DecisionRequestStalled, EscalationReescalated};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::notification::NotificationKind;
use crate::notification::rules::Occasion;
use crate::notification::service::notify;
use crate::notification::service::stakeholders::{Notice, tell};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::time::Duration;

/// What one run found and acted on (claims won by this server).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub stalled: u32,
    pub expired: u32,
    pub overdue: u32,
    /// Escalations not acknowledged in time, told.
    pub missed_acknowledgements: u32,
    /// Stand-up updates missed, told.
    pub missed_updates: u32,
    /// Launches whose built-in metrics this server sampled.
    pub sampled: u32,
    /// Meetings that started, their agenda kept as it stood.
    pub agendas: u32,
}

/// Runs every check once at `now`.
pub async fn run_once(db: &Db, now: DateTime<Utc>) -> Result<Report, AppError> {
    // Meetings first: a failing check must not leave a meeting unbooked or its agenda unkept.
    let agendas = crate::meeting::service::keep_up(db, now).await?;
    Ok(Report {
        stalled: stalled_decisions(db, now).await?,
        expired: expired_workarounds(db, now).await?,
        overdue: overdue_actions(db, now).await?,
        missed_acknowledgements: misses::acknowledgements(db, now).await?,
        missed_updates: misses::updates(db, now).await?,
        sampled: crate::measure::builtin::sample_all(db, now).await?,
        agendas,
    })
}

/// Runs the checks every `every` until the hub shuts down.
pub async fn run_forever(db: Db, every: Duration, shutdown: tokio_util::sync::CancellationToken) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                match run_once(&db, Utc::now()).await {
                    // Sampling the built-in metrics is routine; the findings are news.
                    Ok(report) if (Report { sampled: 0, ..report }) != Report::default() => {
                        tracing::info!(?report, "scheduled checks acted")
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(%err, "scheduled checks failed"),
                }
            }
            () = shutdown.cancelled() => return,
        }
    }
}

/// Decisions past due: the people the rules name for a stall (the addressee, the escalation
/// lead and the senior sponsor) are told — the protocol's call for an urgent meeting.
async fn stalled_decisions(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let candidates = decision_request::Entity::find()
        .filter(decision_request::Column::AnsweredAt.is_null())
        .filter(decision_request::Column::StallNotifiedAt.is_null())
        .filter(decision_request::Column::DueAt.lt(now))
        .all(&db.conn)
        .await?;
    let mut won = 0;
    for request in candidates {
        let txn = db.write().await?;
        let claimed = claim(
            decision_request::Entity::update_many()
                .col_expr(decision_request::Column::StallNotifiedAt, Expr::value(now))
                .filter(decision_request::Column::Id.eq(request.id))
                .filter(decision_request::Column::StallNotifiedAt.is_null())
                .filter(decision_request::Column::AnsweredAt.is_null()),
            &*txn,
        )
        .await?;
        if !claimed {
            continue;
        }
        let esc = escalation::Entity::find_by_id(request.escalation_id)
            .one(&*txn)
            .await?
            .ok_or(AppError::Internal)?;
        let flare = EventActor::system();
        let id = EscalationId(esc.id);
        append(
            &*txn,
            &flare,
            NewEvent::new(
                "decision_request",
                request.id,
                DecisionRequestStalled {
                    due_at: request.due_at,
                    addressed_to: request.addressed_to,
                },
            )
            .escalation(id)
            .launch(LaunchId(esc.launch_id)),
        )
        .await?;
        let notice = Notice {
            addressee: Some(request.addressed_to),
            ..Notice::new(
                Occasion::DecisionStalled,
                NotificationKind::DecisionStalled,
                format!(
                    "The decision on \"{}\" is overdue: {}. Call an urgent meeting with the senior sponsor.",
                    esc.title, request.question
                ),
            )
        };
        tell(&*txn, &flare, &esc, &notice).await?;
        txn.commit().await?;
        won += 1;
    }
    Ok(won)
}

/// Workarounds whose time-box ran out with the root cause unfixed: the escalation rises a
/// tier (priority recomputed), is flagged, and its owner is told.
async fn expired_workarounds(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let candidates = escalation::Entity::find()
        .filter(escalation::Column::WorkaroundExpiresAt.lte(now))
        .filter(escalation::Column::WorkaroundExpiredAt.is_null())
        .filter(escalation::Column::Stage.ne("closed"))
        .all(&db.conn)
        .await?;
    let mut won = 0;
    for esc in candidates {
        if let Some(item) = esc.root_cause_item_id {
            let done = action_item::Entity::find_by_id(item)
                .one(&db.conn)
                .await?
                .is_some_and(|i| i.done);
            if done {
                continue;
            }
        }
        // A row that does not convert is logged (as an internal error) and skipped, so it
        // cannot hold up the other escalations' checks.
        let Ok(current) = Escalation::try_from(&esc) else {
            continue;
        };
        let new_tier = raised(current.tier);
        let impact = current.impact;
        let txn = db.write().await?;
        let claimed = escalation::Entity::update_many()
            .col_expr(escalation::Column::WorkaroundExpiredAt, Expr::value(now))
            .col_expr(
                escalation::Column::Tier,
                Expr::value(i16::from(new_tier.get())),
            )
            .col_expr(
                escalation::Column::Priority,
                Expr::value(i32::from(priority(new_tier, impact))),
            )
            .col_expr(
                escalation::Column::Version,
                Expr::col(escalation::Column::Version).add(1),
            )
            .col_expr(escalation::Column::UpdatedAt, Expr::value(now))
            .filter(escalation::Column::Id.eq(esc.id))
            .filter(escalation::Column::WorkaroundExpiredAt.is_null())
            .exec_with_returning(&*txn)
            .await?
            .pop();
        let Some(updated) = claimed else { continue };
        let flare = EventActor::system();
        let id = EscalationId(esc.id);
        append(
            &*txn,
            &flare,
            NewEvent::new(
                "escalation",
                esc.id,
                EscalationReescalated {
                    reason: "workaround expired before its root cause was fixed".into(),
                    tier: new_tier,
                    priority: updated.priority,
                    version: updated.version,
                },
            )
            .escalation(id)
            .launch(LaunchId(esc.launch_id)),
        )
        .await?;
        if let Some(owner) = esc.owner_id {
            notify(
                &*txn,
                &flare,
                UserId(owner),
                NotificationKind::WorkaroundExpired,
                Some(id),
                format!("The workaround on \"{}\" expired before its root cause was fixed; it is now {new_tier}.", esc.title),
            )
            .await?;
        }
        txn.commit().await?;
        won += 1;
    }
    Ok(won)
}

/// Action items past due: their owner is told once.
async fn overdue_actions(db: &Db, now: DateTime<Utc>) -> Result<u32, AppError> {
    let candidates = action_item::Entity::find()
        .filter(action_item::Column::Done.eq(false))
        .filter(action_item::Column::OverdueNotifiedAt.is_null())
        .filter(action_item::Column::DueAt.lt(now))
        .all(&db.conn)
        .await?;
    let mut won = 0;
    for item in candidates {
        let txn = db.write().await?;
        let claimed = claim(
            action_item::Entity::update_many()
                .col_expr(action_item::Column::OverdueNotifiedAt, Expr::value(now))
                .filter(action_item::Column::Id.eq(item.id))
                .filter(action_item::Column::OverdueNotifiedAt.is_null()),
            &*txn,
        )
        .await?;
        if !claimed {
            continue;
        }
        let mut event = NewEvent::new(
            "action_item",
            item.id,
            ActionItemOverdue {
                title: item.title.clone(),
                owner_id: item.owner_id,
                due: item.due_at,
            },
        );
        if let Some(escalation) = item.escalation_id {
            event = event.escalation(EscalationId(escalation));
        }
        append(&*txn, &EventActor::system(), event).await?;
        notify(
            &*txn,
            &EventActor::system(),
            UserId(item.owner_id),
            NotificationKind::ActionOverdue,
            item.escalation_id.map(EscalationId),
            format!("Your action item \"{}\" is overdue.", item.title),
        )
        .await?;
        txn.commit().await?;
        won += 1;
    }
    Ok(won)
}
