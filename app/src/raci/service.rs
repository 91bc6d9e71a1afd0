//! Reading, saving and resolving RACI matrices; `row` turns a stored matrix into what the
//! client sees.

mod row;
pub mod template;

use super::model::{ColumnKey, Duty, Raci, RaciDraft, Resolution, Scope, to_csv};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::db::versioned::{insert_if_absent, update_if_current};
use crate::entity::{escalation as escalation_row, raci_matrix as matrix_row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::RaciSaved;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use row::Body;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The launch a scope belongs to, and the escalation's stored team if it is one.
async fn resolution<C: ConnectionTrait>(db: &C, scope: Scope) -> Result<Resolution, AppError> {
    let (launch_id, escalation_id, team) = match scope {
        Scope::Launch(id) => {
            crate::team::service::rotation(db, id).await?;
            (id, None, None)
        }
        Scope::Escalation(id) => {
            let row = escalation_row::find_existing(db, id).await?;
            (
                LaunchId(row.launch_id),
                Some(id),
                Some(crate::team::service::stored_team(&row)?),
            )
        }
    };
    let people = crate::team::service::active_people(db).await?;
    let ids = match team {
        Some(team) if !team.is_empty() => team,
        _ => crate::team::service::team_at(db, launch_id, Utc::now()).await?,
    };
    let on_duty = ids
        .into_iter()
        .filter_map(|(role, id)| {
            people
                .iter()
                .find(|p| p.id.0 == id)
                .map(|p| (role, p.clone()))
        })
        .collect();
    Ok(Resolution {
        launch_id,
        escalation_id,
        on_duty,
        people,
    })
}

async fn stored<C: ConnectionTrait>(db: &C, scope: Scope) -> Result<Option<Raci>, AppError> {
    matrix_row::Entity::find()
        .filter(matrix_row::Column::Scope.eq(scope.key()))
        .one(db)
        .await?
        .as_ref()
        .map(Raci::try_from)
        .transpose()
}

/// The matrix as it applies: the scope's own, else (for an escalation) its launch's,
/// marked inherited, else the template. Without warnings.
async fn current<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    launch: LaunchId,
) -> Result<Raci, AppError> {
    if let Some(own) = stored(db, scope).await? {
        return Ok(own);
    }
    let base = match scope {
        Scope::Escalation(_) => stored(db, Scope::Launch(launch)).await?,
        Scope::Launch(_) => None,
    };
    let mut base = match base {
        Some(base) => base,
        None => template::current(db).await?,
    };
    base.version = 0;
    base.inherited = matches!(scope, Scope::Escalation(_));
    Ok(base)
}

/// The matrix with its gaps and overlaps, and who its columns mean. Anyone signed in.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    scope: Scope,
) -> Result<(Raci, Resolution), AppError> {
    actor.require(Permission::Read)?;
    let resolution = resolution(db, scope).await?;
    let mut raci = current(db, scope, resolution.launch_id).await?;
    raci.warnings = resolution.warnings(&raci);
    Ok((raci, resolution))
}

/// The 409 for a save someone else's save overtook, with the matrix as it is now.
async fn stale<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    resolution: &Resolution,
) -> Result<AppError, AppError> {
    let mut current = current(db, scope, resolution.launch_id).await?;
    current.warnings = resolution.warnings(&current);
    Ok(AppError::conflict(
        "Someone saved this matrix since you opened it.",
        serde_json::to_value(&current).ok(),
    ))
}

/// Saves a matrix (facilitators and admins) in one transaction. A stale `version` gets 409
/// with the current matrix, and so does a save another save overtook while it ran (two first
/// saves included); a matrix that breaks the rules gets 422 naming each activity; gaps and
/// overlaps come back as warnings with the saved matrix.
pub async fn save(
    db: &Db,
    actor: &Actor,
    scope: Scope,
    draft: &RaciDraft,
) -> Result<Raci, AppError> {
    actor.require(Permission::Facilitate)?;
    let resolution = resolution(&db.conn, scope).await?;
    let mut raci = draft
        .validate(|id| resolution.people.iter().any(|p| p.id.0 == id))
        .map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let existing = matrix_row::Entity::find()
        .filter(matrix_row::Column::Scope.eq(scope.key()))
        .one(&*txn)
        .await?;
    let current_version = existing.as_ref().map_or(0, |r| r.version);
    if draft.version.is_some_and(|v| v != current_version) {
        return Err(stale(&*txn, scope, &resolution).await?);
    }
    raci.version = current_version + 1;
    let body = serde_json::to_string(&Body {
        activities: raci.activities.clone(),
        columns: raci.columns.clone(),
    })
    .map_err(AppError::internal)?;
    let now = Utc::now();
    let saved = match existing {
        Some(r) => {
            let mut model: matrix_row::ActiveModel = r.into();
            model.version = Set(raci.version);
            model.body = Set(body);
            model.updated_at = Set(now);
            model.updated_by = Set(Some(actor.id.0));
            update_if_current(&*txn, model, matrix_row::Column::Version, current_version)
                .await?
                .map(|m| m.id)
        }
        None => {
            let model = matrix_row::ActiveModel {
                scope: Set(scope.key()),
                launch_id: Set(resolution.launch_id.0),
                escalation_id: Set(resolution.escalation_id.map(|e| e.0)),
                version: Set(raci.version),
                body: Set(body),
                updated_at: Set(now),
                updated_by: Set(Some(actor.id.0)),
                ..Default::default()
            };
            insert_if_absent(&*txn, model, [matrix_row::Column::Scope]).await?
        }
    };
    let Some(saved) = saved else {
        return Err(stale(&*txn, scope, &resolution).await?);
    };
    let mut event = NewEvent::new(
        "raci",
        saved,
        RaciSaved {
            version: raci.version,
            activities: raci.activities.iter().map(|a| a.name.clone()).collect(),
            columns: raci.columns.clone(),
        },
    )
    .launch(resolution.launch_id);
    if let Some(escalation) = resolution.escalation_id {
        event = event.escalation(escalation);
    }
    append(&*txn, &actor.into(), event).await?;
    txn.commit().await?;
    raci.warnings = resolution.warnings(&raci);
    Ok(raci)
}

/// The launch's matrix as CSV, columns named as people read them. Anyone signed in.
pub async fn csv<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch: LaunchId,
) -> Result<String, AppError> {
    let (raci, resolution) = get(db, actor, Scope::Launch(launch)).await?;
    Ok(to_csv(&raci, |k| resolution.label(k)))
}

/// Who a decision request about `escalation` goes to by default: the A of the matrix's
/// decision activity, resolved to a person; `None` if the matrix has no such activity or
/// its A is a role nobody fills.
pub async fn decision_accountable<C: ConnectionTrait>(
    db: &C,
    escalation: EscalationId,
) -> Result<Option<i64>, AppError> {
    let scope = Scope::Escalation(escalation);
    let resolution = resolution(db, scope).await?;
    let raci = current(db, scope, resolution.launch_id).await?;
    Ok(raci
        .decision_activity()
        .and_then(|a| a.accountable())
        .and_then(ColumnKey::parse)
        .and_then(|k| resolution.resolve(k))
        .filter(|id| resolution.people.iter().any(|p| p.id.0 == *id)))
}

/// The escalation's matrix resolved to names, activity by activity.
pub async fn duties<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<(Vec<Duty>, bool), AppError> {
    use super::model::Letter;
    let (raci, resolution) = get(db, actor, Scope::Escalation(escalation)).await?;
    let duties = raci
        .activities
        .iter()
        .map(|a| {
            let who = |letter: Letter| {
                raci.columns
                    .iter()
                    .filter(|c| a.cells.get(*c) == Some(&letter))
                    .map(|c| resolution.label(c))
                    .collect()
            };
            Duty {
                activity: a.name.clone(),
                responsible: who(Letter::R),
                accountable: who(Letter::A),
                consulted: who(Letter::C),
                informed: who(Letter::I),
            }
        })
        .collect();
    Ok((duties, raci.inherited))
}
