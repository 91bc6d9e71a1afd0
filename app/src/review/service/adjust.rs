//! Adjustments a review proposes, and adopting them: adopting applies the change itself — a
//! runbook adjustment saves a new runbook version whose reason names the review. An
//! adjustment remembers the version of what it changes; if that moved since, adopting it is
//! a 409 with the current state, and nothing changes.

use super::{find, read_only, row};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::entity::{review_adjustment as adjustment_row, user};
use crate::error::AppError;
use crate::event::change::{AdjustmentAdopted, AdjustmentProposed};
use crate::event::service::{NewEvent, append};
use crate::meeting::model::CadenceChange;
use crate::meeting::service::change as cadence_change;
use crate::raci::model::RaciTemplateChange;
use crate::raci::service::template as raci_template;
use crate::review::model::{Adjustment, AdjustmentKind, RunbookChange};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

/// The change in words, for the page and the export.
pub fn summary(kind: AdjustmentKind, change: &serde_json::Value) -> String {
    match kind {
        AdjustmentKind::Runbook => serde_json::from_value::<RunbookChange>(change.clone())
            .map_or_else(|_| change.to_string(), |c| c.text()),
        AdjustmentKind::Cadence => serde_json::from_value::<CadenceChange>(change.clone())
            .map_or_else(|_| change.to_string(), |c| c.text()),
        AdjustmentKind::RaciTemplate => {
            serde_json::from_value::<RaciTemplateChange>(change.clone())
                .map_or_else(|_| change.to_string(), |c| c.text())
        }
        _ => change.to_string(),
    }
}

/// A runbook change that names a tier and changes at least one valid thing of it.
fn runbook_change(change: &serde_json::Value) -> Result<RunbookChange, AppError> {
    let parsed: RunbookChange = serde_json::from_value(change.clone())
        .map_err(|e| AppError::invalid_field("change", format!("is not a runbook change: {e}")))?;
    let mut check = crate::validate::Checker::default();
    if crate::escalation::Tier::new(parsed.tier).is_none() {
        check.fail("change.tier", "must be 1–4");
    }
    let max = crate::runbook::model::MAX_MINUTES;
    for (name, value) in [
        ("acknowledge_minutes", parsed.acknowledge_minutes),
        ("update_minutes", parsed.update_minutes),
        ("decide_minutes", parsed.decide_minutes),
    ] {
        if value.is_some_and(|v| !(1..=max).contains(&v)) {
            check.fail(
                &format!("change.{name}"),
                format!("must be between 1 and {max} minutes"),
            );
        }
    }
    if let Some(steps) = &parsed.steps {
        check.at_most(
            "change.steps",
            steps.len(),
            crate::runbook::model::MAX_STEPS,
        );
        for (i, step) in steps.iter().enumerate() {
            check.name(&format!("change.steps[{i}]"), Some(step));
        }
    }
    let unchanged = RunbookChange {
        tier: parsed.tier,
        ..Default::default()
    };
    if parsed == unchanged {
        check.fail(
            "change",
            "must change at least one of the tier's times, notice or steps",
        );
    }
    check.finish(parsed).map_err(AppError::invalid)
}

/// Proposes an adjustment to an open review (facilitators), against the current state of
/// what it changes.
pub async fn propose(
    db: &Db,
    actor: &Actor,
    review_id: i64,
    kind: &str,
    change: &serde_json::Value,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Adjustment, AppError> {
    actor.require(Permission::Facilitate)?;
    let mut check = crate::validate::Checker::default();
    let reason = check.required_text("reason", Some(reason));
    let kind = AdjustmentKind::parse(kind);
    if kind.is_none() {
        check.fail(
            "kind",
            "must be runbook, raci_template, criteria_template or cadence",
        );
    }
    check.finish(()).map_err(AppError::invalid)?;
    let kind = kind.ok_or(AppError::Internal)?;
    let txn = db.write().await?;
    let review = find(&*txn, review_id).await?;
    if review.status != "open" {
        return Err(read_only(&row::to_wire(&*txn, review, now).await?));
    }
    let (change, base) = match kind {
        AdjustmentKind::Runbook => {
            let parsed = runbook_change(change)?;
            let base = crate::runbook::service::current(&*txn).await?.version;
            (
                serde_json::to_value(parsed).map_err(AppError::internal)?,
                base,
            )
        }
        AdjustmentKind::RaciTemplate => {
            let (parsed, base) = raci_template::check(&*txn, change).await?;
            (
                serde_json::to_value(parsed).map_err(AppError::internal)?,
                base,
            )
        }
        AdjustmentKind::Cadence => {
            let (parsed, base) = cadence_change::check(&*txn, change).await?;
            (
                serde_json::to_value(parsed).map_err(AppError::internal)?,
                base,
            )
        }
        other => {
            return Err(AppError::invalid_field(
                "kind",
                format!(
                    "{} adjustments are not supported yet: propose a runbook, RACI template or cadence change",
                    other.label()
                ),
            ));
        }
    };
    let model = adjustment_row::ActiveModel {
        review_id: Set(review_id),
        kind: Set(kind.as_str().into()),
        change: Set(change.to_string()),
        reason: Set(reason.clone()),
        base: Set(base),
        status: Set("proposed".into()),
        proposed_by: Set(actor.id.0),
        proposed_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "review",
            review_id,
            AdjustmentProposed {
                adjustment_id: model.id,
                kind: kind.as_str().into(),
                change,
                reason,
            },
        ),
    )
    .await?;
    txn.commit().await?;
    let users: HashMap<i64, user::Model> = user::Entity::find_by_id(actor.id.0)
        .one(&db.conn)
        .await?
        .map(|u| (u.id, u))
        .into_iter()
        .collect();
    row::adjustment(model, &users)
}

/// Adopts an adjustment (facilitators): applies it and records what it made. 409 when the
/// review is signed off, when it is already adopted, or when what it changes moved since it
/// was proposed (with the current state).
pub async fn adopt(
    db: &Db,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Adjustment, AppError> {
    actor.require(Permission::Facilitate)?;
    let txn = db.write().await?;
    let stored = adjustment_row::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Adjustment {id} does not exist.")))?;
    let review = find(&*txn, stored.review_id).await?;
    if review.status != "open" {
        return Err(read_only(&row::to_wire(&*txn, review, now).await?));
    }
    if stored.status == "adopted" {
        return Err(AppError::conflict(
            "This adjustment is already adopted.",
            None,
        ));
    }
    let change: serde_json::Value = serde_json::from_str(&stored.change)
        .map_err(|_| AppError::corrupt("review_adjustment", id, "change", &stored.change))?;
    let result = match AdjustmentKind::parse(&stored.kind) {
        Some(AdjustmentKind::Runbook) => {
            let change = runbook_change(&change)?;
            let mut book = crate::runbook::service::current(&*txn).await?;
            if book.version != stored.base {
                return Err(AppError::conflict(
                    format!(
                        "The runbook changed since this was proposed (version {} then, {} now): propose it again.",
                        stored.base, book.version
                    ),
                    serde_json::to_value(&book).ok(),
                ));
            }
            if let Some(policy) = book
                .tiers
                .iter_mut()
                .find(|p| p.tier.get() as i64 == change.tier)
            {
                if let Some(m) = change.acknowledge_minutes {
                    policy.acknowledge_minutes = m;
                }
                if let Some(m) = change.update_minutes {
                    policy.update_minutes = m;
                }
                if let Some(m) = change.decide_minutes {
                    policy.decide_minutes = m;
                }
                if let Some(n) = change.notify_executives {
                    policy.notify_executives = n;
                }
                if let Some(steps) = change.steps {
                    policy.steps = steps;
                }
            }
            book.reason = format!("Governance review {}: {}", review.period, stored.reason);
            let saved = crate::runbook::service::save_in(&txn, actor, &book).await?;
            format!("Runbook version {}", saved.version)
        }
        Some(AdjustmentKind::RaciTemplate) => {
            let (change, _) = raci_template::check(&*txn, &change).await?;
            let reason = format!("Governance review {}: {}", review.period, stored.reason);
            raci_template::apply(
                &*txn,
                &actor.into(),
                actor.id.0,
                &change,
                stored.base,
                &reason,
                now,
            )
            .await?
        }
        Some(AdjustmentKind::Cadence) => {
            let (change, _) = cadence_change::check(&*txn, &change).await?;
            cadence_change::apply(&*txn, &actor.into(), &change, stored.base, now).await?
        }
        _ => {
            return Err(AppError::conflict(
                "This kind of adjustment cannot be adopted here.",
                None,
            ));
        }
    };
    let review_id = stored.review_id;
    let mut model: adjustment_row::ActiveModel = stored.into();
    model.status = Set("adopted".into());
    model.result = Set(Some(result.clone()));
    model.adopted_by = Set(Some(actor.id.0));
    model.adopted_at = Set(Some(now));
    // Of two adopting at once, the one that moves it from proposed records it.
    let moved = adjustment_row::Entity::update_many()
        .set(model)
        .filter(adjustment_row::Column::Id.eq(id))
        .filter(adjustment_row::Column::Status.eq("proposed"))
        .exec(&*txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(AppError::conflict(
            "This adjustment is already adopted.",
            None,
        ));
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "review",
            review_id,
            AdjustmentAdopted {
                adjustment_id: id,
                result,
            },
        ),
    )
    .await?;
    txn.commit().await?;
    let after = row::to_wire(&db.conn, find(&db.conn, review_id).await?, now).await?;
    after
        .adjustments
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::Internal)
}
