//! Saving a post-mortem draft (the page's autosave and `PUT …/postmortem`): section-level
//! conflicts, the sections written, remediation items and the impact start, one transaction.

use super::queries::{assemble, get, stored};
use super::remediation::save_remediation;
use super::write::{Written, append_written, read_only, write_row};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::entity::escalation as escalation_row;
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::event::change::PostmortemSaved;
use crate::launch::LaunchId;
use crate::postmortem::model::{PostMortem, PostMortemDraft, Status, conflicts};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Saves a draft (members, facilitators, admins; timeline marks are for facilitators).
/// The first save needs the escalation Resolved (or Closed). With `version`, a section
/// someone else saved after that version gets 409 with the current post-mortem; sections
/// nobody else touched merge; a save another save overtook while it ran gets 409 too. A
/// published post-mortem is read-only (409).
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    draft: &PostMortemDraft,
) -> Result<PostMortem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    if draft.timeline.is_some() && !actor.can(Permission::Facilitate) {
        return Err(AppError::forbidden(
            "Only facilitators pin, annotate or hide timeline entries.",
        ));
    }
    let txn = db.write().await?;
    let esc = crate::entity::escalation::find_existing(&*txn, id).await?;
    let existing = stored(&*txn, id).await?;
    if existing.is_none() && !matches!(esc.read_stage()?, Stage::Resolved | Stage::Closed) {
        return Err(AppError::invalid_field(
            "stage",
            "A post-mortem starts once the escalation is Resolved.",
        ));
    }
    if existing
        .as_ref()
        .is_some_and(|s| s.status == Status::Published)
    {
        return Err(read_only());
    }
    let current_version = existing.as_ref().map_or(0, |s| s.row.version);
    let mut sections = existing
        .as_ref()
        .map(|s| s.sections.clone())
        .unwrap_or_default();
    let touched = draft.touched();
    if let Some(base) = draft.version
        && base != current_version
    {
        let stale = conflicts(&sections.changed, &touched, base);
        if !stale.is_empty() || base > current_version {
            let current = assemble(&*txn, actor, &esc, existing).await?;
            let names: Vec<&str> = stale.iter().map(|s| s.label()).collect();
            return Err(AppError::conflict(
                format!(
                    "{} saved {} since you loaded it.",
                    current.updated_by.as_deref().unwrap_or("Someone"),
                    if names.is_empty() {
                        "this post-mortem".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
                serde_json::to_value(&current).ok(),
            ));
        }
    }
    let now = Utc::now();
    let applied = draft.apply(&mut sections, now).map_err(AppError::invalid)?;
    let version = current_version + 1;
    for section in &touched {
        sections.changed.insert(section.key().to_string(), version);
    }
    let (status, reviewers, mut approvals) = match &existing {
        Some(s) => (s.status, s.reviewers.clone(), s.approvals.clone()),
        None => (Status::Draft, Vec::new(), Vec::new()),
    };
    // A change during review asks the reviewers to look again.
    let reset = status == Status::InReview && !touched.is_empty() && !approvals.is_empty();
    if reset {
        approvals.clear();
    }
    let next = Written {
        status,
        version,
        sections: &sections,
        reviewers: &reviewers,
        approvals: &approvals,
        change: PostmortemSaved {
            sections: touched.iter().map(|s| s.key().to_string()).collect(),
            approvals_reset: reset,
            version,
            status,
        }
        .into(),
    };
    // The versioned row first: a save that lost the race stops before writing anything else.
    write_row(&*txn, actor, &esc, existing.map(|s| s.row), &next).await?;
    let launch = LaunchId(esc.launch_id);
    for (i, item) in applied.remediation.into_iter().enumerate() {
        save_remediation(&*txn, actor, id, launch, i, item).await?;
    }
    if let Some(started) = applied.impact_started_at {
        escalation_row::Entity::update_many()
            .col_expr(
                escalation_row::Column::ImpactStartedAt,
                Expr::value(started),
            )
            .filter(escalation_row::Column::Id.eq(id.0))
            .exec(&*txn)
            .await?;
    }
    append_written(&*txn, actor, &esc, next).await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}
