//! Review: the post-mortem sent to named reviewers once its required sections are written,
//! and their approvals; the last one publishes it, read-only from then on.

use super::queries::{get, stored};
use super::write::{Written, read_only, write};
use crate::auth::model::{Actor, Permission, Role};
use crate::auth::service::require_person;
use crate::db::Db;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::{Change, PostmortemApproved, PostmortemPublished, PostmortemSubmitted};
use crate::postmortem::model::{PostMortem, Status, missing_for_review};

/// Sends the post-mortem to named reviewers (members, facilitators, admins). The required
/// sections must be written (422 naming each one that is not).
pub async fn submit(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    reviewer_ids: &[i64],
) -> Result<PostMortem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let mut check = crate::validate::Checker::default();
    let reviewer_ids = check.ids("reviewer_ids", reviewer_ids, crate::validate::MAX_IDS);
    check.finish(()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::entity::escalation::find_existing(&*txn, id).await?;
    let existing = stored(&*txn, id).await?.ok_or_else(|| {
        AppError::invalid_field("summary", "Write the post-mortem before submitting it.")
    })?;
    if existing.status == Status::Published {
        return Err(read_only());
    }
    let missing = missing_for_review(&existing.sections);
    if !missing.is_empty() {
        return Err(AppError::invalid(missing));
    }
    let mut reviewers: Vec<i64> = Vec::new();
    for reviewer in &reviewer_ids {
        require_person(
            &*txn,
            "reviewer_ids",
            *reviewer,
            &[
                Role::Executive,
                Role::Member,
                Role::Facilitator,
                Role::Admin,
            ],
        )
        .await?;
        if !reviewers.contains(reviewer) {
            reviewers.push(*reviewer);
        }
    }
    if reviewers.is_empty() {
        return Err(AppError::invalid_field(
            "reviewer_ids",
            "name at least one reviewer",
        ));
    }
    let version = existing.row.version + 1;
    write(
        &*txn,
        actor,
        &esc,
        Some(existing.row.clone()),
        Written {
            status: Status::InReview,
            version,
            sections: &existing.sections,
            reviewers: &reviewers,
            approvals: &[],
            change: PostmortemSubmitted {
                reviewer_ids: reviewers.clone(),
                version,
                status: Status::InReview,
            }
            .into(),
        },
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}

/// A named reviewer approves; once every reviewer has, the post-mortem is published and
/// read-only.
pub async fn approve(db: &Db, actor: &Actor, id: EscalationId) -> Result<PostMortem, AppError> {
    actor.require(Permission::Read)?;
    let txn = db.write().await?;
    let esc = crate::entity::escalation::find_existing(&*txn, id).await?;
    let existing = stored(&*txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Escalation {id} has no post-mortem yet.")))?;
    if !existing.reviewers.contains(&actor.id.0) {
        return Err(AppError::forbidden(
            "Only the post-mortem's named reviewers approve it.",
        ));
    }
    match existing.status {
        Status::InReview => {}
        Status::Published => return Err(read_only()),
        Status::Draft => {
            return Err(AppError::conflict(
                "This post-mortem is not in review: its author submits it first.",
                None,
            ));
        }
    }
    let missing = missing_for_review(&existing.sections);
    if !missing.is_empty() {
        return Err(AppError::invalid(missing));
    }
    let mut approvals = existing.approvals.clone();
    if !approvals.contains(&actor.id.0) {
        approvals.push(actor.id.0);
    }
    let all = existing.reviewers.iter().all(|r| approvals.contains(r));
    let version = existing.row.version + 1;
    let approved_by = actor.id;
    let (status, change): (Status, Change) = if all {
        let status = Status::Published;
        let change = PostmortemPublished {
            approved_by,
            version,
            status,
        };
        (status, change.into())
    } else {
        let status = Status::InReview;
        let change = PostmortemApproved {
            approved_by,
            version,
            status,
        };
        (status, change.into())
    };
    write(
        &*txn,
        actor,
        &esc,
        Some(existing.row.clone()),
        Written {
            status,
            version,
            sections: &existing.sections,
            reviewers: &existing.reviewers,
            approvals: &approvals,
            change,
        },
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}
