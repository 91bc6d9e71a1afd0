//! A stored escalation as clients see it: the one conversion from the row to the wire
//! `Escalation`. A stored value that does not parse is an internal error naming the
//! escalation, the column and the value — never a guess.

use crate::auth::model::{Person, UserId};
use crate::auth::service::people;
use crate::entity::escalation as row;
use crate::error::AppError;
use crate::escalation::model::{
    Escalation, EscalationId, Impact, RiskPosture, Stage, Trigger, Workaround,
};
use crate::launch::LaunchId;
use sea_orm::ConnectionTrait;

/// The internal error for a stored escalation value that does not read back.
fn corrupt(id: i64, column: &str, value: impl std::fmt::Debug) -> AppError {
    AppError::corrupt("escalation", id, column, value)
}

fn stage(id: i64, column: &str, value: &str) -> Result<Stage, AppError> {
    Stage::parse(value).ok_or_else(|| corrupt(id, column, value))
}

/// The stage a row left on its last move (`previous_stage`), which a move always records.
pub(super) fn previous_stage(r: &row::Model) -> Result<Stage, AppError> {
    match r.previous_stage.as_deref() {
        Some(value) => stage(r.id, "previous_stage", value),
        None => Err(corrupt(r.id, "previous_stage", None::<&str>)),
    }
}

impl TryFrom<&row::Model> for Escalation {
    type Error = AppError;

    /// The escalation a row stores, without its owner's name (`wire` adds it).
    fn try_from(r: &row::Model) -> Result<Self, AppError> {
        let score = |column: &str, value: i16| {
            u8::try_from(value)
                .ok()
                .filter(|s| *s <= 5)
                .ok_or_else(|| corrupt(r.id, column, value))
        };
        Ok(Escalation {
            id: EscalationId(r.id),
            launch_id: LaunchId(r.launch_id),
            trigger: Trigger::parse(&r.trigger)
                .ok_or_else(|| corrupt(r.id, "trigger", &r.trigger))?,
            tier: r.read_tier()?,
            impact: Impact {
                customer: score("impact_customer", r.impact_customer)?,
                revenue: score("impact_revenue", r.impact_revenue)?,
                compliance: score("impact_compliance", r.impact_compliance)?,
            },
            priority: u8::try_from(r.priority)
                .map_err(|_| corrupt(r.id, "priority", r.priority))?,
            stage: r.read_stage()?,
            owner_id: r.owner_id.map(UserId),
            owner: None,
            title: r.title.clone(),
            description: r.description.clone(),
            deadline: r.deadline,
            acknowledged_at: r.acknowledged_at,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_update_at: r.last_update_at,
            decision_due_at: r.decision_due_at,
            team: crate::team::service::stored_team(r)?,
            criterion_id: r.criterion_id,
            breach: stored_json(r.id, "breach", r.breach.as_deref())?,
            drill: r.drill,
            outcome: r.outcome.clone(),
            risk_posture: stored_risk_posture(r)?,
            runbook_version: r.runbook_version,
            workaround: match (&r.workaround, r.workaround_expires_at) {
                (Some(description), Some(expires_at)) => Some(Workaround {
                    description: description.clone(),
                    expires_at,
                    root_cause_item_id: r.root_cause_item_id,
                    expired_at: r.workaround_expired_at,
                }),
                _ => None,
            },
        })
    }
}

/// A JSON column's value, or the internal error naming the row and column.
fn stored_json<T: serde::de::DeserializeOwned>(
    id: i64,
    column: &str,
    json: Option<&str>,
) -> Result<Option<T>, AppError> {
    json.map(|json| serde_json::from_str(json).map_err(|_| corrupt(id, column, json)))
        .transpose()
}

/// The risk posture a row stores (JSON), or the internal error naming it.
pub fn stored_risk_posture(r: &row::Model) -> Result<Option<RiskPosture>, AppError> {
    stored_json(r.id, "risk_posture", r.risk_posture.as_deref())
}

/// A row as the wire shows it, given its owner.
pub(crate) fn wire(r: &row::Model, owner: Option<Person>) -> Result<Escalation, AppError> {
    let mut escalation = Escalation::try_from(r)?;
    escalation.owner = owner;
    Ok(escalation)
}

/// Rows as the wire shows them, with their owners' names (one query for all).
pub async fn to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<row::Model>,
) -> Result<Vec<Escalation>, AppError> {
    let owners: Vec<i64> = rows.iter().filter_map(|r| r.owner_id).collect();
    let names = people(db, owners).await?;
    rows.iter()
        .map(|r| wire(r, r.owner_id.and_then(|id| names.get(&id).cloned())))
        .collect()
}

/// One row as the wire shows it, with its owner's name.
pub async fn one_to_wire<C: ConnectionTrait>(
    db: &C,
    model: row::Model,
) -> Result<Escalation, AppError> {
    to_wire(db, vec![model])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escalation::Tier;
    use chrono::{DateTime, Utc};

    fn stored() -> row::Model {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        row::Model {
            id: 7,
            launch_id: 1,
            title: "Checkout fails".into(),
            description: String::new(),
            trigger: "customer_defect".into(),
            tier: 2,
            impact_customer: 5,
            impact_revenue: 4,
            impact_compliance: 0,
            priority: 63,
            stage: "triaged".into(),
            previous_stage: Some("triggered".into()),
            owner_id: Some(3),
            deadline: None,
            acknowledged_at: Some(at),
            created_by: 3,
            version: 2,
            created_at: at,
            updated_at: at,
            last_update_at: None,
            decision_due_at: None,
            workaround: None,
            workaround_expires_at: None,
            root_cause_item_id: None,
            workaround_expired_at: None,
            team: Some(r#"{"engineering_lead":4}"#.into()),
            impact_started_at: None,
            criterion_id: None,
            breach: None,
            drill: false,
            outcome: None,
            risk_posture: None,
            ack_missed_at: None,
            update_missed_due: None,
            runbook_version: 1,
        }
    }

    #[test]
    fn a_good_row_converts() {
        let e = Escalation::try_from(&stored()).unwrap();
        assert_eq!(
            (e.stage, e.tier, e.trigger),
            (Stage::Triaged, Tier::ALL[1], Trigger::CustomerDefect)
        );
        assert_eq!((e.priority, e.impact.customer, e.team.len()), (63, 5, 1));
        assert_eq!(previous_stage(&stored()).unwrap(), Stage::Triggered);
    }

    #[test]
    fn a_stored_value_that_does_not_parse_is_an_internal_error() {
        let bad: [fn(&mut row::Model); 7] = [
            |r| r.tier = 9,
            |r| r.stage = "done".into(),
            |r| r.trigger = "rumour".into(),
            |r| r.impact_revenue = -1,
            |r| r.priority = 300,
            |r| r.team = Some("{".into()),
            |r| r.breach = Some(r#"{"criterion":"p95"}"#.into()),
        ];
        for spoil in bad {
            let mut r = stored();
            spoil(&mut r);
            assert_eq!(Escalation::try_from(&r), Err(AppError::Internal));
        }
        let mut r = stored();
        r.previous_stage = None;
        assert_eq!(previous_stage(&r), Err(AppError::Internal));
    }
}
