//! Raising an escalation: validated, stored `triggered` at version 1 with the launch's team
//! on duty, recorded, and its owner told.

use super::one_to_wire;
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::entity::{escalation as row, launch};
use crate::error::AppError;
use crate::escalation::model::{
    Escalation, EscalationDraft, EscalationId, NewEscalation, Stage, priority,
};
use crate::event::change::EscalationCreated;
use crate::event::service::{NewEvent, append};
use crate::notification::NotificationKind;
use crate::notification::rules::Occasion;
use crate::notification::service::stakeholders::{Notice, tell};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// Everything a new escalation's event records: what was raised (`new`), as stored (`r`).
fn created_event(r: &row::Model, new: &NewEscalation) -> EscalationCreated {
    EscalationCreated {
        title: r.title.clone(),
        description: r.description.clone(),
        trigger: new.trigger,
        tier: new.tier,
        impact: new.impact,
        priority: r.priority,
        stage: Stage::Triggered,
        owner_id: r.owner_id,
        deadline: r.deadline,
        version: r.version,
    }
}

/// Raises an escalation on a launch (members, facilitators, admins). It starts `triggered`
/// at version 1, with the launch's escalation team on duty now.
pub async fn create(
    db: &Db,
    actor: &Actor,
    draft: &EscalationDraft,
) -> Result<Escalation, AppError> {
    create_at(db, actor, draft, Utc::now()).await
}

/// `create` at a given instant (the rotation's tests fix the clock).
pub async fn create_at(
    db: &Db,
    actor: &Actor,
    draft: &EscalationDraft,
    now: chrono::DateTime<Utc>,
) -> Result<Escalation, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let new: NewEscalation = draft.validate(now).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    if launch::Entity::find_by_id(new.launch_id.0)
        .one(&*txn)
        .await?
        .is_none()
    {
        return Err(AppError::invalid_field(
            "launch_id",
            "is not an existing launch",
        ));
    }
    if let Some(owner) = new.owner_id {
        crate::launch::service::require_owner(&*txn, new.launch_id, owner.0).await?;
    }
    let model = insert(&txn, &actor.into(), actor.id, &new, Marks::default(), now).await?;
    txn.commit().await?;
    one_to_wire(&db.conn, model).await
}

/// What marks an escalation apart from one a person raised: the criterion whose breach
/// raised it (and what it read), or a drill.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    pub criterion_id: Option<i64>,
    pub breach: Option<crate::escalation::model::Breach>,
    pub drill: bool,
}

/// Stores a validated escalation inside the caller's write transaction, `triggered` at
/// version 1 with the launch's team on duty at `now` and the runbook version it runs on now,
/// records it as `by` and tells its owner.
/// The callers check who may raise it; `created_by` is the person it is raised for.
pub async fn insert(
    txn: &sea_orm::DatabaseTransaction,
    by: &crate::event::model::EventActor,
    created_by: crate::auth::model::UserId,
    new: &NewEscalation,
    marks: Marks,
    now: chrono::DateTime<Utc>,
) -> Result<row::Model, AppError> {
    let team = crate::team::service::team_at(txn, new.launch_id, now).await?;
    let runbook_version = crate::runbook::service::version_for(txn, new.launch_id).await?;
    let model = row::ActiveModel {
        runbook_version: Set(runbook_version),
        team: Set(Some(
            serde_json::to_string(&team).map_err(AppError::internal)?,
        )),
        launch_id: Set(new.launch_id.0),
        title: Set(new.title.clone()),
        description: Set(new.description.clone()),
        trigger: Set(new.trigger.as_str().into()),
        tier: Set(i16::from(new.tier.get())),
        impact_customer: Set(i16::from(new.impact.customer)),
        impact_revenue: Set(i16::from(new.impact.revenue)),
        impact_compliance: Set(i16::from(new.impact.compliance)),
        priority: Set(i32::from(priority(new.tier, new.impact))),
        stage: Set(Stage::Triggered.as_str().into()),
        owner_id: Set(new.owner_id.map(|id| id.0)),
        deadline: Set(new.deadline),
        acknowledged_at: Set(None),
        created_by: Set(created_by.0),
        criterion_id: Set(marks.criterion_id),
        breach: Set(marks
            .breach
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(AppError::internal)?),
        drill: Set(marks.drill),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    append(
        txn,
        by,
        NewEvent::new("escalation", model.id, created_event(&model, new))
            .escalation(EscalationId(model.id))
            .launch(new.launch_id),
    )
    .await?;
    if let Some(owner) = new.owner_id.filter(|o| *o != created_by) {
        crate::notification::service::notify(
            txn,
            by,
            owner,
            NotificationKind::OwnerAssigned,
            Some(EscalationId(model.id)),
            format!("You own the new escalation \"{}\".", model.title),
        )
        .await?;
    }
    let notice = Notice {
        except: model.owner_id.map(crate::auth::model::UserId),
        ..Notice::new(
            Occasion::Raised,
            NotificationKind::EscalationRaised,
            format!("New {} escalation: \"{}\".", new.tier, model.title),
        )
    };
    tell(txn, by, &model, &notice).await?;
    Ok(model)
}
