//! Calling an urgent meeting about an open decision request: participants, a time, and an
//! agenda generated from the request unless one is given.

use super::row::{Names, requests_to_wire};
use crate::auth::model::{Actor, Permission, UserId};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::decision::model::{Meeting, MeetingDraft, agenda};
use crate::entity::{decision_request as request_row, meeting as meeting_row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::change::MeetingCalled;
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use crate::meeting::model::MeetingKind;
use crate::notification::NotificationKind;
use crate::notification::service::notify;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// How long an urgent meeting is booked for, in minutes.
const URGENT_MINUTES: i32 = 30;

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
        crate::entity::escalation::find_existing(&*txn, EscalationId(request.escalation_id))
            .await?;
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
        .pop()
        .ok_or(AppError::Internal)?;
    let agenda_text = agenda_text.unwrap_or_else(|| agenda(&wire));
    let meeting = meeting_row::ActiveModel {
        launch_id: Set(escalation.launch_id),
        kind: Set(MeetingKind::Urgent.as_str().into()),
        title: Set(format!("Urgent: {}", escalation.title)),
        request_id: Set(Some(request.id)),
        escalation_id: Set(Some(request.escalation_id)),
        called_by: Set(Some(actor.id.0)),
        starts_at: Set(starts_at),
        minutes_long: Set(URGENT_MINUTES),
        participants: Set(serde_json::to_string(&participants).map_err(AppError::internal)?),
        agenda: Set(agenda_text.clone()),
        minutes: Set(String::new()),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let id = EscalationId(request.escalation_id);
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "meeting",
            meeting.id,
            MeetingCalled {
                request_id: request.id,
                starts_at,
                participants: participants.clone(),
                agenda: agenda_text,
            },
        )
        .escalation(id)
        .launch(LaunchId(escalation.launch_id)),
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
    let names: Names = people(
        &db.conn,
        participants.iter().copied().chain([actor.id.0]).collect(),
    )
    .await?;
    Meeting::try_from((&meeting, &names))
}

fn check_failed_on(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}
