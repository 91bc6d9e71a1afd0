//! Addenda: later corrections to a published post-mortem, which stays read-only otherwise.

use super::queries::{get, stored};
use super::write::{Written, write};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::PostmortemAddendum;
use crate::postmortem::model::{Addendum, PostMortem, Status};
use chrono::Utc;

/// Adds a later correction to a published post-mortem (members, facilitators, admins).
pub async fn add_addendum(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    text: Option<&str>,
) -> Result<PostMortem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let mut check = crate::validate::Checker::default();
    let text = check.required_text("text", text);
    check.finish(()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::entity::escalation::find_existing(&*txn, id).await?;
    let existing = stored(&*txn, id).await?;
    let Some(existing) = existing.filter(|s| s.status == Status::Published) else {
        return Err(AppError::invalid_field(
            "text",
            "Addenda are for published post-mortems; edit the draft instead.",
        ));
    };
    let mut sections = existing.sections.clone();
    sections.addenda.push(Addendum {
        at: Utc::now(),
        author: actor.name.clone(),
        text: text.clone(),
    });
    write(
        &*txn,
        actor,
        &esc,
        Some(existing.row.clone()),
        Written {
            status: Status::Published,
            version: existing.row.version + 1,
            sections: &sections,
            reviewers: &existing.reviewers,
            approvals: &existing.approvals,
            change: PostmortemAddendum {
                text,
                version: existing.row.version + 1,
                status: Status::Published,
            }
            .into(),
        },
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}
