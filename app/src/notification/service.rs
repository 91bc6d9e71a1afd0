//! Creating notifications (inside the change's transaction) and reading them; `row` turns
//! stored ones into what the client sees.

mod row;
pub mod stakeholders;

use super::model::{Notification, NotificationKind};
use crate::auth::model::{Actor, UserId};
use crate::entity::notification as notification_row;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::{NotificationCreated, NotificationsRead};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::mail::service::About;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Notifies `recipient` inside `txn`; the event carries `recipient_id`, so only they see it,
/// and the mail they chose is queued with it.
pub async fn notify<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    recipient: UserId,
    kind: NotificationKind,
    escalation: Option<EscalationId>,
    text: String,
) -> Result<(), DbErr> {
    let about = match escalation {
        Some(id) => About::find(txn, id).await?,
        None => None,
    };
    record(txn, by, recipient, kind, escalation, about, text).await
}

/// `notify` about an escalation already read: what `stakeholders::tell` does for each
/// person, reading the escalation once.
pub async fn notify_about<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    recipient: UserId,
    kind: NotificationKind,
    about: About,
    text: String,
) -> Result<(), DbErr> {
    record(txn, by, recipient, kind, Some(about.id), Some(about), text).await
}

async fn record<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    recipient: UserId,
    kind: NotificationKind,
    escalation: Option<EscalationId>,
    about: Option<About>,
    text: String,
) -> Result<(), DbErr> {
    let model = notification_row::ActiveModel {
        user_id: Set(recipient.0),
        kind: Set(kind.as_str().into()),
        escalation_id: Set(escalation.map(|e| e.0)),
        text: Set(text.clone()),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut event = NewEvent::new(
        "notification",
        model.id,
        NotificationCreated {
            recipient_id: recipient,
            kind,
            text,
            escalation_id: escalation,
        },
    );
    if let Some(escalation) = escalation {
        event = event.escalation(escalation);
    }
    append(txn, by, event).await?;
    crate::mail::service::queue_notice(txn, recipient, kind, about, &model.text).await
}

/// The caller's newest notifications.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<Notification>, AppError> {
    notification_row::Entity::find()
        .filter(notification_row::Column::UserId.eq(actor.id.0))
        .order_by_desc(notification_row::Column::Id)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(Notification::try_from)
        .collect()
}

pub async fn unread<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<u64, AppError> {
    Ok(notification_row::Entity::find()
        .filter(notification_row::Column::UserId.eq(actor.id.0))
        .filter(notification_row::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks the caller's notifications read (their other tabs update their count live).
pub async fn mark_all_read(db: &crate::db::Db, actor: &Actor) -> Result<(), AppError> {
    let txn = db.write().await?;
    let marked = notification_row::Entity::update_many()
        .col_expr(notification_row::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification_row::Column::UserId.eq(actor.id.0))
        .filter(notification_row::Column::ReadAt.is_null())
        .exec(&*txn)
        .await?
        .rows_affected;
    if marked > 0 {
        append(
            &*txn,
            &actor.into(),
            NewEvent::new(
                "notification",
                actor.id.0,
                NotificationsRead {
                    recipient_id: actor.id,
                    count: marked,
                },
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
