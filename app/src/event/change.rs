//! What each kind of event records: one payload struct per kind, and `Change`, the one enum
//! producers build. Its JSON is the event's `{"kind": …, "payload": {…}}`, field for field
//! what the log has always stored (DESIGN.md's Event), so old rows still read.
//!
//! Readers in the browser take one kind with `Event::payload_as::<EscalationMoved>()`, so
//! only that struct's decoder reaches the wasm bundle; the server may decode any kind with
//! `Event::change()` and `match`.

use crate::action::ActionKind;
use crate::auth::model::{FunctionalArea, Role, UserId};
use crate::escalation::{EscalationId, Impact, Stage, Tier, Trigger};
use crate::launch::LaunchStatus;
use crate::notification::NotificationKind;
use crate::postmortem::Status;
use crate::runbook::TierPolicy;
use crate::team::FunctionalRole;
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[macro_use]
mod declare;

/// A payload struct: the one kind of event it is the payload of.
pub trait Payload: Serialize + DeserializeOwned + Into<Change> {
    /// The event's `kind`, e.g. `escalation.moved`.
    const KIND: &'static str;
}

/// A field of an `*.updated` payload that may be cleared: absent when it did not change,
/// `null` when it was cleared (`Some(None)`), else the new value.
pub(crate) fn set_or_cleared<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

changes! {
    /// A new escalation, as raised (always `triggered`, version 1).
    "escalation.created" => EscalationCreated {
        title: String,
        description: String,
        trigger: Trigger,
        tier: Tier,
        impact: Impact,
        priority: i32,
        stage: Stage,
        owner_id: Option<i64>,
        deadline: Option<DateTime<Utc>>,
        version: i64,
    }
    /// A move between stages; `acknowledged_at` on the move that acknowledged it, `reason`
    /// when the mover gave one (a close without a published post-mortem).
    "escalation.moved" => EscalationMoved {
        from: Stage,
        stage: Stage,
        version: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acknowledged_at: Option<DateTime<Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// On a move to Resolved: what was done.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
        /// On a move to Resolved: the updated risk posture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        risk_posture: Option<crate::escalation::RiskPosture>,
    }
    /// The fields an edit changed (absent: unchanged), and the new version.
    #[derive(Default)]
    "escalation.updated" => EscalationUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trigger: Option<Trigger>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<Tier>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        impact: Option<Impact>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(deserialize_with = "set_or_cleared")]
        owner_id: Option<Option<i64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(deserialize_with = "set_or_cleared")]
        deadline: Option<Option<DateTime<Utc>>>,
        version: i64,
    }
    /// A workaround with its expiry and the root-cause follow-up item created with it.
    "escalation.workaround_set" => EscalationWorkaroundSet {
        workaround: String,
        expires_at: DateTime<Utc>,
        root_cause_item_id: i64,
        version: i64,
    }
    /// The scheduled check found it still Triggered after the runbook's time to acknowledge.
    "escalation.acknowledgement_missed" => EscalationAcknowledgementMissed {
        due_at: DateTime<Utc>,
    }
    /// The scheduled check found no stand-up update within the runbook's cadence.
    "escalation.update_missed" => EscalationUpdateMissed {
        due_at: DateTime<Utc>,
    }
    /// The scheduled check raised a tier because a workaround expired unfixed.
    "escalation.reescalated" => EscalationReescalated {
        reason: String,
        tier: Tier,
        priority: i32,
        version: i64,
    }
    /// A stand-up update, as written.
    "update.posted" => UpdatePosted {
        problem: String,
        impact: String,
        mitigation: String,
        decision_required: Option<String>,
        at: DateTime<Utc>,
    }
    /// A decision asked of one person, due by the runbook's deadline.
    "decision_request.opened" => DecisionRequestOpened {
        question: String,
        addressed_to: i64,
        due_at: DateTime<Utc>,
    }
    /// The scheduled check found a decision request past its due time.
    "decision_request.stalled" => DecisionRequestStalled {
        due_at: DateTime<Utc>,
        addressed_to: i64,
    }
    /// A decision, as recorded (never changed; a correction names what it corrects).
    "decision.recorded" => DecisionRecorded {
        decision: String,
        rationale: String,
        participants: Vec<i64>,
        request_id: Option<i64>,
        corrects_id: Option<i64>,
        meeting_id: Option<i64>,
    }
    /// An urgent meeting about a stalled decision request.
    "meeting.called" => MeetingCalled {
        request_id: i64,
        starts_at: DateTime<Utc>,
        participants: Vec<i64>,
        agenda: String,
    }
    /// A launch's success criterion as saved: created at version 1, changed after.
    "criterion.saved" => CriterionSaved {
        name: String, kind: String, metric: String, rule: String,
        breach_tier: Tier, breach_trigger: Trigger, auto_escalate: bool, version: i64,
    }
    /// A criterion taken out of use.
    "criterion.retired" => CriterionRetired { name: String, version: i64 }
    /// A criterion went into breach, with the escalation that breach raised (or found open).
    "criterion.breached" => CriterionBreached {
        name: String, rule: String, value: f64, escalation_id: Option<i64>,
    }
    /// A breached criterion recovered: de-escalation is suggested, nothing is closed.
    "criterion.recovered" => CriterionRecovered { name: String, value: f64, escalation_id: Option<i64> }
    /// Samples fed to a launch's metrics (one event per request).
    "metrics.recorded" => MetricsRecorded { samples: usize, metrics: Vec<String> }
    /// A new action item.
    "action_item.created" => ActionItemCreated {
        title: String,
        kind: ActionKind,
        owner_id: i64,
        due: DateTime<Utc>,
    }
    /// A remediation item changed from its post-mortem.
    "action_item.updated" => ActionItemUpdated {
        title: String,
        owner_id: i64,
        due: DateTime<Utc>,
        done: bool,
        version: i64,
    }
    /// An action item ticked off (`done` is true).
    "action_item.done" => ActionItemDone {
        done: bool,
        version: i64,
    }
    /// The scheduled check found an action item past its due time (its owner is told).
    "action_item.overdue" => ActionItemOverdue {
        title: String,
        owner_id: i64,
        due: DateTime<Utc>,
    }
    /// An action item opened again (`done` is false).
    "action_item.reopened" => ActionItemReopened {
        done: bool,
        version: i64,
    }
    /// A new launch.
    "launch.created" => LaunchCreated {
        name: String,
        target_date: NaiveDate,
        description: String,
        status: LaunchStatus,
        sponsor_id: Option<i64>,
        lead_id: Option<i64>,
    }
    /// The fields an edit changed (absent: unchanged), and the new version.
    #[derive(Default)]
    "launch.updated" => LaunchUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target_date: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<LaunchStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(deserialize_with = "set_or_cleared")]
        sponsor_id: Option<Option<i64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(deserialize_with = "set_or_cleared")]
        lead_id: Option<Option<i64>>,
        version: i64,
    }
    /// Who holds decision authority for the launch now, and who did before.
    "launch.authority_changed" => LaunchAuthorityChanged {
        user_ids: Vec<i64>,
        before: Vec<i64>,
    }
    /// A draft saved: the sections it touched, and whether the reviewers' approvals reset.
    "postmortem.saved" => PostmortemSaved {
        sections: Vec<String>,
        approvals_reset: bool,
        version: i64,
        status: Status,
    }
    /// Sent to its reviewers.
    "postmortem.submitted" => PostmortemSubmitted {
        reviewer_ids: Vec<i64>,
        version: i64,
        status: Status,
    }
    /// One reviewer approved; others still have to.
    "postmortem.approved" => PostmortemApproved {
        approved_by: UserId,
        version: i64,
        status: Status,
    }
    /// The last reviewer approved: published and read-only.
    "postmortem.published" => PostmortemPublished {
        approved_by: UserId,
        version: i64,
        status: Status,
    }
    /// A later correction to a published post-mortem.
    "postmortem.addendum" => PostmortemAddendum {
        text: String,
        version: i64,
        status: Status,
    }
    /// A RACI matrix saved: its activities' names and its columns.
    "raci.saved" => RaciSaved {
        version: i64,
        activities: Vec<String>,
        columns: Vec<String>,
    }
    /// A launch's escalation-team rotation saved.
    "rotation.saved" => RotationSaved {
        version: i64,
        period_days: i64,
        starts_at: DateTime<Utc>,
        roles: BTreeMap<FunctionalRole, Vec<i64>>,
    }
    /// A new runbook version: the tier policies it changed, why, and whose runbook it is
    /// (a pilot launch's own; absent: the default runbook).
    "runbook.updated" => RunbookUpdated {
        version: i64,
        tiers: Vec<TierPolicy>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        launch_id: Option<crate::launch::LaunchId>,
    }
    /// A facilitator opened the governance review of a quarter.
    "review.opened" => ReviewOpened {
        period: String,
    }
    /// Its participants or findings changed.
    "review.updated" => ReviewUpdated {
        version: i64,
        participants: Vec<i64>,
        findings: String,
    }
    /// An adjustment was proposed.
    "review.adjustment_proposed" => AdjustmentProposed {
        adjustment_id: i64,
        kind: String,
        change: Value,
        reason: String,
    }
    /// An adjustment was adopted: `result` says what it made.
    "review.adjustment_adopted" => AdjustmentAdopted {
        adjustment_id: i64,
        result: String,
    }
    /// An executive signed the review off; it is read-only from now on.
    "review.signed_off" => ReviewSignedOff {
        period: String,
    }
    /// The owner ticked (or unticked) one of the escalation's runbook steps.
    "escalation.step_ticked" => StepTicked {
        step: i64,
        text: String,
        done: bool,
    }
    /// A facilitator set up a recurring meeting for a launch.
    "cadence.created" => CadenceCreated {
        name: String, kind: String, every: String, at: String, timezone: String, minutes_long: i32,
    }
    /// A governance review changed when a cadence meets.
    "cadence.changed" => CadenceChanged {
        every: String, at: String, timezone: String, minutes_long: i32, version: i64,
    }
    /// A governance review changed the RACI template new matrices start from.
    "raci.template_changed" => RaciTemplateChanged { version: i64, change: String }
    /// Someone wrote a meeting's minutes.
    "meeting.minutes_written" => MinutesWritten { version: i64 }
    /// A notification for one person (only they are sent it).
    "notification.created" => NotificationCreated {
        recipient_id: UserId,
        kind: NotificationKind,
        text: String,
        escalation_id: Option<EscalationId>,
    }
    /// Someone marked their notifications read (their other tabs update their count).
    "notifications.read" => NotificationsRead {
        recipient_id: UserId,
        count: u64,
    }
    /// A new account.
    "user.created" => UserCreated {
        email: String,
        name: String,
        role: Role,
        functional_area: FunctionalArea,
    }
    /// An account's new role.
    "user.role_changed" => UserRoleChanged {
        role: Role,
    }
    /// An account enabled again.
    "user.enabled" => UserEnabled {}
    /// An account disabled (its sessions ended and tokens revoked).
    "user.disabled" => UserDisabled {}
    /// An account's password changed.
    "user.password_changed" => UserPasswordChanged {}
    /// An API token issued to a user.
    "api_token.created" => ApiTokenCreated {
        user_id: UserId,
        label: String,
    }
    /// An API token revoked (rows written before the owner was recorded have no `user_id`,
    /// and do not decode).
    "api_token.revoked" => ApiTokenRevoked {
        user_id: UserId,
    }
    /// An outbound webhook added (its secret is never recorded).
    "webhook.created" => WebhookCreated {
        url: String,
        events: Vec<String>,
        launch_id: Option<i64>,
        format: String,
    }
    /// An outbound webhook removed, with its delivery log.
    "webhook.deleted" => WebhookDeleted {
        url: String,
    }
}

/// The one field both notification kinds share, read on its own: which person an event is
/// addressed to (`Event::recipient`). Decoding just this keeps a notification private even
/// if another of its fields ever fails to decode.
#[derive(Deserialize)]
pub(super) struct Addressed {
    pub recipient_id: UserId,
}

impl Addressed {
    /// The kinds whose payload carries `recipient_id`.
    pub const KINDS: [&'static str; 2] = [NotificationCreated::KIND, NotificationsRead::KIND];
}

#[cfg(test)]
mod tests;
