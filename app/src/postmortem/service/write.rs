//! Writing a post-mortem: its row only if nobody wrote it since it was read (else 409 with
//! the post-mortem as it is now), and the event of the write, in the caller's transaction.

use super::queries::{assemble, stored};
use crate::auth::model::Actor;
use crate::db::versioned::{insert_if_absent, update_if_current};
use crate::entity::{escalation as escalation_row, postmortem as row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::Change;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::postmortem::model::{Sections, Status};
use chrono::Utc;
use sea_orm::{ConnectionTrait, Set};

/// The refusal to change a published post-mortem.
pub(super) fn read_only() -> AppError {
    AppError::conflict(
        "This post-mortem is published and read-only. Add an addendum for a later correction.",
        None,
    )
}

/// Writes the row and its event; `version` is the new version.
pub(super) async fn write<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    existing: Option<row::Model>,
    next: Written<'_>,
) -> Result<(), AppError> {
    write_row(txn, actor, esc, existing, &next).await?;
    append_written(txn, actor, esc, next).await
}

/// Writes the row only if nobody wrote it since `existing` was read (an update from its
/// version, or the first insert); otherwise 409 with the post-mortem as it is now.
pub(super) async fn write_row<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    existing: Option<row::Model>,
    next: &Written<'_>,
) -> Result<(), AppError> {
    let now = Utc::now();
    let body = serde_json::to_string(next.sections).map_err(AppError::internal)?;
    let reviewers = serde_json::to_string(next.reviewers).map_err(AppError::internal)?;
    let approvals = serde_json::to_string(next.approvals).map_err(AppError::internal)?;
    let written = match existing {
        Some(r) => {
            let read = r.version;
            let mut model: row::ActiveModel = r.into();
            model.status = Set(next.status.as_str().into());
            model.version = Set(next.version);
            model.body = Set(body);
            model.reviewers = Set(reviewers);
            model.approvals = Set(approvals);
            model.updated_at = Set(now);
            model.updated_by = Set(Some(actor.id.0));
            if next.status == Status::Published {
                model.published_at = Set(Some(now));
            }
            update_if_current(txn, model, row::Column::Version, read)
                .await?
                .is_some()
        }
        None => {
            let model = row::ActiveModel {
                escalation_id: Set(esc.id),
                launch_id: Set(esc.launch_id),
                status: Set(next.status.as_str().into()),
                version: Set(next.version),
                body: Set(body),
                reviewers: Set(reviewers),
                approvals: Set(approvals),
                author_id: Set(actor.id.0),
                created_at: Set(now),
                updated_at: Set(now),
                updated_by: Set(Some(actor.id.0)),
                published_at: Set(None),
            };
            insert_if_absent(txn, model, [row::Column::EscalationId])
                .await?
                .is_some()
        }
    };
    if written {
        return Ok(());
    }
    let id = EscalationId(esc.id);
    let current = assemble(txn, actor, esc, stored(txn, id).await?).await?;
    Err(AppError::conflict(
        format!(
            "{} saved this post-mortem since you loaded it.",
            current.updated_by.as_deref().unwrap_or("Someone")
        ),
        serde_json::to_value(&current).ok(),
    ))
}

/// Appends the event of a write.
pub(super) async fn append_written<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    next: Written<'_>,
) -> Result<(), AppError> {
    append(
        txn,
        &actor.into(),
        NewEvent::new("postmortem", esc.id, next.change)
            .escalation(EscalationId(esc.id))
            .launch(LaunchId(esc.launch_id)),
    )
    .await?;
    Ok(())
}

/// What a write stores: the post-mortem's next status, version and body, and its event.
pub(super) struct Written<'a> {
    pub status: Status,
    pub version: i64,
    pub sections: &'a Sections,
    pub reviewers: &'a [i64],
    pub approvals: &'a [i64],
    /// The event, with this same status and version.
    pub change: Change,
}
