//! Views shared by the escalation page and "Needs decision": a request at a glance, and the
//! form that records a decision (labelled "Decision" and "Rationale", usable on a phone).

use super::api::RecordDecision;
use super::model::{DecisionDraft, DecisionRequest};
use crate::components::{Form, FormMessage, LocalTime, Submit, TextArea};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;

/// One open request: what is asked, of whom, by when; stalled ones say so.
#[component]
pub fn RequestSummary(request: DecisionRequest, now: DateTime<Utc>) -> impl IntoView {
    let stalled = request.is_stalled(now);
    view! {
        <div class="request" class:stalled=stalled>
            <p class="request-title">
                <A href=format!("/escalations/{}", request.escalation_id)>{request.escalation_title.clone()}</A>
                " "<span class=format!("tier tier-{}", request.tier.get())>{request.tier.to_string()}</span>
                {stalled.then(|| view! { " "<span class="badge health-critical">"Stalled"</span> })}
            </p>
            <p class="question">{request.question.clone()}</p>
            <p class="meta">
                "Asked of " {request.addressed_to.name.clone()} " by " {request.requested_by.name.clone()}
                " · due " <LocalTime at=request.due_at />
            </p>
        </div>
    }
}

/// Records the decision for an escalation (answers its open request).
#[component]
pub fn DecisionForm(
    action: ServerAction<RecordDecision>,
    escalation_id: crate::escalation::EscalationId,
    /// Distinguishes several forms on one page.
    #[prop(into)]
    id_prefix: String,
    #[prop(default = None)] meeting_id: Option<i64>,
) -> impl IntoView {
    let validate = Callback::new(|input: RecordDecision| {
        DecisionDraft {
            decision: input.decision,
            rationale: input.rationale,
            ..Default::default()
        }
        .validate()
        .map(|_| ())
    });
    view! {
        <Form action validate label="Record the decision" class="stack" id_prefix>
            <FormMessage />
            <input type="hidden" name="escalation_id" value=escalation_id.0 />
            {meeting_id.map(|m| view! { <input type="hidden" name="meeting_id" value=m /> })}
            <TextArea label="Decision" name="decision" rows=2 />
            <TextArea label="Rationale" name="rationale" rows=3 />
            <Submit label="Record decision" busy="Recording…" />
        </Form>
    }
}
