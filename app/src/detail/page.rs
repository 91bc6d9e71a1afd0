//! `/escalations/{id}`: one escalation in full, live.

use super::api::{EscalationDetail, load_escalation_detail};
use super::sections::{
    ActionsSection, DecisionSection, ManageSection, TeamSection, UpdatesSection, WorkaroundSection,
};
use crate::auth::model::Permission;
use crate::components::{LoadError, Loading};
use crate::components::{LocalTime, can};
use crate::escalation::{EscalationId, Stage};
use crate::realtime::{Live, ServerMessage};
use crate::runbook::model::{acknowledge_due, clock_state, span_text, update_due};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EscalationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(EscalationId));
    // Any change to this escalation (by anyone) reloads the page's data.
    let changed = RwSignal::new(0u32);
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        if let ServerMessage::Event { event } = message
            && event.escalation_id.is_some()
            && event.escalation_id == id()
        {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| live.start());
    let detail = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_escalation_detail(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such escalation.",
                )),
            }
        },
    );
    let refresh = Callback::new(move |()| changed.update(|n| *n += 1));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(d) => view! { <Detail detail=d refresh /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let e = detail.escalation.clone();
    let now = detail.now;
    let ack = (e.stage == Stage::Triggered && e.acknowledged_at.is_none()).then(|| {
        let due = acknowledge_due(&detail.policy, e.created_at);
        (due, clock_state(e.created_at, due, now))
    });
    let update_late = matches!(
        e.stage,
        Stage::Triaged | Stage::Mitigating | Stage::AwaitingDecision
    ) && now > update_due(&detail.policy, e.created_at, e.last_update_at);
    let stalled = e.decision_due_at.is_some_and(|due| due < now);
    let expired = e
        .workaround
        .as_ref()
        .is_some_and(|w| w.expired_at.is_some());
    view! {
        <Title text=e.title.clone() />
        <p class="crumbs">
            <A href=format!("/launches/{}", e.launch_id)>{format!("← {}", detail.launch.name)}</A>
            " · " <A href=format!("/launches/{}/board", e.launch_id)>"Board"</A>
            " · " <A href=format!("/escalations/{}/postmortem", e.id)>"Post-mortem"</A>
        </p>
        <h1>{e.title.clone()}</h1>
        <p class="meta">
            <span class=format!("tier tier-{}", e.tier.get())>{e.tier.to_string()}</span>
            " · " {e.trigger.label()}
            " · priority " {e.priority}
            " · " <span class="stage">{e.stage.label()}</span>
        </p>
        <div class="flags">
            {stalled.then(|| view! { <p class="flag">"Decision stalled — call an urgent meeting with the senior sponsor."</p> })}
            {update_late.then(|| view! { <p class="flag">{format!("Update overdue (due every {}).", span_text(detail.policy.update_every()))}</p> })}
            {expired.then(|| view! { <p class="flag">"Workaround expired before its root cause was fixed; re-escalated."</p> })}
            {ack.map(|(due, state)| view! {
                <p class=format!("clock {}", state.class())>"Acknowledge by " <LocalTime at=due /></p>
            })}
        </div>
        <dl class="facts">
            <dt>"Owner"</dt>
            <dd>{e.owner.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| "Nobody yet".into())}</dd>
            <dt>"Deadline"</dt>
            <dd>{e.deadline.map(|at| view! { <LocalTime at /> }.into_any()).unwrap_or_else(|| "None set".into_any())}</dd>
            <dt>"Impact"</dt>
            <dd>{format!("customer {} · revenue {} · compliance {}", e.impact.customer, e.impact.revenue, e.impact.compliance)}</dd>
            <dt>"Raised"</dt>
            <dd><LocalTime at=e.created_at /></dd>
            <dt>"Last update"</dt>
            <dd>{e.last_update_at.map(|at| view! { <crate::components::Relative at now /> }.into_any()).unwrap_or_else(|| "None yet".into_any())}</dd>
            {e.outcome.clone().map(|outcome| view! { <dt>"Outcome"</dt><dd class="prose">{outcome}</dd> })}
            {e.risk_posture.as_ref().map(|p| view! { <dt>"Risk posture"</dt><dd class="prose">{p.text()}</dd> })}
        </dl>
        {(!e.description.is_empty()).then(|| view! { <section><h2>"Description"</h2><p class="prose">{e.description.clone()}</p></section> })}
        // For those who keep stakeholders informed: whoever works escalations or decides.
        {(can(Permission::WorkEscalations).get_untracked() || can(Permission::RecordDecision).get_untracked())
            .then(|| view! { <StakeholderUpdate text=detail.stakeholder_update.clone() /> })}
        <ManageSection detail=detail.clone() refresh />
        <super::steps::StepsSection detail=detail.clone() refresh />
        <DecisionSection detail=detail.clone() refresh />
        <UpdatesSection detail=detail.clone() refresh />
        <WorkaroundSection detail=detail.clone() refresh />
        <ActionsSection detail=detail.clone() refresh />
        <TeamSection detail />
    }
}

/// The stakeholder update, ready to copy into chat or mail (selectable without JavaScript).
#[component]
fn StakeholderUpdate(text: String) -> impl IntoView {
    let copied = RwSignal::new(String::new());
    let lines = text.lines().count().clamp(6, 14) as u32;
    let value = StoredValue::new(text.clone());
    view! {
        <details class="card stakeholder">
            <summary>"Copy stakeholder update"</summary>
            <div class="field">
                <label for="stakeholder-text">"Stakeholder update"</label>
                <textarea id="stakeholder-text" readonly rows=lines>{crate::components::raw_text::rcdata(text)}</textarea>
            </div>
            <button type="button" on:click=move |_| {
                copied.set(if crate::components::host::copy_text(&value.get_value()) {
                    "Copied: paste it into chat or mail.".into()
                } else {
                    "Select the text above and copy it.".into()
                });
            }>"Copy"</button>
            <p class="meta" role="status">{move || copied.get()}</p>
        </details>
    }
}
