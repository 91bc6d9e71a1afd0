//! The metric feed and breaches: samples are stored, then every criterion on the metrics
//! they touched is evaluated. A criterion going into breach is claimed with a conditional
//! UPDATE (the scheduled checks' mechanism), so when several app servers evaluate it at once
//! exactly one raises its escalation; recovery is claimed the same way.

use super::model::{MetricSample, Recorded, SamplesDraft};
use super::series::recent;
use super::service::{require_launch, rule, settings};
use crate::auth::model::{Actor, Permission, UserId};
use crate::db::{Db, claim};
use crate::entity::{criterion, escalation, metric_sample};
use crate::error::AppError;
use crate::escalation::model::{Breach, Impact, NewEscalation};
use crate::escalation::service::{Marks, insert_raised};
use crate::escalation::{EscalationId, Stage};
use crate::event::change::{CriterionBreached, CriterionRecovered, MetricsRecorded};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::measure::CriterionId;
use crate::notification::NotificationKind;
use crate::notification::service::notify;
use crate::team::FunctionalRole;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Rows per INSERT: well inside both databases' limits on bound parameters.
const INSERT_CHUNK: usize = 250;

/// Stores a request's samples (all or none) and evaluates the criteria on their metrics, so
/// an escalation a breach raises exists when this returns. Members and above.
pub async fn record(
    db: &Db,
    actor: &Actor,
    launch: LaunchId,
    body: &SamplesDraft,
    now: DateTime<Utc>,
) -> Result<Recorded, AppError> {
    actor.require(Permission::WorkEscalations)?;
    require_launch(&db.conn, launch).await?;
    let samples = body.validate(now).map_err(AppError::invalid)?;
    let mut metrics: Vec<String> = samples.iter().map(|s| s.metric.clone()).collect();
    metrics.sort();
    metrics.dedup();
    let txn = db.write().await?;
    store(&*txn, launch, &samples).await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "launch",
            launch.0,
            MetricsRecorded {
                samples: samples.len(),
                metrics: metrics.clone(),
            },
        )
        .launch(launch),
    )
    .await?;
    txn.commit().await?;
    Ok(Recorded {
        accepted: samples.len(),
        breaches: evaluate(db, launch, &metrics, now).await?,
    })
}

/// Inserts samples in chunks, inside the caller's transaction.
pub(super) async fn store<C: ConnectionTrait>(
    txn: &C,
    launch: LaunchId,
    samples: &[MetricSample],
) -> Result<(), AppError> {
    for chunk in samples.chunks(INSERT_CHUNK) {
        metric_sample::Entity::insert_many(chunk.iter().map(|s| metric_sample::ActiveModel {
            launch_id: Set(launch.0),
            metric: Set(s.metric.clone()),
            value: Set(s.value),
            at: Set(s.at),
            ..Default::default()
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Evaluates a launch's criteria on `metrics` at `now`: claims each new breach (raising its
/// escalation) and each recovery. Returns the criteria this evaluation put in breach.
pub async fn evaluate(
    db: &Db,
    launch: LaunchId,
    metrics: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<CriterionId>, AppError> {
    let criteria = criterion::Entity::find()
        .filter(criterion::Column::LaunchId.eq(launch.0))
        .filter(criterion::Column::Metric.is_in(metrics.iter().map(String::as_str)))
        .filter(criterion::Column::RetiredAt.is_null())
        .all(&db.conn)
        .await?;
    let mut breaches = Vec::new();
    for c in criteria {
        let valid = settings(&c)?;
        let samples = recent(&db.conn, c.launch_id, &c.metric, rule(&valid), now).await?;
        let reading = rule(&valid).read(&samples, now);
        match (c.breached_at, reading.current) {
            (None, Some(value))
                if reading.status == super::Status::Breached
                    && breach(db, &c, value, now).await? =>
            {
                breaches.push(CriterionId(c.id));
            }
            (Some(since), Some(value)) if rule(&valid).recovered(&samples, now) => {
                recover(db, &c, since, value).await?;
            }
            _ => {}
        }
    }
    Ok(breaches)
}

/// The escalation a breach of `c` raised that is still unresolved.
async fn unresolved_breach<C: ConnectionTrait>(
    db: &C,
    c: &criterion::Model,
) -> Result<Option<escalation::Model>, AppError> {
    Ok(escalation::Entity::find()
        .filter(escalation::Column::CriterionId.eq(c.id))
        .filter(
            escalation::Column::Stage.is_not_in([Stage::Resolved.as_str(), Stage::Closed.as_str()]),
        )
        .one(db)
        .await?)
}

/// How a breach of each kind of criterion weighs on customers, revenue and compliance.
fn breach_impact(kind: &str) -> Impact {
    let (customer, revenue) = match kind {
        "service_level" | "customer_experience" | "defect_threshold" => (3, 2),
        _ => (1, 1),
    };
    Impact {
        customer,
        revenue,
        compliance: 0,
    }
}

/// Claims the breach of `c` and acts on it: raises its escalation (unless one raised by an
/// earlier breach is still unresolved, or the criterion does not escalate), records the
/// breach and tells the on-duty team and the launch lead. False when another evaluation
/// claimed it first.
async fn breach(
    db: &Db,
    c: &criterion::Model,
    value: f64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let txn = db.write().await?;
    let claimed = claim(
        criterion::Entity::update_many()
            .col_expr(criterion::Column::BreachedAt, Expr::value(now))
            .filter(criterion::Column::Id.eq(c.id))
            .filter(criterion::Column::BreachedAt.is_null())
            .filter(criterion::Column::RetiredAt.is_null()),
        &*txn,
    )
    .await?;
    if !claimed {
        return Ok(false);
    }
    let valid = settings(c)?;
    let launch = require_launch(&*txn, LaunchId(c.launch_id)).await?;
    let team = crate::team::service::team_at(&*txn, LaunchId(c.launch_id), now).await?;
    let wire = super::service::to_wire(&*txn, c, now).await?;
    let rule_text = wire.rule_text();
    let flare = EventActor::system();
    let escalation = match unresolved_breach(&*txn, c).await? {
        Some(open) => Some(open.id),
        None if valid.auto_escalate => {
            let title: String = format!("Breach: {}", valid.name)
                .chars()
                .take(200)
                .collect();
            let new = NewEscalation {
                launch_id: LaunchId(c.launch_id),
                title,
                description: format!(
                    "The success criterion \"{}\" ({rule_text}) is breached: {} is {value}{}.",
                    valid.name,
                    valid.metric,
                    valid
                        .unit
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default(),
                ),
                trigger: valid.breach_trigger,
                tier: valid.breach_tier,
                impact: breach_impact(&c.kind),
                owner_id: team
                    .get(&FunctionalRole::EngineeringLead)
                    .copied()
                    .map(UserId),
                deadline: None,
            };
            let marks = Marks {
                criterion_id: Some(c.id),
                breach: Some(Breach {
                    criterion: valid.name.clone(),
                    comparator: wire.comparator.as_str().into(),
                    threshold: wire.threshold,
                    value,
                    unit: wire.unit.clone(),
                }),
                drill: false,
            };
            let raised =
                insert_raised(&txn, &flare, UserId(c.created_by), &new, marks, now).await?;
            Some(raised.id)
        }
        None => None,
    };
    let mut event = NewEvent::new(
        "criterion",
        c.id,
        CriterionBreached {
            name: valid.name.clone(),
            rule: rule_text.clone(),
            value,
            escalation_id: escalation,
        },
    )
    .launch(LaunchId(c.launch_id));
    if let Some(id) = escalation {
        event = event.escalation(EscalationId(id));
    }
    append(&*txn, &flare, event).await?;
    let mut told: Vec<i64> = Vec::new();
    for who in team.values().copied().chain(launch.lead_id) {
        if told.contains(&who) {
            continue;
        }
        told.push(who);
        notify(
            &*txn,
            &flare,
            UserId(who),
            NotificationKind::CriterionBreached,
            escalation.map(EscalationId),
            format!(
                "{}: the success criterion \"{}\" is breached ({} is {value}; {rule_text}).",
                launch.name, valid.name, valid.metric
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Claims the recovery of `c` (breached since `since`): records it and suggests
/// de-escalation to the owner of the escalation its breach raised (or the launch lead).
async fn recover(
    db: &Db,
    c: &criterion::Model,
    since: DateTime<Utc>,
    value: f64,
) -> Result<(), AppError> {
    let txn = db.write().await?;
    let claimed = claim(
        criterion::Entity::update_many()
            .col_expr(
                criterion::Column::BreachedAt,
                Expr::value(None::<DateTime<Utc>>),
            )
            .filter(criterion::Column::Id.eq(c.id))
            .filter(criterion::Column::BreachedAt.eq(since)),
        &*txn,
    )
    .await?;
    if !claimed {
        return Ok(());
    }
    let open = unresolved_breach(&*txn, c).await?;
    let launch = require_launch(&*txn, LaunchId(c.launch_id)).await?;
    let flare = EventActor::system();
    let mut event = NewEvent::new(
        "criterion",
        c.id,
        CriterionRecovered {
            name: c.name.clone(),
            value,
            escalation_id: open.as_ref().map(|e| e.id),
        },
    )
    .launch(LaunchId(c.launch_id));
    if let Some(e) = &open {
        event = event.escalation(EscalationId(e.id));
    }
    append(&*txn, &flare, event).await?;
    let (who, text) = match &open {
        Some(e) => (
            e.owner_id.or(launch.lead_id),
            format!(
                "The success criterion \"{}\" has recovered ({} is {value}). Consider de-escalating \"{}\".",
                c.name, c.metric, e.title
            ),
        ),
        None => (
            launch.lead_id,
            format!(
                "{}: the success criterion \"{}\" has recovered ({} is {value}).",
                launch.name, c.name, c.metric
            ),
        ),
    };
    if let Some(who) = who {
        notify(
            &*txn,
            &flare,
            UserId(who),
            NotificationKind::DeescalationSuggested,
            open.as_ref().map(|e| EscalationId(e.id)),
            text,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
