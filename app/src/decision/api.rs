//! Server functions for decisions and urgent meetings.

use super::model::{Decision, DecisionRequest, Meeting};
use crate::error::AppError;
use crate::escalation::EscalationId;
use leptos::prelude::*;

/// One open request and what the caller may do about it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RequestItem {
    pub request: DecisionRequest,
    /// The caller holds authority for the launch (or is an executive).
    pub can_decide: bool,
    /// The caller leads the launch's escalations (or facilitates).
    pub can_call_meeting: bool,
    /// The launch's senior sponsor, suggested for an urgent meeting.
    pub sponsor: Option<crate::auth::Person>,
}

/// "Needs decision": every open request, stalled first, with the people to invite.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NeedsDecision {
    pub now: chrono::DateTime<chrono::Utc>,
    /// The caller.
    pub me: crate::auth::model::UserId,
    pub items: Vec<RequestItem>,
    pub people: Vec<crate::auth::Person>,
}

impl NeedsDecision {
    /// The open requests asked of the caller (they are the addressee: the escalation's owner
    /// or the RACI's accountable person), and the rest — each stalled first.
    pub fn asked_of_me(&self) -> (Vec<RequestItem>, Vec<RequestItem>) {
        self.items
            .iter()
            .cloned()
            .partition(|item| item.request.addressed_to.id == self.me)
    }
}

/// Every open decision request, stalled first ("Needs decision"). Anyone signed in.
#[server(endpoint = "decision/load_needs_decision")]
pub async fn load_needs_decision() -> Result<NeedsDecision, AppError> {
    use crate::auth::model::Permission;
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let me = crate::auth::service::active_user(db, actor.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    let mut items = Vec::new();
    for request in super::service::open_requests(db, &actor).await? {
        let launch = crate::launch::service::get(db, &actor, request.launch_id).await?;
        let can_decide =
            crate::launch::service::holds_authority(db, request.launch_id, &me).await?;
        let can_call_meeting = actor.can(Permission::Facilitate)
            || launch.lead.as_ref().is_some_and(|l| l.id == actor.id);
        items.push(RequestItem {
            request,
            can_decide,
            can_call_meeting,
            sponsor: launch.sponsor,
        });
    }
    let people = crate::auth::service::list_users(db, &actor)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| crate::auth::Person {
            id: u.id,
            name: u.name,
        })
        .collect();
    Ok(NeedsDecision {
        now: chrono::Utc::now(),
        me: actor.id,
        items,
        people,
    })
}

/// Records a decision. People with authority for the launch, and executives.
#[server(endpoint = "decision/record_decision")]
pub async fn record_decision(
    escalation_id: EscalationId,
    decision: Option<String>,
    rationale: Option<String>,
    #[server(default)] participant_ids: Vec<i64>,
    corrects_id: Option<i64>,
    meeting_id: Option<i64>,
) -> Result<Decision, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = super::model::DecisionDraft {
        decision,
        rationale,
        participant_ids,
        corrects_id,
        meeting_id,
    };
    super::service::record(&state.db, &actor, escalation_id, &draft).await
}

/// Calls an urgent meeting about a stalled request. The launch's escalation lead,
/// facilitators, admins.
#[server(endpoint = "decision/call_meeting")]
pub async fn call_meeting(
    request_id: i64,
    starts_at: Option<String>,
    tz_offset: Option<String>,
    #[server(default)] participant_ids: Vec<i64>,
    agenda: Option<String>,
) -> Result<Meeting, AppError> {
    let (state, actor) = crate::state::request()?;
    let offset = tz_offset.and_then(|o| o.trim().parse().ok()).unwrap_or(0);
    let starts_at = starts_at.as_deref().and_then(|s| {
        crate::escalation::model::local_to_rfc3339(s, offset).or(Some(s.to_string()))
    });
    let draft = super::model::MeetingDraft {
        starts_at,
        participant_ids,
        agenda,
    };
    super::service::call_meeting(&state.db, &actor, request_id, &draft).await
}
