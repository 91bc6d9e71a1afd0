//! Decision requests, the decision log and urgent meetings.

use super::model::{
    Decision, DecisionDraft, DecisionRequest, Meeting, MeetingDraft, agenda, sort_for_attention,
};
use crate::auth::model::{Actor, Permission, Person, UserId};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::entity::{
    decision as decision_row, decision_request as request_row, escalation as escalation_row,
    meeting as meeting_row, update as update_row,
};
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage, Tier};
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::notification::NotificationKind;
use crate::notification::service::notify;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::HashMap;

/// Who a decision request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressTo {
    /// The escalation's owner (the default).
    Owner,
    /// The launch's senior sponsor.
    Sponsor,
    /// Someone named (the A of the RACI's decision activity).
    Person(i64),
}

fn person(names: &HashMap<i64, Person>, id: i64) -> Person {
    names.get(&id).cloned().unwrap_or(Person {
        id: UserId(id),
        name: format!("User {id}"),
    })
}

fn participant_ids(json: &str) -> Vec<i64> {
    serde_json::from_str(json).unwrap_or_default()
}

async fn requests_to_wire<C: ConnectionTrait>(
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
    let meetings: HashMap<i64, meeting_row::Model> = meeting_row::Entity::find()
        .filter(meeting_row::Column::RequestId.is_in(request_ids))
        .order_by_asc(meeting_row::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.request_id, m))
        .collect();
    let mut person_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.addressed_to, r.requested_by])
        .collect();
    for m in meetings.values() {
        person_ids.push(m.called_by);
        person_ids.extend(participant_ids(&m.participants));
    }
    let names = people(db, person_ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let e = escalations.get(&r.escalation_id)?;
            let u = r.update_id.and_then(|id| updates.get(&id));
            Some(DecisionRequest {
                id: r.id,
                escalation_id: EscalationId(r.escalation_id),
                escalation_title: e.title.clone(),
                launch_id: LaunchId(e.launch_id),
                tier: Tier::new(i64::from(e.tier)).unwrap_or(Tier::ALL[3]),
                question: r.question,
                addressed_to: person(&names, r.addressed_to),
                requested_by: person(&names, r.requested_by),
                opened_at: r.opened_at,
                due_at: r.due_at,
                answered_at: r.answered_at,
                decision_id: r.decision_id,
                problem: u.map(|u| u.problem.clone()),
                impact: u.map(|u| u.impact.clone()),
                mitigation: u.map(|u| u.mitigation.clone()),
                meeting: meetings.get(&r.id).map(|m| Meeting {
                    id: m.id,
                    request_id: m.request_id,
                    starts_at: m.starts_at,
                    participants: participant_ids(&m.participants)
                        .into_iter()
                        .map(|p| person(&names, p))
                        .collect(),
                    agenda: m.agenda.clone(),
                    called_by: person(&names, m.called_by),
                }),
            })
        })
        .collect())
}

async fn decisions_to_wire<C: ConnectionTrait>(
    db: &C,
    rows: Vec<decision_row::Model>,
) -> Result<Vec<Decision>, AppError> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r.decided_by).collect();
    for r in &rows {
        ids.extend(participant_ids(&r.participants));
    }
    let names = people(db, ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Decision {
            id: r.id,
            escalation_id: EscalationId(r.escalation_id),
            request_id: r.request_id,
            decided_by: person(&names, r.decided_by),
            participants: participant_ids(&r.participants)
                .into_iter()
                .map(|p| person(&names, p))
                .collect(),
            decision: r.decision,
            rationale: r.rationale,
            corrects_id: r.corrects_id,
            meeting_id: r.meeting_id,
            created_at: r.created_at,
        })
        .collect())
}

/// The open request of an escalation, if any.
pub async fn open_request_of<C: ConnectionTrait>(
    db: &C,
    escalation: i64,
) -> Result<Option<request_row::Model>, AppError> {
    Ok(request_row::Entity::find()
        .filter(request_row::Column::EscalationId.eq(escalation))
        .filter(request_row::Column::AnsweredAt.is_null())
        .one(db)
        .await?)
}

/// Opens a decision request inside `txn` (a stand-up update asked for a decision): addressed
/// to the owner or the sponsor, due after the tier's decision time; the escalation moves to
/// Awaiting decision.
pub async fn open_request_in<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    escalation: escalation_row::Model,
    update_id: Option<i64>,
    question: &str,
    address_to: AddressTo,
) -> Result<escalation_row::Model, AppError> {
    if open_request_of(txn, escalation.id).await?.is_some() {
        return Err(AppError::invalid_field(
            "decision_required",
            "A decision is already pending for this escalation; record it first.",
        ));
    }
    let addressee = match address_to {
        AddressTo::Owner => escalation.owner_id.ok_or_else(|| {
            AppError::invalid_field(
                "decision_required",
                "The escalation needs an owner to decide.",
            )
        })?,
        AddressTo::Person(id) => id,
        AddressTo::Sponsor => crate::entity::launch::Entity::find_by_id(escalation.launch_id)
            .one(txn)
            .await?
            .and_then(|l| l.sponsor_id)
            .ok_or_else(|| {
                AppError::invalid_field("address_to", "This launch has no senior sponsor.")
            })?,
    };
    let runbook = crate::runbook::service::current(txn).await?;
    let tier = Tier::new(i64::from(escalation.tier)).unwrap_or(Tier::ALL[3]);
    let now = Utc::now();
    let due = crate::runbook::model::decision_due(&runbook.policy(tier), now);
    let request = request_row::ActiveModel {
        escalation_id: Set(escalation.id),
        update_id: Set(update_id),
        question: Set(question.to_string()),
        addressed_to: Set(addressee),
        requested_by: Set(actor.id.0),
        opened_at: Set(now),
        due_at: Set(due),
        answered_at: Set(None),
        decision_id: Set(None),
        stall_notified_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    escalation_row::Entity::update_many()
        .col_expr(escalation_row::Column::DecisionDueAt, Expr::value(due))
        .filter(escalation_row::Column::Id.eq(escalation.id))
        .exec(txn)
        .await?;
    let id = EscalationId(escalation.id);
    append(
        txn,
        &actor.into(),
        NewEvent::new("decision_request", request.id, "decision_request.opened")
            .escalation(id)
            .launch(LaunchId(escalation.launch_id))
            .payload(json!({ "question": question, "addressed_to": addressee, "due_at": due })),
    )
    .await?;
    notify(
        txn,
        &actor.into(),
        UserId(addressee),
        NotificationKind::DecisionRequested,
        Some(id),
        format!(
            "A decision is requested from you on \"{}\": {question}",
            escalation.title
        ),
    )
    .await?;
    let mut escalation = escalation;
    escalation.decision_due_at = Some(due);
    if escalation.stage != Stage::AwaitingDecision.as_str() {
        escalation = crate::escalation::service::transition(
            txn,
            &actor.into(),
            escalation,
            Stage::AwaitingDecision,
            None,
        )
        .await?;
    }
    Ok(escalation)
}

/// Records a decision (people with authority for the launch, and executives). It answers the
/// open request, and an escalation awaiting it returns to Mitigating. Entries are never
/// changed; `corrects_id` makes a new entry that corrects an earlier one.
pub async fn record(
    db: &Db,
    actor: &Actor,
    escalation: EscalationId,
    draft: &DecisionDraft,
) -> Result<Decision, AppError> {
    actor.require(Permission::RecordDecision)?;
    let valid = draft.validate().map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::escalation::service::find_row(&*txn, escalation).await?;
    let me = crate::auth::service::active_user(&*txn, actor.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    if !crate::launch::service::holds_authority(&*txn, LaunchId(esc.launch_id), &me).await? {
        return Err(AppError::forbidden(
            "Only people with authority for this launch, or executives, may record a decision.",
        ));
    }
    if let Some(corrects) = draft.corrects_id {
        let original = decision_row::Entity::find_by_id(corrects)
            .one(&*txn)
            .await?;
        if original.is_none_or(|d| d.escalation_id != escalation.0) {
            return Err(AppError::invalid_field(
                "corrects_id",
                "is not a decision of this escalation",
            ));
        }
    }
    if let Some(meeting) = draft.meeting_id {
        let found = meeting_row::Entity::find_by_id(meeting).one(&*txn).await?;
        if found.is_none_or(|m| m.escalation_id != escalation.0) {
            return Err(AppError::invalid_field(
                "meeting_id",
                "is not a meeting about this escalation",
            ));
        }
    }
    let mut participants = vec![actor.id.0];
    for id in &valid.participant_ids {
        require_person(&*txn, "participant_ids", *id, &[]).await?;
        if !participants.contains(id) {
            participants.push(*id);
        }
    }
    let open = open_request_of(&*txn, escalation.0).await?;
    let now = Utc::now();
    let decision = decision_row::ActiveModel {
        escalation_id: Set(escalation.0),
        request_id: Set(open.as_ref().map(|r| r.id)),
        decision: Set(valid.decision),
        rationale: Set(valid.rationale),
        decided_by: Set(actor.id.0),
        participants: Set(serde_json::to_string(&participants).map_err(AppError::internal)?),
        corrects_id: Set(draft.corrects_id),
        meeting_id: Set(draft.meeting_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("decision", decision.id, "decision.recorded")
            .escalation(escalation)
            .launch(LaunchId(esc.launch_id))
            .payload(json!({
                "decision": decision.decision, "rationale": decision.rationale,
                "participants": participants, "request_id": decision.request_id,
                "corrects_id": decision.corrects_id, "meeting_id": decision.meeting_id,
            })),
    )
    .await?;
    let mut esc = esc;
    if let Some(open) = open {
        request_row::Entity::update_many()
            .col_expr(request_row::Column::AnsweredAt, Expr::value(now))
            .col_expr(request_row::Column::DecisionId, Expr::value(decision.id))
            .filter(request_row::Column::Id.eq(open.id))
            .exec(&*txn)
            .await?;
        escalation_row::Entity::update_many()
            .col_expr(
                escalation_row::Column::DecisionDueAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .filter(escalation_row::Column::Id.eq(escalation.0))
            .exec(&*txn)
            .await?;
        esc.decision_due_at = None;
    }
    if esc.stage == Stage::AwaitingDecision.as_str() {
        crate::escalation::service::transition(&*txn, &actor.into(), esc, Stage::Mitigating, None)
            .await?;
    }
    txn.commit().await?;
    Ok(decisions_to_wire(&db.conn, vec![decision]).await?.remove(0))
}

/// Every open decision request, stalled first. Anyone signed in.
pub async fn open_requests<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<DecisionRequest>, AppError> {
    actor.require(Permission::Read)?;
    let rows = request_row::Entity::find()
        .filter(request_row::Column::AnsweredAt.is_null())
        .order_by_asc(request_row::Column::DueAt)
        .all(db)
        .await?;
    let mut requests = requests_to_wire(db, rows).await?;
    sort_for_attention(&mut requests, Utc::now());
    Ok(requests)
}

/// One escalation's requests (newest first) and decision log (oldest first).
pub async fn for_escalation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<(Vec<DecisionRequest>, Vec<Decision>), AppError> {
    actor.require(Permission::Read)?;
    let requests = request_row::Entity::find()
        .filter(request_row::Column::EscalationId.eq(escalation.0))
        .order_by_desc(request_row::Column::Id)
        .all(db)
        .await?;
    let decisions = decision_row::Entity::find()
        .filter(decision_row::Column::EscalationId.eq(escalation.0))
        .order_by_asc(decision_row::Column::Id)
        .all(db)
        .await?;
    Ok((
        requests_to_wire(db, requests).await?,
        decisions_to_wire(db, decisions).await?,
    ))
}

/// One decision of an escalation.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
    id: i64,
) -> Result<Decision, AppError> {
    actor.require(Permission::Read)?;
    let row = decision_row::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| d.escalation_id == escalation.0)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Decision {id} of escalation {escalation} does not exist."
            ))
        })?;
    Ok(decisions_to_wire(db, vec![row]).await?.remove(0))
}

/// Calls an urgent meeting about an open request (facilitators — every launch's escalation
/// lead is one — and admins): participants, a time, and the agenda generated from the request.
pub async fn call_meeting(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    draft: &MeetingDraft,
) -> Result<Meeting, AppError> {
    actor.require(Permission::Facilitate)?;
    let txn = db.write().await?;
    let request = request_row::Entity::find_by_id(request_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!("Decision request {request_id} does not exist."))
        })?;
    let escalation =
        crate::escalation::service::find_row(&*txn, EscalationId(request.escalation_id)).await?;
    if request.answered_at.is_some() {
        return Err(AppError::invalid_field(
            "request",
            "This decision has already been taken.",
        ));
    }
    let mut check = crate::validate::Checker::default();
    let starts_at = check.instant(
        "starts_at",
        draft.starts_at.as_deref(),
        Some(Utc::now() - chrono::Duration::minutes(5)),
    );
    if starts_at.is_none() && !check_failed_on(&draft.starts_at) {
        check.fail("starts_at", "is required");
    }
    let participant_ids = check.ids(
        "participant_ids",
        &draft.participant_ids,
        crate::validate::MAX_IDS,
    );
    if draft.participant_ids.is_empty() {
        check.fail("participant_ids", "name at least one participant");
    }
    let agenda_text = draft
        .agenda
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    if let Some(text) = &agenda_text {
        check.text("agenda", Some(text));
    }
    check.finish(()).map_err(AppError::invalid)?;
    let starts_at = starts_at.ok_or(AppError::Internal)?;
    let mut participants = Vec::new();
    for id in &participant_ids {
        require_person(&*txn, "participant_ids", *id, &[]).await?;
        if !participants.contains(id) {
            participants.push(*id);
        }
    }
    let wire = requests_to_wire(&*txn, vec![request.clone()])
        .await?
        .remove(0);
    let agenda_text = agenda_text.unwrap_or_else(|| agenda(&wire));
    let meeting = meeting_row::ActiveModel {
        request_id: Set(request.id),
        escalation_id: Set(request.escalation_id),
        called_by: Set(actor.id.0),
        starts_at: Set(starts_at),
        participants: Set(serde_json::to_string(&participants).map_err(AppError::internal)?),
        agenda: Set(agenda_text.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let id = EscalationId(request.escalation_id);
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("meeting", meeting.id, "meeting.called")
            .escalation(id)
            .launch(LaunchId(escalation.launch_id))
            .payload(json!({ "request_id": request.id, "starts_at": starts_at, "participants": participants, "agenda": agenda_text })),
    )
    .await?;
    for p in &participants {
        notify(
            &*txn,
            &actor.into(),
            UserId(*p),
            NotificationKind::MeetingCalled,
            Some(id),
            format!(
                "Urgent meeting about \"{}\" at {}.",
                escalation.title,
                crate::components::time::utc_text(starts_at)
            ),
        )
        .await?;
    }
    txn.commit().await?;
    let names = people(
        &db.conn,
        participants.iter().copied().chain([actor.id.0]).collect(),
    )
    .await?;
    Ok(Meeting {
        id: meeting.id,
        request_id: request.id,
        starts_at,
        participants: participants.iter().map(|p| person(&names, *p)).collect(),
        agenda: agenda_text,
        called_by: person(&names, actor.id.0),
    })
}

fn check_failed_on(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}
