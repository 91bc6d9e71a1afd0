//! A stored decision, decision request or meeting as the client sees it, with the names of
//! the people it mentions. A participants list or an escalation tier that does not read back
//! is an internal error naming the row, never a silent default.

use crate::auth::model::{Person, UserId};
use crate::auth::service::people;
use crate::decision::model::{Decision, DecisionRequest, Meeting};
use crate::entity::{
    decision as decision_row, decision_request as request_row, escalation as escalation_row,
    meeting as meeting_row, update as update_row,
};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Names of the users some rows mention, by id (from `auth::service::people`).
pub(super) type Names = HashMap<i64, Person>;

/// The named user; one the names lack shows as "User {id}".
fn person(names: &Names, id: i64) -> Person {
    names.get(&id).cloned().unwrap_or(Person {
        id: UserId(id),
        name: format!("User {id}"),
    })
}

/// A stored JSON array of user ids.
fn participant_ids(entity: &str, id: i64, json: &str) -> Result<Vec<i64>, AppError> {
    serde_json::from_str(json).map_err(|_| AppError::corrupt(entity, id, "participants", json))
}

/// A decision log entry, given the names of its decider and participants.
impl TryFrom<(&decision_row::Model, &Names)> for Decision {
    type Error = AppError;

    fn try_from((r, names): (&decision_row::Model, &Names)) -> Result<Self, AppError> {
        Ok(Decision {
            id: r.id,
            escalation_id: EscalationId(r.escalation_id),
            request_id: r.request_id,
            decided_by: person(names, r.decided_by),
            participants: participant_ids("decision", r.id, &r.participants)?
                .into_iter()
                .map(|p| person(names, p))
                .collect(),
            decision: r.decision.clone(),
            rationale: r.rationale.clone(),
            corrects_id: r.corrects_id,
            meeting_id: r.meeting_id,
            created_at: r.created_at,
        })
    }
}

/// An urgent meeting, given the names of whoever called it and its participants.
impl TryFrom<(&meeting_row::Model, &Names)> for Meeting {
    type Error = AppError;

    fn try_from((m, names): (&meeting_row::Model, &Names)) -> Result<Self, AppError> {
        Ok(Meeting {
            id: m.id,
            request_id: m.request_id.unwrap_or_default(),
            starts_at: m.starts_at,
            participants: participant_ids("meeting", m.id, &m.participants)?
                .into_iter()
                .map(|p| person(names, p))
                .collect(),
            agenda: m.agenda.clone(),
            called_by: person(names, m.called_by.unwrap_or_default()),
        })
    }
}

/// A stored decision request and what the client sees beside it: its escalation, the
/// stand-up update that asked (if one did), its newest meeting, and the people's names.
pub(super) struct RequestRow<'a> {
    pub request: request_row::Model,
    pub escalation: &'a escalation_row::Model,
    pub update: Option<&'a update_row::Model>,
    pub meeting: Option<&'a meeting_row::Model>,
    pub names: &'a Names,
}

impl TryFrom<RequestRow<'_>> for DecisionRequest {
    type Error = AppError;

    fn try_from(row: RequestRow<'_>) -> Result<Self, AppError> {
        let RequestRow {
            request: r,
            escalation: e,
            update: u,
            meeting,
            names,
        } = row;
        Ok(DecisionRequest {
            id: r.id,
            escalation_id: EscalationId(r.escalation_id),
            escalation_title: e.title.clone(),
            launch_id: LaunchId(e.launch_id),
            tier: e.read_tier()?,
            question: r.question,
            addressed_to: person(names, r.addressed_to),
            requested_by: person(names, r.requested_by),
            opened_at: r.opened_at,
            due_at: r.due_at,
            answered_at: r.answered_at,
            decision_id: r.decision_id,
            problem: u.map(|u| u.problem.clone()),
            impact: u.map(|u| u.impact.clone()),
            mitigation: u.map(|u| u.mitigation.clone()),
            meeting: meeting.map(|m| Meeting::try_from((m, names))).transpose()?,
        })
    }
}

/// Requests as the client sees them, reading their escalations, updates, meetings and
/// people in one query each. A request whose escalation is gone is left out.
pub(super) async fn requests_to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<request_row::Model>,
) -> Result<Vec<DecisionRequest>, AppError> {
    let escalation_ids: Vec<i64> = rows.iter().map(|r| r.escalation_id).collect();
    let escalations: HashMap<i64, escalation_row::Model> = escalation_row::Entity::find()
        .filter(escalation_row::Column::Id.is_in(escalation_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let update_ids: Vec<i64> = rows.iter().filter_map(|r| r.update_id).collect();
    let updates: HashMap<i64, update_row::Model> = update_row::Entity::find()
        .filter(update_row::Column::Id.is_in(update_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let request_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    // Oldest first, so a request's newest meeting is the one kept.
    let meetings: HashMap<i64, meeting_row::Model> = meeting_row::Entity::find()
        .filter(meeting_row::Column::RequestId.is_in(request_ids))
        .order_by_asc(meeting_row::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| Some((m.request_id?, m)))
        .collect();
    let mut person_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.addressed_to, r.requested_by])
        .collect();
    for m in meetings.values() {
        person_ids.extend(m.called_by);
        person_ids.extend(participant_ids("meeting", m.id, &m.participants)?);
    }
    let names = people(db, person_ids).await?;
    let mut requests = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(escalation) = escalations.get(&r.escalation_id) else {
            continue;
        };
        let update = r.update_id.and_then(|id| updates.get(&id));
        let meeting = meetings.get(&r.id);
        requests.push(DecisionRequest::try_from(RequestRow {
            request: r,
            escalation,
            update,
            meeting,
            names: &names,
        })?);
    }
    Ok(requests)
}

/// Decision log entries as the client sees them, reading their people in one query.
pub(super) async fn decisions_to_wire<C: ConnectionTrait>(
    db: &C,
    rows: &[decision_row::Model],
) -> Result<Vec<Decision>, AppError> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r.decided_by).collect();
    for r in rows {
        ids.extend(participant_ids("decision", r.id, &r.participants)?);
    }
    let names = people(db, ids).await?;
    rows.iter()
        .map(|r| Decision::try_from((r, &names)))
        .collect()
}

/// One decision log entry as the client sees it.
pub(super) async fn decision_to_wire<C: ConnectionTrait>(
    db: &C,
    row: &decision_row::Model,
) -> Result<Decision, AppError> {
    decisions_to_wire(db, std::slice::from_ref(row))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn decision(participants: &str) -> decision_row::Model {
        decision_row::Model {
            id: 3,
            escalation_id: 1,
            request_id: None,
            decision: "Roll back".into(),
            rationale: "Safer".into(),
            decided_by: 7,
            participants: participants.into(),
            corrects_id: None,
            meeting_id: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_decision_names_its_people_and_refuses_unreadable_participants() {
        let names: Names = [(
            7,
            Person {
                id: UserId(7),
                name: "Ana".into(),
            },
        )]
        .into();
        let wire = Decision::try_from((&decision("[7, 8]"), &names)).unwrap();
        assert_eq!(wire.decided_by.name, "Ana");
        let shown: Vec<&str> = wire.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(shown, ["Ana", "User 8"]);
        assert_eq!(
            Decision::try_from((&decision("not json"), &names)),
            Err(AppError::Internal)
        );
    }
}
